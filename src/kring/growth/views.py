"""The Development tab: where the community stands on the nine steps and in its life, and
the facilitators' forms to confirm or override a step, record the mandate and correct the
stage. Members read the page without names of people."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.communities.models import Stage
from kring.core.forms import apply_service_errors
from kring.growth import charts, permissions, selectors, services, texts
from kring.growth.forms import MandateForm, StageCorrectForm, StepJudgeForm
from kring.growth.models import StepKey


def _here(community, anchor: str) -> str:
    return reverse("development", kwargs={"slug": community.slug}) + "#" + anchor


def _page(request, community, *, bound: dict | None = None, status: int = 200):
    """The page; `bound` holds a form sent with errors (by its name), shown in its place."""
    bound = bound or {}
    development = selectors.development_read(
        community=community, viewer=request.user, timeline=True
    )
    # The header shows the stored stage; keep it the same as what this page reads.
    if community.stage != development.stage:
        services.community_stage_store(community=community, stage=development.stage)
    can_judge = permissions.can_judge(request.user, community)
    next_step = development.next_step
    steps = []
    for number, step in enumerate(development.steps, start=1):
        form = bound.get(f"step-{step.key}") or StepJudgeForm(
            prefix=step.key, initial={"status": step.status}
        )
        steps.append(
            {
                "number": number,
                "step": step,
                "label": StepKey(step.key).label,
                "asks": texts.STEP_ASKS[StepKey(step.key)],
                "is_next": next_step is not None and step.key == next_step.key,
                "form": form if can_judge else None,
                "open_form": f"step-{step.key}" in bound,
                "override": selectors.override_out(step, named=development.named),
            }
        )
    context = {
        **header_context(request, community, "development"),
        "development": development,
        "steps": steps,
        "next": next((s for s in steps if s["is_next"]), None),
        "done_count": sum(1 for s in development.steps if s.status == "done"),
        "stage_label": Stage(development.stage).label,
        "stage_means": texts.STAGE_MEANS[Stage(development.stage)],
        "stage_advice": texts.STAGE_ADVICE[Stage(development.stage)],
        "derived_label": Stage(development.derived).label,
        "timeline_svg": charts.stage_timeline_svg(development.timeline),
        "stage_changes": charts.stage_changes(development.timeline),
        "can_judge": can_judge,
        "tips": texts.TIPS if can_judge else (),
    }
    if can_judge:
        context["mandate_form"] = bound.get("mandate") or MandateForm()
        context["stage_form"] = bound.get("stage") or StageCorrectForm(
            initial={"stage": development.correction.stage if development.correction else ""}
        )
        context["open_stage_form"] = "stage" in bound
        context["decisions"] = selectors.decisions_recent(community=community)
    return render(request, "growth/development.html", context, status=status)


@login_required
def development_view(request, slug: str):
    """Members, facilitators and platform admins; 404 for everyone else."""
    community = selectors.community_for_development(user=request.user, slug=slug)
    return _page(request, community)


def _judging(request, slug: str):  # noqa: ANN202
    community = selectors.community_for_development(user=request.user, slug=slug)
    permissions.check_judge(request.user, community)
    return community


def _decide(request, community, form, save, *, done: str, anchor: str, name: str):
    """Save a facilitator's decision from a form: back to its place on the page, or the
    page again with the form's errors next to the fields."""
    if form.is_valid():
        try:
            save(community=community, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_here(community, anchor))
    return _page(request, community, bound={name: form}, status=422)


@login_required
@require_POST
def step_judge_view(request, slug: str, key: str):
    community = _judging(request, slug)
    if key not in StepKey.values:
        raise Http404
    return _decide(
        request,
        community,
        StepJudgeForm(request.POST, prefix=key),
        partial(services.step_judge, step=key),
        done=_("Saved. The step shows your decision."),
        anchor=f"step-{key}",
        name=f"step-{key}",
    )


@login_required
@require_POST
def mandate_view(request, slug: str):
    community = _judging(request, slug)
    return _decide(
        request,
        community,
        MandateForm(request.POST),
        services.mandate_record,
        done=_("The room to experiment is recorded."),
        anchor="step-mandate",
        name="mandate",
    )


@login_required
@require_POST
def stage_correct_view(request, slug: str):
    community = _judging(request, slug)
    return _decide(
        request,
        community,
        StageCorrectForm(request.POST),
        services.stage_correct,
        done=_("The stage is saved."),
        anchor="stage",
        name="stage",
    )
