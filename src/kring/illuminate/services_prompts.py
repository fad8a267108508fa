"""Asking for a value story at the right moment, gently.

The moments: about three weeks after a session someone attended, a few days after someone
marked a library item useful, a few days after the asker's question got an accepted answer.
Each occasion is asked about once (StoryPrompt's unique constraint), each person at most
once a month whatever the occasion, and never someone who switched the prompts off in their
notification settings, left the community, or already told a story about it. The prompt is
an in-app notification that opens the story form with the occasion filled in.

`story_prompts_send` runs periodically (settings.KRING_PERIODIC_TASKS); a run reads only the
occasions of the last weeks, so it costs the same for an old community as for a new one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.conversations.models import NotificationKind, NotificationPreference, Thread, ThreadKind
from kring.conversations.services.notifications import notify
from kring.illuminate.models import PromptKind, StoryPrompt, ValueStory
from kring.knowledge.models import Useful
from kring.meetings.models import Attendance, AttendanceStatus

# How long after the occasion Kring asks, and for how long after that it still may.
DELAYS: dict[str, timedelta] = {
    PromptKind.SESSION: timedelta(days=21),
    PromptKind.USEFUL: timedelta(days=2),
    PromptKind.ANSWER: timedelta(days=2),
}
WINDOW = timedelta(days=14)
# At most one prompt per person in this time, whatever the occasion.
QUIET = timedelta(days=30)
# The query parameter of the story form that names each kind's occasion.
FORM_PARAMETER: dict[str, str] = {
    PromptKind.SESSION: "session",
    PromptKind.USEFUL: "item",
    PromptKind.ANSWER: "thread",
}
# When one person has several occasions, the one asked about first.
PRIORITY: tuple[str, ...] = (PromptKind.SESSION, PromptKind.ANSWER, PromptKind.USEFUL)
EVIDENCE_FIELD: dict[str, str] = {
    PromptKind.SESSION: "sessions",
    PromptKind.USEFUL: "items",
    PromptKind.ANSWER: "threads",
}


@dataclass(frozen=True)
class Occasion:
    kind: str
    user_id: int
    community_id: int
    target_id: int
    title: str
    at: datetime


def _window(kind: str, now: datetime) -> tuple[datetime, datetime]:
    until = now - DELAYS[kind]
    return until - WINDOW, until


def occasions_due(*, now: datetime) -> list[Occasion]:
    """Every occasion of the last weeks whose moment to ask has come, before the rules."""
    found: list[Occasion] = []
    since, until = _window(PromptKind.SESSION, now)
    attended = Attendance.objects.filter(
        status=AttendanceStatus.ATTENDED,
        session__starts_at__gte=since,
        session__starts_at__lt=until,
    ).values_list(
        "user_id", "session__community_id", "session_id", "session__title", "session__starts_at"
    )
    found += [Occasion(PromptKind.SESSION, *row) for row in attended]
    since, until = _window(PromptKind.USEFUL, now)
    useful = Useful.objects.filter(created_at__gte=since, created_at__lt=until).values_list(
        "user_id", "item__community_id", "item_id", "item__title", "created_at"
    )
    found += [Occasion(PromptKind.USEFUL, *row) for row in useful]
    since, until = _window(PromptKind.ANSWER, now)
    answered = (
        Thread.objects.filter(
            kind=ThreadKind.QUESTION,
            hidden=False,
            accepted_at__gte=since,
            accepted_at__lt=until,
        )
        # Accepting an answer to your own question is still the asker's occasion, but an
        # answer the asker wrote themselves is not.
        .exclude(accepted_reply__author=F("author"))
        .values_list("author_id", "community_id", "pk", "title", "accepted_at")
    )
    found += [Occasion(PromptKind.ANSWER, *row) for row in answered]
    return found


def _allowed(occasions: list[Occasion], now: datetime) -> list[Occasion]:
    """The occasions that pass the rules, at most one per person (a fixed number of
    queries, however many occasions)."""
    if not occasions:
        return []
    user_ids = {o.user_id for o in occasions}
    quiet = set(
        StoryPrompt.objects.filter(user_id__in=user_ids, sent_at__gte=now - QUIET).values_list(
            "user_id", flat=True
        )
    )
    asked = set(
        StoryPrompt.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "target_id")
    )
    switched_off = set(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, story_prompts=False
        ).values_list("user_id", flat=True)
    )
    active = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    members = set(
        Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "community_id")
    )
    told = set()
    for kind, field in EVIDENCE_FIELD.items():
        targets = {o.target_id for o in occasions if o.kind == kind}
        if targets:
            told |= {
                (kind, user_id, target_id)
                for user_id, target_id in ValueStory.objects.filter(
                    author_id__in=user_ids, **{f"{field}__in": targets}
                ).values_list("author_id", field)
            }
    chosen: dict[int, Occasion] = {}
    ordered = sorted(occasions, key=lambda o: (PRIORITY.index(o.kind), o.at, o.target_id))
    for occasion in ordered:
        person = occasion.user_id
        if (
            person in chosen
            or person in quiet
            or person in switched_off
            or person not in active
            or (person, occasion.community_id) not in members
            or (person, occasion.kind, occasion.target_id) in asked
            or (occasion.kind, person, occasion.target_id) in told
        ):
            continue
        chosen[person] = occasion
    return list(chosen.values())


def _link(occasion: Occasion, community: Community) -> str:
    path = reverse("value-story-create", kwargs={"slug": community.slug})
    return f"{path}?{FORM_PARAMETER[occasion.kind]}={occasion.target_id}"


def story_prompt_send(*, occasion: Occasion, now: datetime) -> StoryPrompt | None:
    """Ask one person about one occasion: the prompt row and its notification together;
    None when this occasion was asked about already (a run at the same moment)."""
    community = Community.objects.get(pk=occasion.community_id)
    user = User.objects.get(pk=occasion.user_id)
    try:
        with transaction.atomic():
            prompt = StoryPrompt.objects.create(
                user=user,
                community=community,
                kind=occasion.kind,
                target_id=occasion.target_id,
                sent_at=now,
            )
            notify(
                recipients={user: NotificationKind.STORY_PROMPT},
                actor=None,
                community=community,
                at=now,
                link=_link(occasion, community),
                subject=occasion.title,
            )
    except IntegrityError:
        return None
    return prompt


def story_prompts_send(*, now: datetime | None = None) -> int:
    """Ask everyone whose moment has come (periodic); returns how many were asked."""
    now = now or timezone.now()
    sent = 0
    for occasion in _allowed(occasions_due(now=now), now):
        sent += story_prompt_send(occasion=occasion, now=now) is not None
    return sent
