"""The "Climate pulse" tab in the community header: for facilitators always (they start
pulses there), for members once the community has had a pulse."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.core.reverse import reverse
from kring.insights import permissions, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def pulse_tab(context, community, tab: str = ""):
    """A tab item for the header's list, or nothing."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if not permissions.can_view_pulses(user, community):
        return ""
    # Members see the tab once there is a pulse; facilitators, to start the first one.
    if not permissions.can_facilitate(user, community) and not selectors.pulses_exist(
        community=community
    ):
        return ""
    url = reverse("pulse-list", kwargs={"slug": community.slug})
    current = mark_safe(' aria-current="page"') if tab == "pulse" else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', url, current, _("Climate pulse"))
