"""Form helpers shared by every feature's views."""

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError, *, rename: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message next to its field (a
    service's own name for a field can be mapped with `rename`), the rest at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)
