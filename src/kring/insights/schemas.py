"""The insights document over HTTP, in parts (docs/insights.md). The fields the contract
promises are typed here; the document carries more (the data behind each reason, thresholds),
which pass through as they are."""

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    # A plain pydantic model: ninja's Schema reads known attributes only and would drop the
    # rest of the document.
    model_config = ConfigDict(extra="allow")


class InsightsSignalOut(_Open):
    kind: str
    reason: str
    since: str | None


class InsightsMemberOut(_Open):
    email: str
    name: str
    role: str
    perspectives: list[str]
    signals: list[InsightsSignalOut]
    degree: int
    betweenness: float
    group: int | None
    broker: bool
    isolate: bool


class InsightsTieOut(BaseModel):
    email: str
    weight: float
    strong: bool


class InsightsTiesOut(BaseModel):
    email: str
    ties: list[InsightsTieOut]


class InsightsSuggestionOut(_Open):
    kind: str
    members: list[str]
    reason: str


class InsightsNetworkOut(_Open):
    density: float
    tie_count: int
    isolate_count: int
    brokers: list[str]


class InsightsCommunitySignalOut(_Open):
    kind: str
    reason: str
    since: str | None
    groups: list[list[str]] | None = None
    people: list[str] | None = None
    perspective: str | None = None


class InsightsOut(_Open):
    community: str
    as_of: str
    member_count: int
    group_count: int
    group_sizes: list[int]
    modularity: float
    network: InsightsNetworkOut
    coverage: dict
    suggestions: list[InsightsSuggestionOut]
    trends: dict
    community_signals: list[InsightsCommunitySignalOut] = []
