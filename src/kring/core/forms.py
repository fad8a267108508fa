"""Form helpers shared by every feature's views."""

from django import forms
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def apply_service_errors(form, exc: ValidationError, *, rename: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message next to its field (a
    service's own name for a field can be mapped with `rename`), the rest at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


class WritingBox(forms.Textarea):
    """A textarea for longer text that is stored as Markdown. With JavaScript it gets a small
    toolbar (bold, list, link, quote) and a preview; without, it is a plain textarea. The
    toolbar and preview are rendered here but hidden, so their words come from the catalogue."""

    template_name = "core/widgets/writing_box.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = reverse("markdown-preview")
        return context


WRITING_HINT = _("Write as you would in an e-mail. An empty line starts a new paragraph.")


class _Picker:
    """A <select> that JavaScript turns into a searchable picker (Tom Select); without
    JavaScript it stays the plain list."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-picker": "",
                "data-picker-js": static("vendor/tom-select/tom-select.complete.min.js"),
                "data-picker-css": static("vendor/tom-select/tom-select.default.min.css"),
                "data-picker-placeholder": str(self.placeholder),
                "data-picker-empty": str(_("Nobody or nothing found with that name.")),
                "data-picker-remove": str(_("Remove")),
            }
        )
        return context


class PickerMultiple(_Picker, forms.SelectMultiple):
    template_name = "core/widgets/picker_multiple.html"

    def __init__(self, attrs=None, choices=(), *, placeholder=None):
        super().__init__(attrs, choices)
        self.placeholder = placeholder or _("Type to search…")


class Picker(_Picker, forms.Select):
    template_name = "core/widgets/picker_select.html"

    def __init__(self, attrs=None, choices=(), *, placeholder=None):
        super().__init__(attrs, choices)
        self.placeholder = placeholder or _("Type to search…")
