"""`manage.py demo_code`: the code the demo staff accounts' authenticator app
shows now, for the quick start's second step (seed_demo prints the key)."""

import base64

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

# The demo staff accounts' authenticator-app key, hex as django-otp stores it.
# Public, like the demo passwords: never on a real site.
DEMO_APP_KEY = "4e6577737230306d2d64656d6f2d6b65792d3230"


def demo_app_secret():
    """The key as authenticator apps take it (base32)."""
    return base64.b32encode(bytes.fromhex(DEMO_APP_KEY)).decode()


class Command(BaseCommand):
    help = "Print the current code of the demo staff accounts' authenticator app."

    def handle(self, *args, **options):
        self.stdout.write(f"{TOTP(bytes.fromhex(DEMO_APP_KEY)).token():06d}")
