"""The "Development" tab in the community header, for everyone who sees inside."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.growth import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def development_tab(context, community, tab: str = ""):
    """A tab item for the header's list; nothing for people who cannot read the path."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_read_development(user, community):
        return ""
    url = reverse("development", kwargs={"slug": community.slug})
    current = mark_safe(' aria-current="page"') if tab == "development" else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', url, current, _("Development"))
