"""Prepare the test provider: an RSA signing key, Kring as a client, and people.

provider_setup --redirect-uri URI --post-logout-uri URI --client-id ID --client-secret SECRET
               --people JSON
where JSON is a list of {"email", "password", "name", "verified"}.
"""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from oidc_provider.validator import UNVERIFIED_GROUP


class Command(BaseCommand):
    help = "Create the signing key, Kring's client registration and the test people."

    def add_arguments(self, parser):
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--post-logout-uri", default="")
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--people", default="[]")

    def handle(self, *args, **options):
        if not settings.KEY_FILE.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            settings.KEY_FILE.write_bytes(pem)
        Application.objects.update_or_create(
            client_id=options["client_id"],
            defaults={
                "name": "Kring",
                "client_secret": options["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": options["redirect_uri"],
                "post_logout_redirect_uris": options["post_logout_uri"],
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
        unverified, _created = Group.objects.get_or_create(name=UNVERIFIED_GROUP)
        for person in json.loads(options["people"]):
            first, _sep, last = person.get("name", "").partition(" ")
            user, _created = User.objects.update_or_create(
                username=person["email"],
                defaults={"email": person["email"], "first_name": first, "last_name": last},
            )
            user.set_password(person["password"])
            user.save()
            if person.get("verified", True):
                user.groups.remove(unverified)
            else:
                user.groups.add(unverified)
