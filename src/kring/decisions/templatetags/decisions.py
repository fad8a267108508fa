"""The decisions app's piece on pages of lower apps (meetings and conversations cannot
import decisions): the polls about a session or a discussion, and a link to start one."""

from django import template
from django.urls import reverse

from kring.decisions import permissions, selectors

register = template.Library()


@register.inclusion_tag("decisions/_polls_about.html", takes_context=True)
def polls_about(context, session=None, thread=None):
    """`{% polls_about session=session %}` or `{% polls_about thread=thread %}`: the polls
    for those who may read them (one query), the start link for those who may start one;
    nothing at all when there is neither."""
    request = context.get("request")
    user = getattr(request, "user", None)
    subject = session or thread
    if user is None or subject is None:
        return {"show": False}
    polls, more = selectors.polls_about(viewer=user, session=session, thread=thread)
    start_url = ""
    if permissions.can_start_poll_about(user, session=session, thread=thread):
        about = f"session={session.pk}" if session is not None else f"thread={thread.pk}"
        start_url = reverse("poll-create", kwargs={"slug": subject.community.slug}) + "?" + about
    return {
        "show": bool(polls or start_url),
        "community": subject.community,
        "session": session,
        "polls": polls,
        "more": more,
        "start_url": start_url,
    }
