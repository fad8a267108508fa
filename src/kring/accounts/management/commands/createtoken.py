from django.core.management.base import BaseCommand, CommandError

from kring.accounts.models import TokenScope, User
from kring.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal access token for a person and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--name", default="created with kring createtoken")

    def handle(self, *args, email, scope, name, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No person with e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {email!r} is not active.")
        _token, secret = api_token_create(user=user, scope=scope, name=name)
        self.stdout.write(secret)
