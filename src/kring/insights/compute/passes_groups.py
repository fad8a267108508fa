"""The reads of the feelers for the group (compute.groups): one pass over the tie events per
pair and week, and the members' contributions, conversation posts and replies received.
Counted in the database (GROUP BY); Python sees counts per pair or per member."""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest, Least

from kring.communities.models import Community
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent
from kring.insights.compute.groups import NOW_WEEKS, SPAN_WEEKS, Pair
from kring.insights.compute.passes import CONTRIBUTION_VERBS, TIE_VERBS

# Taking part in a conversation, and getting a response in one.
CONVERSATION_VERBS = (
    ConversationVerb.ASKED,
    ConversationVerb.DISCUSSION_STARTED,
    ConversationVerb.ANSWERED,
    ConversationVerb.REPLIED,
)
RESPONSE_VERBS = (ConversationVerb.ANSWERED, ConversationVerb.REPLIED)


def group_pass(community: Community, member_ids: QuerySet, as_of: datetime) -> dict:
    """Three grouped queries over the last SPAN_WEEKS weeks: tie events per pair of members
    and week, and per member their contributions (now, before) and conversation posts, and
    the replies and answers they received."""
    ends = [as_of - timedelta(weeks=k) for k in range(SPAN_WEEKS + 1)]
    return {
        "weekly": _pair_weeks(community, member_ids, ends),
        "voices": _voices(community, member_ids, as_of, ends[-1]),
    }


def _pair_weeks(
    community: Community, member_ids: QuerySet, ends: list[datetime]
) -> dict[Pair, list[int]]:
    """Per pair of members (lowest id first): tie events per week, week k being
    [ends[k + 1], ends[k]) (0 the most recent). Direct messages count, as in the network.
    The database counts per pair and week (the week a number computed once per row: half the
    time of one filtered count per week); one row per pair and week with any comes back."""
    rows = (
        ActivityEvent.objects.filter(
            Q(community=community, verb__in=TIE_VERBS) | Q(verb=ConversationVerb.MESSAGED),
            actor__in=member_ids,
            other__in=member_ids,
            created_at__gte=ends[-1],
            created_at__lt=ends[0],
        )
        .exclude(actor=F("other"))
        .order_by()
        .annotate(low=Least("actor_id", "other_id"), high=Greatest("actor_id", "other_id"))
        .values_list("low", "high", "created_at")
    )
    inner, params = rows.query.sql_with_params()
    low, high, created = (connection.ops.quote_name(n) for n in ("low", "high", "created_at"))
    seconds = ends[0].timestamp()
    if connection.vendor == "postgresql":
        week = f"FLOOR((%s - EXTRACT(EPOCH FROM {created})) / 604800)::integer"
    else:
        # julianday() of the moment, given as a number: computed once, not per row.
        week = f"CAST((%s - julianday({created})) / 7 AS INTEGER)"
        seconds = seconds / 86400 + 2440587.5
    # Only placeholders, quoted names and Django's own compiled SQL go into the text.
    sql = (
        f"SELECT {low}, {high}, {week} AS week, COUNT(*) FROM ({inner}) events "  # noqa: S608
        f"GROUP BY {low}, {high}, week"
    )
    weekly: dict[Pair, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [seconds, *params])
        for a, b, week, n in cursor.fetchall():
            counts = weekly.setdefault((a, b), [0] * SPAN_WEEKS)
            counts[min(max(int(week), 0), SPAN_WEEKS - 1)] += n
    return weekly


def _voices(
    community: Community, member_ids: QuerySet, as_of: datetime, start: datetime
) -> dict[int, dict]:
    """Per member: contributions in the now window and in the before window, conversation
    posts in both, and replies or answers others gave to them in both."""
    now_start = as_of - timedelta(weeks=NOW_WEEKS)
    span = Q(community=community, created_at__gte=start, created_at__lt=as_of)
    voices: dict[int, dict] = {}
    for uid, now, before, posts in (
        ActivityEvent.objects.filter(span, actor__in=member_ids, verb__in=CONTRIBUTION_VERBS)
        .order_by()
        .values("actor_id")
        .annotate(
            now=Count("id", filter=Q(created_at__gte=now_start)),
            before=Count("id", filter=Q(created_at__lt=now_start)),
            posts=Count("id", filter=Q(verb__in=CONVERSATION_VERBS)),
        )
        .values_list("actor_id", "now", "before", "posts")
    ):
        voices[uid] = {"now": now, "before": before, "posts": posts, "replies": 0}
    for uid, n in (
        ActivityEvent.objects.filter(span, other__in=member_ids, verb__in=RESPONSE_VERBS)
        .exclude(actor=F("other"))
        .order_by()
        .values("other_id")
        .annotate(n=Count("id"))
        .values_list("other_id", "n")
    ):
        voices.setdefault(uid, {"now": 0, "before": 0, "posts": 0, "replies": 0})["replies"] = n
    return voices
