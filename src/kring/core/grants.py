"""Access to one object beyond its community's members, granted by an app above.

Core knows no feature, so the sides meet here. An app that opens an object to more people
(kring.networks: an item or a question shared with a network opens it to the members of the
network's communities) registers a check in its AppConfig.ready():

    grants.register("knowledge.item", item_shared_with)       # networks

and the app that owns the object asks, after its own rule said no:

    can_react(user, item) or grants.granted("knowledge.item", user, item)

A grant is asked for one act only, where the owning app says so: marking a library item
useful, answering a question. It never opens the community's own pages (which keep checking
membership), nor commenting, flagging, accepting, editing or hidden posts. The answer is kept
on the user object for the rest of the request (`forget` after a change).
"""

from collections.abc import Callable

Check = Callable[[object, object], bool]

_checks: dict[str, list[Check]] = {}


def register(kind: str, check: Check) -> None:
    checks = _checks.setdefault(kind, [])
    if check not in checks:
        checks.append(check)


def granted(kind: str, user, obj) -> bool:
    if user is None or not user.is_authenticated or obj is None or obj.pk is None:
        return False
    checks = _checks.get(kind)
    if not checks:
        return False
    cache = getattr(user, "_grants", None)
    if cache is None:
        cache = user._grants = {}
    key = (kind, obj.pk)
    if key not in cache:
        cache[key] = any(check(user, obj) for check in checks)
    return cache[key]


def forget(user) -> None:
    """After a change of what is shared (a share, a withdrawal, a link): ask again."""
    if user is not None and hasattr(user, "_grants"):
        del user._grants
