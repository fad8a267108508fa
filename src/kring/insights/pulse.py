"""The climate pulse: services (start, answer, close) and selectors (the open pulse, results,
trend, a summary for the dashboard).

Anonymity, by construction (docs/privacy.md):
- PulseParticipation records *that* someone answered, so nobody answers twice; it holds no
  answer id and no time.
- PulseResponse holds the answers with a random UUID, no person and no time.
- Both rows are written in one transaction, but nothing connects them. Because the database
  keeps rows in insertion order, the n-th participation would line up with the n-th response;
  so every new answer rewrites the pulse's responses in a random order with fresh ids.
- Numbers are shown only when the pulse is closed and at least PULSE_MIN_ANSWERS answered.
  While a pulse is open, the results would change with each answer, and a facilitator who knows
  who answered last could read that person's answers from the difference.
"""

import random
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.insights import permissions
from kring.insights.models import (
    PULSE_ITEMS,
    PULSE_MIN_ANSWERS,
    PULSE_SAFETY_ITEMS,
    Pulse,
    PulseParticipation,
    PulseResponse,
)

PULSE_DEFAULT_DAYS = 14
PULSE_MAX_DAYS = 60
SCALE = range(1, 8)
REVERSED = frozenset(key for key, reverse, _text in PULSE_ITEMS if reverse)
ITEM_KEYS = tuple(key for key, _reverse, _text in PULSE_ITEMS)

_rng = random.SystemRandom()


# Selectors ------------------------------------------------------------------------------------


def can_view_pulses(user, community: Community) -> bool:
    """Members answer and see the aggregates; facilitators (and platform admins) run pulses."""
    return permissions.can_see_own(user, community) or permissions.can_facilitate(user, community)


def pulse_open(*, community: Community) -> Pulse | None:
    """The pulse members can answer now, if any (one at a time)."""
    return (
        Pulse.objects.filter(
            community=community, closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .order_by("-opened_at", "-id")
        .first()
    )


def pulses_for(*, community: Community) -> list[Pulse]:
    """All pulses of a community, newest first, each with its number of answers."""
    return list(
        Pulse.objects.filter(community=community)
        .annotate(answer_count=Count("participations"))
        .order_by("-opened_at", "-id")
    )


def pulse_get(*, user, community: Community, pk: int) -> Pulse:
    """A pulse of this community for someone who may see pulses; 404 otherwise."""
    if not can_view_pulses(user, community):
        raise Http404
    pulse = Pulse.objects.filter(community=community, pk=pk).first()
    if pulse is None:
        raise Http404
    return pulse


def pulse_has_answered(*, pulse: Pulse, user) -> bool:
    if not user.is_authenticated:
        return False
    return PulseParticipation.objects.filter(pulse=pulse, user=user).exists()


def safety_score(answers: dict) -> float:
    """Edmondson's psychological safety for one set of answers: the mean of the seven items on
    1..7, with the negatively worded items (1, 3 and 5) scored as 8 - x."""
    scored = [8 - answers[k] if k in REVERSED else answers[k] for k in PULSE_SAFETY_ITEMS]
    return sum(scored) / len(scored)


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


def _aggregate(answers: list[dict]) -> dict:
    items = []
    for key, reverse, text in PULSE_ITEMS:
        values = [a[key] for a in answers]
        counts = [sum(1 for v in values if v == point) for point in SCALE]
        items.append(
            {
                "key": key,
                "text": str(text),
                "reverse": reverse,
                "mean": _mean(values),
                "counts": counts,
            }
        )
    return {
        "safety": _mean([safety_score(a) for a in answers]),
        "learn": _mean([a["learn"] for a in answers]),
        "trust": _mean([a["trust"] for a in answers]),
        "items": items,
    }


def _shows(pulse: Pulse, count: int) -> bool:
    return not pulse.is_open and count >= PULSE_MIN_ANSWERS


def pulse_results(*, pulse: Pulse) -> dict:
    """The aggregates of a pulse. `visible` is False (and no number but the count is present)
    while the pulse is open or when fewer than PULSE_MIN_ANSWERS answered."""
    answers = list(PulseResponse.objects.filter(pulse=pulse).values_list("answers", flat=True))
    result = {
        "pulse": pulse,
        "answers": len(answers),
        "min_answers": PULSE_MIN_ANSWERS,
        "is_open": pulse.is_open,
        "visible": _shows(pulse, len(answers)),
    }
    if result["visible"]:
        result.update(_aggregate(answers))
    return result


def pulse_trend(*, community: Community, all_pulses: list[Pulse] | None = None) -> list[dict]:
    """The visible results of every pulse, oldest first: the trend across pulses. Two queries
    however many pulses there are (one when `all_pulses` from pulses_for is given)."""
    if all_pulses is None:
        all_pulses = pulses_for(community=community)
    shown = [p for p in reversed(all_pulses) if _shows(p, p.answer_count)]
    answers: dict[int, list[dict]] = {p.pk: [] for p in shown}
    for pulse_id, given in PulseResponse.objects.filter(pulse__in=shown).values_list(
        "pulse_id", "answers"
    ):
        answers[pulse_id].append(given)
    points = []
    for pulse in shown:
        if len(answers[pulse.pk]) < PULSE_MIN_ANSWERS:
            continue
        result = _aggregate(answers[pulse.pk])
        points.append(
            {
                "pulse": pulse,
                "answers": len(answers[pulse.pk]),
                "safety": result["safety"],
                "learn": result["learn"],
                "trust": result["trust"],
            }
        )
    return points


def pulse_summary(community: Community) -> dict | None:
    """The latest pulse in a few numbers for the dashboard, or None when there never was one.
    `safety`, `learn` and `trust` are None unless the results are visible."""
    pulse = Pulse.objects.filter(community=community).order_by("-opened_at", "-id").first()
    if pulse is None:
        return None
    result = pulse_results(pulse=pulse)
    return {
        "pulse_id": pulse.pk,
        "opened_at": pulse.opened_at,
        "closes_at": pulse.closes_at,
        "closed_at": pulse.closed_at,
        "is_open": result["is_open"],
        "answers": result["answers"],
        "min_answers": PULSE_MIN_ANSWERS,
        "visible": result["visible"],
        "safety": result.get("safety"),
        "learn": result.get("learn"),
        "trust": result.get("trust"),
    }


# Services -------------------------------------------------------------------------------------


@transaction.atomic
def pulse_start(*, community: Community, by: User, days: int = PULSE_DEFAULT_DAYS) -> Pulse:
    """Open a pulse for `days` days; only one pulse is open at a time."""
    permissions.check_facilitate(by, community)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= PULSE_MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose a number of days from 1 to %(max)s.") % {"max": PULSE_MAX_DAYS}}
        )
    if pulse_open(community=community) is not None:
        raise ValidationError(_("A pulse is already open. Close it before starting a new one."))
    now = timezone.now()
    return Pulse.objects.create(
        community=community, started_by=by, opened_at=now, closes_at=now + timedelta(days=days)
    )


def _clean_answers(answers: dict) -> dict[str, int]:
    if not isinstance(answers, dict) or set(answers) != set(ITEM_KEYS):
        raise ValidationError(_("Answer every statement."))
    errors = {}
    for key in ITEM_KEYS:
        value = answers[key]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            errors[key] = _("Choose a number from 1 to 7.")
    if errors:
        raise ValidationError(errors)
    return {key: answers[key] for key in ITEM_KEYS}


@transaction.atomic
def pulse_answer(*, pulse: Pulse, by: User, answers: dict) -> None:
    """Store one anonymous set of answers and, apart from it, that `by` answered."""
    if not permissions.can_answer_pulse(by, pulse.community):
        raise PermissionDenied
    if not pulse.is_open:
        raise ValidationError(_("This pulse is closed."))
    clean = _clean_answers(answers)
    if PulseParticipation.objects.filter(pulse=pulse, user=by).exists():
        raise ValidationError(_("You already answered this pulse."))
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(pulse=pulse, user=by)
    except IntegrityError:
        raise ValidationError(_("You already answered this pulse.")) from None
    everyone = [*PulseResponse.objects.filter(pulse=pulse).values_list("answers", flat=True), clean]
    _rng.shuffle(everyone)
    PulseResponse.objects.filter(pulse=pulse).delete()
    PulseResponse.objects.bulk_create(
        PulseResponse(id=uuid.uuid4(), pulse=pulse, answers=a) for a in everyone
    )


@transaction.atomic
def pulse_close(*, pulse: Pulse, by: User) -> Pulse:
    """Close a pulse before its end date; its results show from then (with enough answers)."""
    permissions.check_facilitate(by, pulse.community)
    if pulse.closed_at is None:
        now = timezone.now()
        pulse.closed_at = min(now, pulse.closes_at)
        pulse.save(update_fields=["closed_at"])
    return pulse
