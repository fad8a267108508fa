import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from kring.accounts.models import User
from kring.communities.selectors import community_get_inside
from kring.knowledge.documents import KIND_FILTERS, search_document


def platform_viewer() -> User:
    """Someone who sees every community, for running searches from the server itself.

    Never saved: it only answers the permission checks as a platform admin would."""
    return User(email="", full_name="kring search", is_active=True, is_superuser=True)


class Command(BaseCommand):
    help = (
        "Search a community's library the way GET /api/v1/communities/SLUG/search does. "
        "Without --as the search runs as a platform admin (every community is visible)."
    )
    # The language is chosen below, as the API would choose it.
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("query")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="search as this person")
        parser.add_argument("--kind", default="", choices=["", *KIND_FILTERS])
        parser.add_argument("--theme", default="", help="a theme's slug")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the reasons in `people` (default: %(default)s, as the API)",
        )
        parser.add_argument(
            "--people",
            action="store_true",
            help="also who knows about it (the API's people=true)",
        )
        parser.add_argument("--json", action="store_true", help="print the API's JSON document")

    def handle(self, *args, slug, query, as_email, kind, theme, limit, offset, language, **opts):
        if as_email:
            viewer = User.objects.filter(email__iexact=as_email.strip(), is_active=True).first()
            if viewer is None:
                raise CommandError(f"No active person with e-mail address {as_email!r}.")
        else:
            viewer = platform_viewer()
        with translation.override(language):
            try:
                community = community_get_inside(slug=slug, user=viewer)
                document = search_document(
                    community=community,
                    viewer=viewer,
                    q=query,
                    kind=kind,
                    theme=theme,
                    limit=limit,
                    offset=offset,
                    people=opts["people"],
                )
            except Http404:
                raise CommandError(f"No community {slug!r} that this person may see.") from None
            except PermissionDenied:
                raise CommandError(f"{as_email} is not a member of {slug!r}.") from None
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self._print(document, query)

    def _print(self, document: dict, query: str) -> None:
        results = document["results"]
        self.stdout.write(
            f"{document['total']} result{'s' if document['total'] != 1 else ''} for {query!r}"
        )
        for number, hit in enumerate(results, start=1):
            self.stdout.write(
                f"{number:3}. {hit['title']}  [{hit['type']} {hit['id']}, score {hit['score']}]"
            )
            if hit["snippet"]:
                self.stdout.write(f"     {hit['snippet']}")
            self.stdout.write(f"     {hit['url']}")
        if document["people"]:
            self.stdout.write("\nWho knows about this:")
            for person in document["people"]:
                self.stdout.write(f"  - {person['name']} <{person['email']}>: {person['reason']}")
