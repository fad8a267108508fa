"""What a community's spotlight shows the world: only what its members chose to make public.

Public value stories (consent `public`), sessions its facilitators opened to guests, counts
(never names) and the facilitators, whose faces are public once the spotlight is published.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities import selectors as communities
from kring.communities.models import Community
from kring.illuminate.models import CYCLES, Consent, ValueStory
from kring.meetings.models import ActionPoint, Session, SessionStatus

STORIES_SHOWN = 6
SESSIONS_SHOWN = 4
FEED_ENTRIES = 20


@dataclass(frozen=True)
class SpotlightNumbers:
    members: int
    perspectives: list[dict]
    sessions_held: int
    stories_shared: int
    action_points_done: int


def spotlight_get(*, slug: str, viewer: User) -> Community:
    """The community if its spotlight may be shown to the viewer: anyone once published, its
    facilitators (and platform admins) before that, as a preview. 404 otherwise."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not (
        community.spotlight_published or community_permissions.can_manage(viewer, community)
    ):
        raise Http404
    return community


def public_stories(*, community: Community, limit: int = STORIES_SHOWN) -> list[ValueStory]:
    """Stories whose tellers made them public: featured first, then the newest."""
    return list(
        ValueStory.objects.filter(community=community, consent=Consent.PUBLIC)
        .select_related("author", "perspective")
        .order_by("-featured_at", "-created_at", "-id")[:limit]
    )


def public_story_get(*, community: Community, pk: int) -> ValueStory:
    story = (
        ValueStory.objects.filter(community=community, consent=Consent.PUBLIC, pk=pk)
        .select_related("author", "perspective")
        .first()
    )
    if story is None:
        raise Http404
    return story


def open_sessions(*, community: Community, limit: int = SESSIONS_SHOWN) -> list[Session]:
    """Upcoming sessions the facilitators opened to guests."""
    return list(Session.objects.filter(community=community, is_open=True).upcoming()[:limit])


def spotlight_numbers(*, community: Community) -> SpotlightNumbers:
    now = timezone.now()
    return SpotlightNumbers(
        members=communities.member_count(community=community),
        perspectives=[
            row for row in communities.perspective_mix(community=community) if row["count"]
        ],
        sessions_held=Session.objects.filter(
            community=community, status=SessionStatus.SCHEDULED, ends_at__lt=now
        ).count(),
        # Only what the tellers made public: a story kept for the community or for reports is
        # not counted here either.
        stories_shared=ValueStory.objects.filter(
            community=community, consent=Consent.PUBLIC
        ).count(),
        action_points_done=ActionPoint.objects.filter(
            community=community, done_at__isnull=False
        ).count(),
    )


def story_lead(story: ValueStory) -> str:
    """The line a story is shown by: the facilitators' chosen quote when it is the teller's own
    words (a line of their own is for reports, never shown under the teller's name), else what
    difference it made, else the first part it tells."""
    if story.quote and story.tells(story.quote):
        return story.quote
    for cycle in ("realised", "applied", *CYCLES):
        text = getattr(story, cycle)
        if text:
            return text
    return ""


def teller_label(story: ValueStory) -> str:
    """How a public story names its teller: first name and perspective, never more (their
    profile and photo stay inside the community)."""
    first = story.author.get_short_name()
    if story.perspective is not None:
        return f"{first}, {story.perspective.name.lower()}"
    return first


def feed_stories(*, community: Community) -> list[ValueStory]:
    return list(
        ValueStory.objects.filter(community=community, consent=Consent.PUBLIC)
        .select_related("author", "perspective")
        .order_by("-created_at", "-id")[:FEED_ENTRIES]
    )
