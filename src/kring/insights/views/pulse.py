"""The climate pulse pages: the overview with the trend, starting and closing a pulse
(facilitators), answering it (members, once) and the results (aggregates only, from
PULSE_MIN_ANSWERS answers, once closed)."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.core.dates import short_date
from kring.core.forms import apply_service_errors
from kring.insights import permissions, selectors, services
from kring.insights.forms_pulse import PulseAnswerForm, PulseStartForm
from kring.insights.models import PULSE_MIN_ANSWERS

# Colours meet 3:1 contrast against white (WCAG 1.4.11 for graphics).
SERIES = (
    ("safety", "#0b5563", "", lambda: _("Psychological safety")),
    ("learn", "#1e6b3a", "6 3", lambda: _("I learn here")),
    ("trust", "#9c3d00", "2 3", lambda: _("I trust the others here")),
)
COLOUR_AXIS = "#4f5a62"
# Drawn about as wide as a phone shows it (320 px), so 12 units of text stay 11 px and more;
# kring.css caps how wide it grows.
CHART_WIDTH, CHART_HEIGHT, MARGIN, TEXT_SIZE = 340, 200, 28, 12
DAY_LABEL_ROOM = 50


def _frame(request, community) -> dict:
    return {
        **header_context(request, community, "pulse"),
        "can_facilitate": permissions.can_facilitate(request.user, community),
    }


def _list_url(community) -> str:
    return reverse("pulse-list", kwargs={"slug": community.slug})


def trend_svg(points: list[dict], *, chart_id: str = "pulse-trend") -> SafeString:
    """The three means per pulse as lines on the 1..7 scale; nothing for fewer than two
    pulses. Only pulses whose results are visible are drawn (pulse_trend gives those)."""
    if len(points) < 2:
        return mark_safe("")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    inner_w = CHART_WIDTH - 2 * MARGIN
    inner_h = CHART_HEIGHT - 2 * MARGIN

    def x(n: int) -> float:
        return round(MARGIN + inner_w * n / (len(points) - 1), 1)

    def y(value: float) -> float:
        return round(MARGIN + inner_h * (7 - value) / 6, 1)

    last = points[-1]
    desc = _(
        "%(count)s pulses. The latest: psychological safety %(safety)s, I learn here "
        "%(learn)s, I trust the others here %(trust)s (1 to 7)."
    ) % {
        "count": len(points),
        "safety": formats.number_format(last["safety"], 1),
        "learn": formats.number_format(last["learn"], 1),
        "trust": formats.number_format(last["trust"], 1),
    }
    title = escape(_("Climate across pulses"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-pulse" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="{title_id} {desc_id}" '
        f'focusable="false" font-family="system-ui, sans-serif">',
        f'<title id="{title_id}">{title}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]
    for level in (1, 4, 7):
        parts.append(
            f'<line x1="{MARGIN}" y1="{y(level)}" x2="{CHART_WIDTH - MARGIN}" y2="{y(level)}" '
            f'stroke="{COLOUR_AXIS}" stroke-width="{1 if level != 4 else 0.5}"/>'
            f'<text x="{MARGIN - 8}" y="{y(level) + 4}" font-size="{TEXT_SIZE}" text-anchor="end" '
            f'fill="{COLOUR_AXIS}" aria-hidden="true">{level}</text>'
        )
    for key, colour, dash, label in SERIES:
        coords = " ".join(f"{x(n)},{y(p[key])}" for n, p in enumerate(points))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline class="pulse-line pulse-{key}" points="{coords}" fill="none" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        for n, p in enumerate(points):
            tip = f"{label()}, {_pulse_day(p['pulse'])}: {formats.number_format(p[key], 1)}"
            parts.append(
                f'<circle cx="{x(n)}" cy="{y(p[key])}" r="3.5" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    # A date where there is room for one, counted back from the latest (always labelled).
    every = max(1, math.ceil(DAY_LABEL_ROOM * (len(points) - 1) / inner_w))
    for n, p in enumerate(points):
        if (len(points) - 1 - n) % every:
            continue
        anchor = "start" if n == 0 else "end" if n == len(points) - 1 else "middle"
        parts.append(
            f'<text x="{x(n)}" y="{CHART_HEIGHT - MARGIN + 20}" font-size="{TEXT_SIZE}" '
            f'text-anchor="{anchor}" fill="{COLOUR_AXIS}" aria-hidden="true">'
            f"{escape(_pulse_day(p['pulse'], 'j M'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _pulse_day(pulse, fmt: str = "j F Y") -> str:
    return short_date(timezone.localtime(pulse.opened_at), fmt)


@login_required
def pulse_list_view(request, slug: str):
    community = selectors.community_for_pulses(user=request.user, slug=slug)
    current = selectors.pulse_open(community=community)
    all_pulses = selectors.pulses_for(community=community)
    trend = selectors.pulse_trend(community=community, all_pulses=all_pulses)
    return render(
        request,
        "insights/pulse_list.html",
        {
            **_frame(request, community),
            "current": current,
            "current_answers": next((p.answer_count for p in all_pulses if p == current), 0),
            "answered": current is not None
            and selectors.pulse_has_answered(pulse=current, user=request.user),
            "can_answer": current is not None
            and permissions.can_answer_pulse(request.user, community),
            "past": [p for p in all_pulses if p != current],
            "trend": trend,
            "trend_svg": trend_svg(trend),
            "start_form": PulseStartForm() if current is None else None,
            "min_answers": PULSE_MIN_ANSWERS,
        },
    )


@login_required
def pulse_start_view(request, slug: str):
    community = selectors.community_for_pulses(user=request.user, slug=slug)
    permissions.check_facilitate(request.user, community)
    form = PulseStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pulse = services.pulse_start(
                community=community, by=request.user, days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The pulse is open until %(date)s. Members can answer it now.")
                % {"date": formats.date_format(timezone.localtime(pulse.closes_at), "j F Y")},
            )
            return redirect(_list_url(community))
    return render(
        request, "insights/pulse_start.html", {**_frame(request, community), "form": form}
    )


@login_required
def pulse_answer_view(request, slug: str, pk: int):
    community = selectors.community_for_pulses(user=request.user, slug=slug)
    pulse = selectors.pulse_get(user=request.user, community=community, pk=pk)
    permissions.check_answer_pulse(request.user, community)
    if not pulse.is_open:
        messages.warning(request, _("This pulse is closed."))
        return redirect(_list_url(community))
    if selectors.pulse_has_answered(pulse=pulse, user=request.user):
        messages.info(request, _("You already answered this pulse. Thank you."))
        return redirect(_list_url(community))
    form = PulseAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_answer(pulse=pulse, by=request.user, answers=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your answers are stored without your name."))
            return redirect(_list_url(community))
    return render(
        request,
        "insights/pulse_answer.html",
        {**_frame(request, community), "pulse": pulse, "form": form},
    )


@login_required
def pulse_results_view(request, slug: str, pk: int):
    community = selectors.community_for_pulses(user=request.user, slug=slug)
    pulse = selectors.pulse_get(user=request.user, community=community, pk=pk)
    results = selectors.pulse_results(pulse=pulse)
    return render(
        request,
        "insights/pulse_results.html",
        {
            **_frame(request, community),
            "pulse": pulse,
            "results": results,
            "can_answer": pulse.is_open
            and permissions.can_answer_pulse(request.user, community)
            and not selectors.pulse_has_answered(pulse=pulse, user=request.user),
        },
    )


@login_required
@require_POST
def pulse_close_view(request, slug: str, pk: int):
    community = selectors.community_for_pulses(user=request.user, slug=slug)
    pulse = selectors.pulse_get(user=request.user, community=community, pk=pk)
    permissions.check_facilitate(request.user, community)
    services.pulse_close(pulse=pulse, by=request.user)
    messages.success(request, _("The pulse is closed."))
    return redirect(reverse("pulse-results", kwargs={"slug": community.slug, "pk": pulse.pk}))
