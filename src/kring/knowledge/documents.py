"""Plain documents shared by the HTTP API and the `kring` commands, built in one place so
the two cannot drift apart."""

import html
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kring.communities.models import Community
from kring.knowledge import selectors
from kring.knowledge.models import Kind

# What a `kind` filter accepts: one kind, or either half of the library.
KIND_FILTERS = ("implicit", "explicit", *Kind.values)
SEARCH_MAX_LIMIT = 50
SEARCH_MAX_QUERY = 500
_MARK = re.compile(r"</?mark>")


def plain_text(fragment: str) -> str:
    """The text of a highlighted fragment: <mark> tags dropped, entities decoded.

    The fragment is escaped HTML, so the only tags in it are the <mark>s we put there."""
    return html.unescape(_MARK.sub("", fragment))


def search_document(
    *,
    community: Community,
    viewer,
    q: str,
    kind: str = "",
    theme: str = "",
    limit: int = 20,
    offset: int = 0,
    people: bool = False,
) -> dict:
    """What `GET /communities/{slug}/search` and `kring search --json` return.

    {"total", "results": [{"type", "id", "title", "snippet", "snippet_html", "score",
    "url"}], "people": [{"email", "name", "reason"}] or None}, results best first. The
    viewer must be allowed inside the community (selectors check this).

    `people` ("who knows this?") only when asked: it reads the help tags, the authors of up
    to 200 matching items and their useful marks, which cost as much as the search itself.
    """
    q = " ".join((q or "").split())
    errors = {}
    if not q:
        errors["q"] = _("Type what you are looking for.")
    elif len(q) > SEARCH_MAX_QUERY:
        errors["q"] = _("Keep the search to %(max)s characters.") % {"max": SEARCH_MAX_QUERY}
    if kind and kind not in KIND_FILTERS:
        errors["kind"] = _("Unknown kind %(kind)s. Choose one of: %(kinds)s.") % {
            "kind": kind,
            "kinds": ", ".join(KIND_FILTERS),
        }
    if not 1 <= limit <= SEARCH_MAX_LIMIT:
        errors["limit"] = _("Ask for 1 to %(max)s results.") % {"max": SEARCH_MAX_LIMIT}
    if offset < 0:
        errors["offset"] = _("The offset cannot be negative.")
    if errors:
        raise ValidationError(errors)
    found = selectors.community_search(
        community=community,
        viewer=viewer,
        q=q,
        kind=kind,
        theme=theme,
        limit=limit,
        offset=offset,
    )
    experts = (
        selectors.who_knows(community=community, viewer=viewer, query=q, searched=found)
        if people
        else None
    )
    return {
        "total": found.total,
        "results": [
            {
                "type": hit.document.doc_type,
                "id": hit.document.doc_id,
                "title": hit.document.title,
                "snippet": plain_text(hit.snippet_html),
                "snippet_html": hit.snippet_html,
                "score": float(hit.score),
                "url": settings.SITE_URL + hit.document.url,
            }
            for hit in found.hits
        ],
        "people": (
            None
            if experts is None
            else [
                {"email": e.user.email, "name": e.user.full_name, "reason": e.reason}
                for e in experts
            ]
        ),
    }
