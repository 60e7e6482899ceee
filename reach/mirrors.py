"""The list of addresses where the site can be read, signed by the newsroom.

An app or a reader's script fetches /mirrors.json (from any address it still
reaches, a retired mirror included) and checks the signature with the
newsroom's public key, published on the about page and in the README. A
forged list, one that a censor's network put in place of ours, fails.

The document:

    {"list": {"newsroom": "BPN", "public": "https://…/", "onion": "http://….onion/",
              "mirrors": ["https://…/", …], "issued_at": "2026-12-05T06:00:00+00:00"},
     "signature": "<base64 Ed25519 signature of the list as canonical JSON>"}

where canonical JSON is the list with its keys sorted, no spaces, UTF-8
(`reach.signing.canonical_json`).
"""

import base64
import binascii
import json

from django.conf import settings
from django.utils import timezone

from . import hosts, signing
from .models import Mirror


def public_url():
    return settings.NEWSROOM_PUBLIC_URL.rstrip("/") + "/" if settings.NEWSROOM_PUBLIC_URL else None


def current_list():
    """Every address where the site can be read now, most public first."""
    return {
        "newsroom": settings.SITE_NAME,
        "public": public_url(),
        "onion": hosts.onion_url(),
        "mirrors": [mirror.url for mirror in Mirror.objects.current().order_by("host")],
        "issued_at": timezone.now().replace(microsecond=0).isoformat(),
    }


def signed_document(addresses=None):
    addresses = addresses or current_list()
    signature = signing.sign(signing.canonical_json(addresses))
    return {"list": addresses, "signature": base64.b64encode(signature).decode()}


class BadDocument(ValueError):
    pass


def verify_document(text, public_key_b64=None):
    """The list in `text` (a mirrors.json) if its signature is the
    newsroom's; BadDocument otherwise."""
    try:
        document = json.loads(text)
        addresses = document["list"]
        signature = base64.b64decode(document["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise BadDocument(f"Not a mirror list: {error}") from None
    if not isinstance(addresses, dict):
        raise BadDocument("Not a mirror list: no list.")
    if not signing.verify(signing.canonical_json(addresses), signature, public_key_b64):
        raise BadDocument("The signature does not match: this list is not the newsroom's.")
    return addresses
