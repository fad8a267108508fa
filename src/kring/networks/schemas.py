from datetime import datetime

from ninja import Schema


class NetworkIn(Schema):
    slug: str
    name: str
    level: str
    description: str = ""


class LinkIn(Schema):
    community: str
    note: str = ""


class NetworkCommunityOut(Schema):
    slug: str
    name: str
    spotlight_url: str | None


class NetworkLinkOut(Schema):
    community: str
    status: str
    requested_from: str
    requested_at: datetime
    linked_at: datetime | None


class NetworkOut(Schema):
    slug: str
    name: str
    level: str
    description: str
    coordinators: list[dict]
    communities: list[NetworkCommunityOut]
    private_communities: int
    page_url: str | None
    # For coordinators and platform admins: every link and request; otherwise null.
    links: list[NetworkLinkOut] | None
