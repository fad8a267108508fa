"""Value story pages. Views parse input, call one service or selector, and render."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Perspective
from kring.communities.header import header_context
from kring.core.forms import apply_service_errors
from kring.illuminate import permissions, selectors, services
from kring.illuminate.charts import bars_svg
from kring.illuminate.forms import CONSENT_HELP, CYCLE_PROMPTS, FeatureForm, StoryForm
from kring.illuminate.models import CYCLES, Cycle

STORIES_PAGE_SIZE = 20
TAB = "stories"


def _community(request, slug: str):
    return selectors.community_for_stories(slug=slug, user=request.user)


def _story(request, slug: str, pk: int):
    community = _community(request, slug)
    return selectors.story_get(community=community, pk=pk, viewer=request.user)


def _frame(request, community) -> dict:
    return header_context(request, community, TAB)


@login_required
def story_list_view(request, slug: str):
    community = _community(request, slug)
    cycle = request.GET.get("cycle", "")
    cycle = cycle if cycle in CYCLES else ""
    perspective = request.GET.get("perspective", "")[:40]
    stories = selectors.stories_for_community(
        community=community, viewer=request.user, cycle=cycle, perspective=perspective
    )
    page = Paginator(stories, STORIES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "illuminate/story_list.html",
        {
            **_frame(request, community),
            "page": page,
            "cycle": cycle,
            "perspective": perspective,
            "filtered": bool(cycle or perspective),
            "cycles": Cycle.choices,
            "perspectives": Perspective.objects.filter(is_active=True),
            "can_tell": permissions.can_tell_story(request.user, community),
        },
    )


def _form_context(request, community, form, **extra) -> dict:
    return {
        **_frame(request, community),
        "form": form,
        "consent_help": CONSENT_HELP,
        **extra,
    }


@login_required
def story_create_view(request, slug: str):
    community = _community(request, slug)
    permissions.check_tell_story(request.user, community)
    source = request.POST if request.method == "POST" else request.GET
    # Arriving from a session, an item or a question: that is what the story is about.
    evidence = selectors.evidence_choices(
        community=community,
        viewer=request.user,
        session_ids=source.getlist("session") + source.getlist("sessions"),
        item_ids=source.getlist("item") + source.getlist("items"),
        thread_ids=source.getlist("thread") + source.getlist("threads"),
    )
    evidence["people"] = list(
        selectors.members_chosen(community=community, ids=source.getlist("people"))
    )
    initial = {
        "perspective": selectors.teller_perspective(user=request.user),
        **{name: evidence[name] for name in ("sessions", "items", "threads")},
    }
    form = StoryForm(request.POST or None, community=community, evidence=evidence, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.value_story_create(
                community=community, by=request.user, **form.story_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename={"cycles": Cycle.IMMEDIATE})
        else:
            messages.success(request, _("Thank you for your story. The community can read it now."))
            return redirect(story)
    return render(
        request,
        "illuminate/story_form.html",
        _form_context(request, community, form, creating=True),
    )


@login_required
def story_update_view(request, slug: str, pk: int):
    story = _story(request, slug, pk)
    permissions.check_edit_story(request.user, story)
    community = story.community
    evidence = {
        "sessions": list(story.sessions.all()),
        "items": list(story.items.all()),
        "threads": list(story.threads.all()),
        "people": list(story.people.all()),
    }
    if request.method == "POST":
        evidence["people"] = list(
            selectors.members_chosen(community=community, ids=request.POST.getlist("people"))
        )
    initial = {
        "title": story.title,
        "consent": story.consent,
        "perspective": story.perspective,
        **story.cycles,
        **evidence,
    }
    form = StoryForm(request.POST or None, community=community, evidence=evidence, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.value_story_update(story=story, by=request.user, **form.story_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc, rename={"cycles": Cycle.IMMEDIATE})
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(story)
    return render(
        request,
        "illuminate/story_form.html",
        _form_context(request, community, form, creating=False, story=story),
    )


@login_required
def story_delete_view(request, slug: str, pk: int):
    story = _story(request, slug, pk)
    permissions.check_delete_story(request.user, story)
    if request.method == "POST":
        title = story.title
        services.value_story_delete(story=story, by=request.user)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": title})
        return redirect("value-story-list", slug=slug)
    return render(
        request,
        "illuminate/story_confirm_delete.html",
        {**_frame(request, story.community), "story": story},
    )


def _cycle_parts(story) -> list[tuple[str, str]]:
    """The cycles the story tells, each with its question."""
    return [(CYCLE_PROMPTS[Cycle(cycle)][0], text) for cycle, text in story.cycles.items() if text]


def _detail(request, story, *, feature_form=None, status: int = 200):
    user = request.user
    return render(
        request,
        "illuminate/story_detail.html",
        {
            **_frame(request, story.community),
            "story": story,
            "parts": _cycle_parts(story),
            "evidence": selectors.story_evidence(story=story, viewer=user),
            "can_edit": permissions.can_edit_story(user, story),
            "can_delete": permissions.can_delete_story(user, story),
            "can_facilitate": permissions.can_facilitate(user, story.community),
            "feature_form": feature_form or FeatureForm(initial={"quote": story.quote}),
            "consent_help": CONSENT_HELP,
        },
        status=status,
    )


@login_required
def story_detail_view(request, slug: str, pk: int):
    return _detail(request, _story(request, slug, pk))


@login_required
@require_POST
def story_feature_view(request, slug: str, pk: int):
    story = _story(request, slug, pk)
    permissions.check_facilitate(request.user, story.community)
    if request.POST.get("action") == "unfeature":
        services.value_story_unfeature(story=story, by=request.user)
        messages.success(request, _("The story is no longer featured."))
        return redirect(story)
    form = FeatureForm(request.POST)
    if form.is_valid():
        try:
            services.value_story_feature(
                story=story, by=request.user, quote=form.cleaned_data["quote"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The story is featured."))
            return redirect(story)
    return _detail(request, story, feature_form=form, status=400)


@login_required
@require_POST
def story_practice_view(request, slug: str, pk: int):
    story = _story(request, slug, pk)
    permissions.check_facilitate(request.user, story.community)
    try:
        item = services.value_story_to_practice_story(story=story, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(story)
    messages.success(
        request, _("The story is in the library now, as a practice story. You can edit it there.")
    )
    return redirect(item)


def _period(params) -> tuple[date, date, str]:
    """The overview's period from ?from=&to= (the last twelve months when left out), and a
    message when what was asked cannot be used."""
    today = timezone.localdate()
    default = (today - timedelta(days=365), today)
    try:
        start = date.fromisoformat(params["from"]) if params.get("from") else default[0]
        end = date.fromisoformat(params["to"]) if params.get("to") else default[1]
    except ValueError:
        return *default, _("Write the dates as YYYY-MM-DD.")
    error = selectors.period_problem(start, end)
    if error:
        return *default, error
    return start, end, ""


@login_required
def value_overview_view(request, slug: str):
    community = _community(request, slug)
    start, end, error = _period(request.GET)
    overview = selectors.value_overview(
        community=community, viewer=request.user, start=start, end=end
    )
    rows = [(row["label"], row["stories"]) for row in overview["by_cycle"]]
    chart = bars_svg(
        rows,
        chart_id="value-cycles",
        title=_("Stories per cycle of value"),
        desc="; ".join(f"{label}: {value}" for label, value in rows),
    )
    return render(
        request,
        "illuminate/value_overview.html",
        {
            **_frame(request, community),
            "overview": overview,
            "chart": chart,
            "error": error,
            "start": start,
            "end": end,
            "can_facilitate": permissions.can_facilitate(request.user, community),
        },
        status=400 if error else 200,
    )
