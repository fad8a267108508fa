"""The Polls tab: the community's polls, starting one, voting and the results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.core.forms import apply_service_errors
from kring.decisions import permissions, selectors, services
from kring.decisions.forms import DatePollForm, PollForm

PER_PAGE = 20


def _community(request, slug):
    return community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)


@login_required
def poll_list_view(request, slug):
    community = _community(request, slug)
    polls = selectors.polls_of(community=community, viewer=request.user)
    page = Paginator(polls, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **header_context(request, community, "polls"),
        "page": page,
        "can_create": permissions.can_create_poll(request.user, community),
        "can_create_date": permissions.can_create_date_poll(request.user, community),
    }
    return render(request, "decisions/poll_list.html", context)


def _create(request, slug, *, form_class, service, date: bool):
    community = _community(request, slug)
    check = permissions.check_create_date_poll if date else permissions.check_create_poll
    check(request.user, community)
    form = form_class(
        request.POST or None, initial=request.GET.dict() if not request.POST else None
    )
    about = None if date else _about(request, community)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not date:
                data["session_id"] = data.pop("session")
                data["thread_id"] = data.pop("thread")
            try:
                poll = service(community=community, by=request.user, **data)
            except ValidationError as exc:
                # The session and discussion are hidden fields: their errors go on top.
                apply_service_errors(form, exc, rename={"session": "about", "thread": "about"})
            else:
                messages.success(request, _("Your poll is open."))
                return redirect("poll-detail", slug=community.slug, pk=poll.pk)
        status = 400
    context = {
        **header_context(request, community, "polls"),
        "form": form,
        "date": date,
        "about": about,
    }
    return render(request, "decisions/poll_form.html", context, status=status)


def _id(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= 10 else None


def _about(request, community) -> selectors.About:
    """What the poll on the form is about: the session or discussion in the address (the
    link from its page) or, once sent, in the form's hidden fields."""
    data = request.POST if request.method == "POST" else request.GET
    return selectors.about_get(
        community=community,
        viewer=request.user,
        session_id=_id(data.get("session")),
        thread_id=_id(data.get("thread")),
    )


@login_required
def poll_create_view(request, slug):
    return _create(request, slug, form_class=PollForm, service=services.poll_create, date=False)


@login_required
def date_poll_create_view(request, slug):
    return _create(
        request, slug, form_class=DatePollForm, service=services.date_poll_create, date=True
    )


def _detail(request, community, poll, *, error: str = "", status: int = 200):
    voted = selectors.has_voted(poll=poll, viewer=request.user)
    show = permissions.can_see_results(poll, voted=voted)
    tally = selectors.poll_tally(poll=poll) if show else None
    mine = selectors.my_answers(poll=poll, viewer=request.user)
    context = {
        **header_context(request, community, "polls"),
        "poll": poll,
        "about": selectors.poll_about(poll=poll, viewer=request.user),
        "options": poll.options.all(),
        "voted": voted,
        # Each result with the viewer's own answer to it (a date poll has one for every date).
        "rows": [(row, mine.get(row.option.pk)) for row in tally.options] if tally else [],
        "can_vote": permissions.can_vote(request.user, poll) and not voted,
        "tally": tally,
        "winner": selectors.winning_option(tally) if tally and poll.is_date else None,
        "can_close": permissions.can_close(request.user, poll),
        "can_plan": permissions.can_plan_session(request.user, poll),
        "error": error,
    }
    return render(request, "decisions/poll_detail.html", context, status=status)


@login_required
def poll_detail_view(request, slug, pk):
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=pk, viewer=request.user)
    return _detail(request, community, poll)


def _answers(request, poll) -> dict[int, str]:
    """The form's choices as {option id: answer}; anything unreadable is left for the
    service to refuse."""
    answers: dict[int, str] = {}
    if poll.is_date:
        for option in poll.options.all():
            value = request.POST.get(f"answer-{option.pk}")
            if value is not None:
                answers[option.pk] = value
        return answers
    for value in request.POST.getlist("option"):
        try:
            answers[int(value)] = "yes"
        except ValueError:
            answers[-1] = "yes"
    return answers


@login_required
@require_POST
def poll_vote_view(request, slug, pk):
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=pk, viewer=request.user)
    try:
        services.poll_vote(poll=poll, by=request.user, answers=_answers(request, poll))
    except ValidationError as exc:
        return _detail(request, community, poll, error=" ".join(exc.messages), status=400)
    messages.success(request, _("Thank you, your vote is in."))
    return redirect("poll-detail", slug=community.slug, pk=poll.pk)


@login_required
@require_POST
def poll_close_view(request, slug, pk):
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=pk, viewer=request.user)
    services.poll_close(poll=poll, by=request.user)
    messages.success(request, _("The poll is closed."))
    return redirect("poll-detail", slug=community.slug, pk=poll.pk)


@login_required
@require_POST
def poll_plan_view(request, slug, pk):
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=pk, viewer=request.user)
    try:
        session = services.poll_session_plan(poll=poll, by=request.user)
    except ValidationError as exc:
        return _detail(request, community, poll, error=" ".join(exc.messages), status=400)
    messages.success(request, _("The session is planned."))
    return redirect("session-detail", slug=community.slug, pk=session.pk)
