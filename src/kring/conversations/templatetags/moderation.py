"""The "Moderation" tab in the community header, for facilitators, with the open flags."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.conversations import permissions, selectors
from kring.core.reverse import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_tab(context, community, tab: str = ""):
    """A tab item for the header's list; nothing for people who do not moderate."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_moderate(user, community):
        return ""
    count = selectors.open_flag_count(community=community, user=user)
    url = reverse("moderation-queue", kwargs={"slug": community.slug})
    current = mark_safe(' aria-current="page"') if tab == "moderation" else ""
    if not count:
        return format_html('<li><a href="{}"{}>{}</a></li>', url, current, _("Moderation"))
    label = ngettext("%(count)s open flag", "%(count)s open flags", count) % {"count": count}
    return format_html(
        '<li><a href="{}"{}>{} <span class="count-badge" aria-hidden="true">{}</span>'
        '<span class="visually-hidden"> ({})</span></a></li>',
        url,
        current,
        _("Moderation"),
        count,
        label,
    )
