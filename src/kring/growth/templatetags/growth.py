"""The growth app's pieces on pages of lower apps (communities cannot import growth): the
"Development" and "Teams" tabs in the community header, the team filter in the member
directory and a person's teams on their profile."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.core.reverse import reverse
from kring.growth import permissions, selectors_teams

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _tab(context, community, *, can, url_name: str, label: str, current: bool) -> str:
    """A tab item for the header's list; nothing for people `can` refuses."""
    user = _viewer(context)
    if user is None or not can(user, community):
        return ""
    url = reverse(url_name, kwargs={"slug": community.slug})
    mark = mark_safe(' aria-current="page"') if current else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', url, mark, label)


@register.simple_tag(takes_context=True)
def development_tab(context, community, tab: str = ""):
    """The "Development" tab, for everyone who may read the path."""
    return _tab(
        context,
        community,
        can=permissions.can_read_development,
        url_name="development",
        label=_("Development"),
        current=tab == "development",
    )


@register.simple_tag(takes_context=True)
def teams_tab(context, community, tab: str = ""):
    """The "Teams" tab, for everyone who sees inside the community."""
    return _tab(
        context,
        community,
        can=permissions.can_read_teams,
        url_name="team-list",
        label=_("Teams"),
        current=tab == "teams",
    )


@register.simple_tag(takes_context=True)
def team_filter(context, community, chosen: str = ""):
    """The directory's "Team" field; nothing when the community has no teams."""
    teams = selectors_teams.team_choices(community=community)
    if not teams:
        return ""
    return render_to_string("growth/_team_filter.html", {"teams": teams, "chosen": chosen or ""})


@register.simple_tag(takes_context=True)
def person_teams(context, person, is_me: bool = False):
    """The teams a person is in, in the communities the viewer shares with them."""
    memberships = selectors_teams.person_teams(person=person, viewer=_viewer(context))
    if not memberships:
        return ""
    return render_to_string(
        "growth/_person_teams.html", {"memberships": memberships, "is_me": is_me}
    )
