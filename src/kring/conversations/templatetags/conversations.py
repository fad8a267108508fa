"""Template helpers for conversations that other apps' pages use (a profile's "Send a message"
and block buttons), so those apps need not import conversations."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kring.conversations import permissions, selectors
from kring.conversations.wording import notification_pattern

register = template.Library()


@register.simple_tag(takes_context=True)
def message_options(context, person) -> dict:
    """What the viewer can do about direct messages with `person`:
    {"can_message", "blocked" (the viewer blocked them), "can_block"}."""
    viewer = context["request"].user
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return {"can_message": False, "blocked": False, "can_block": False}
    return {
        "can_message": permissions.can_message(viewer, person),
        "blocked": selectors.block_exists(blocker=viewer, blocked=person),
        "can_block": True,
    }


@register.simple_tag
def notification_sentence(notification, viewer) -> str:
    """One sentence that says what happened and where, never the content of a message."""
    actor = notification.actor
    name = actor.display_name if actor is not None else _("Someone")
    notice = notification.notice
    if notice is not None:
        pattern, plain = notice.pattern, notice.values(name)
    else:
        thread = notification.thread
        title = thread.title if thread is not None else notification.subject
        pattern, plain = notification_pattern(notification, viewer), {"name": name, "title": title}
    values = {key: conditional_escape(value) for key, value in plain.items()}
    values["name"] = format_html('<strong class="person-name">{}</strong>', name)
    # The sentence is ours (or the translator's); the name and parts are escaped above.
    return mark_safe(conditional_escape(pattern) % values)  # noqa: S308
