"""The verbs of activity events: what happened. Each app owns the verbs it records.

Core knows no feature, so an app declares its verbs in its own `verbs.py` and registers
them there, at import:

    @register_verbs
    class KnowledgeVerb(models.TextChoices):
        ITEM_CREATED = "item_created", _("shared a library item")

`CoreConfig.ready()` imports every installed app's `verbs` module (as the admin does with
`admin.py`), so once Django is set up the registry is complete, and a verbs class can never
exist without being registered. `ActivityEvent.verb` has no `choices`: a new verb needs no
migration. `activity_record` refuses a verb nobody registered.

The values are what the database stores; they never change once events carry them.
"""

from typing import TypeVar

from django.db import models
from django.utils.functional import Promise

# ActivityEvent.verb's max_length.
VERB_MAX_LENGTH = 40

_VerbsClass = TypeVar("_VerbsClass", bound=type[models.TextChoices])


class VerbError(ValueError):
    """A verb registered twice, too long, or not registered at all."""


# value -> (the "module.Class" that owns it, its label: usually a lazy translation)
_verbs: dict[str, tuple[str, str | Promise]] = {}


def _owner_name(choices: type[models.TextChoices]) -> str:
    return f"{choices.__module__}.{choices.__qualname__}"


def register_verbs(choices: _VerbsClass) -> _VerbsClass:
    """Register an app's verbs (a class decorator). Registering the same class again is
    harmless; a value that another class already registered is refused."""
    owner = _owner_name(choices)
    for member in choices:
        value = str(member.value)
        if len(value) > VERB_MAX_LENGTH:
            raise VerbError(
                f"Activity verb {value!r} of {owner} is over {VERB_MAX_LENGTH} characters."
            )
        known = _verbs.get(value)
        if known is not None and known[0] != owner:
            raise VerbError(
                f"Activity verb {value!r} of {owner} is already registered by {known[0]}."
            )
    for member in choices:
        _verbs[str(member.value)] = (owner, member.label)
    return choices


def verb_is_registered(value: str) -> bool:
    return str(value) in _verbs


def check_verb(value: str) -> None:
    """Raise VerbError unless some app registered `value`."""
    if not verb_is_registered(value):
        raise VerbError(
            f"Unknown activity verb {str(value)!r}: declare it in a TextChoices class in the "
            "app's verbs.py and decorate that class with kring.core.verbs.register_verbs."
        )


def verb_label(value: str) -> str:
    """The verb's label in the active language; an unknown value (say, from a feature that is
    gone) is shown as it is stored, as Django's get_FOO_display() does."""
    known = _verbs.get(str(value))
    return str(known[1]) if known is not None else str(value)


def verbs_registered() -> list[tuple[str, str]]:
    """(value, label in the active language) for every registered verb, in registration order
    (the order of INSTALLED_APPS, then of each class)."""
    return [(value, str(label)) for value, (_owner, label) in _verbs.items()]
