"""The "Insights" tab in the community header, for facilitators only."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.core.reverse import reverse
from kring.insights import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def insights_tab(context, community, tab: str = ""):
    """A tab item for the header's list; nothing for people who do not facilitate."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_facilitate(user, community):
        return ""
    url = reverse("insights-dashboard", kwargs={"slug": community.slug})
    current = mark_safe(' aria-current="page"') if tab == "insights" else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', url, current, _("Insights"))
