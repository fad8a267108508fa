"""`DELETE /api/v1/me`."""

from typing import Literal

from ninja import Router, Schema, Status

from kring.privacy.erasure import account_erase


class EraseIn(Schema):
    contributions: Literal["keep", "remove"]


SUMMARY = "Erase your account"
DESCRIPTION = (
    "Erases the account the token belongs to, for good (GDPR art. 17). "
    "`contributions`: `keep` leaves your posts, library items, comments and reflections, "
    'shown as by a "former member"; `remove` deletes them (a post or library item others '
    "replied to, commented on, edited, added files to or reported stays, with its text "
    "replaced; co-authored items stay without you). Either way the "
    "other person keeps your direct messages, and everything private is deleted. Your "
    "tokens stop working at once. Needs a write token."
)


def me_erase(request, payload: EraseIn):
    account_erase(user=request.user, contributions=payload.contributions, by=request.user)
    return Status(204, None)


def mount(parent: Router) -> None:
    """Puts the operation on /me itself. Mounted as a sub-router at "", django-ninja would
    serve it at /me/ (with a trailing slash) and Django would redirect DELETE /me there."""
    parent.delete("", response={204: None}, summary=SUMMARY, description=DESCRIPTION)(me_erase)
