"""UI helpers: avatars, role badges, query-string building."""

from django import template
from django.utils.html import format_html

from kring.core.reverse import reverse

register = template.Library()

AVATAR_COLOURS = 7  # avatar-c0 … avatar-c6 in kring.css
AVATAR_SIZES = (32, 48, 96, 160)


@register.simple_tag
def avatar(person, size: int = 48, css: str = ""):
    """A person's photo, or their initials on a colour derived from who they are."""
    size = min(AVATAR_SIZES, key=lambda s: abs(s - int(size)))
    classes = f"avatar avatar-s{size} {css}".strip()
    if person.photo:
        url = reverse("person-photo", kwargs={"pk": person.pk})
        version = person.photo.name.rsplit("/", 1)[-1][:8]
        return format_html(
            '<img class="{}" src="{}?v={}" alt="" width="{}" height="{}" loading="lazy">',
            classes,
            url,
            version,
            size,
            size,
        )
    colour = (person.pk or 0) % AVATAR_COLOURS
    return format_html(
        '<span class="{} avatar-initials avatar-c{}" aria-hidden="true">{}</span>',
        classes,
        colour,
        person.initials,
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (empty value removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        # A new filter starts again at the first page.
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def person_name(person, css: str = "person-name"):
    """A person's name linking to their profile; a former member (an erased account) is
    named as such, in the reader's language, and links nowhere."""
    if getattr(person, "is_erased", False):
        return format_html('<span class="{} person-former">{}</span>', css, person.display_name)
    url = reverse("person-detail", kwargs={"pk": person.pk})
    if not css:
        return format_html('<a href="{}">{}</a>', url, person.full_name)
    return format_html('<a class="{}" href="{}">{}</a>', css, url, person.full_name)
