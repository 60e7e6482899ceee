"""The newsroom's Ed25519 key: it signs the mirror list and the daily files.

The private key comes from the environment (NEWSROOM_SIGNING_KEY: the
32-byte seed, base64), never from the database or the repository; anyone
can check a signature with the public key, which the about page and the
README publish. `manage.py signing_key --new` makes a key.
"""

import base64
import binascii
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEED_BYTES = 32


class NoSigningKey(ImproperlyConfigured):
    pass


def _decode(text, what):
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != SEED_BYTES:
        raise ImproperlyConfigured(f"{what} must be 32 bytes in base64 (manage.py signing_key).")
    return raw


def load_key(seed):
    """The private key whose seed is `seed` (base64), as NEWSROOM_SIGNING_KEY holds it."""
    return Ed25519PrivateKey.from_private_bytes(_decode(seed, "NEWSROOM_SIGNING_KEY"))


def private_key():
    seed = settings.NEWSROOM_SIGNING_KEY
    if not seed:
        raise NoSigningKey(
            "NEWSROOM_SIGNING_KEY is not set: the mirror list and the daily files "
            "cannot be signed. Make a key with `manage.py signing_key --new`."
        )
    return load_key(seed)


def has_key():
    return bool(settings.NEWSROOM_SIGNING_KEY)


def new_key():
    """A fresh private key, as NEWSROOM_SIGNING_KEY takes it."""
    seed = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(seed).decode()


def _raw_public(key):
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_base64(key=None):
    """The public key as published: 32 bytes, base64."""
    return base64.b64encode(_raw_public((key or private_key()).public_key())).decode()


def public_key_pem(key=None):
    """The public key as OpenSSL reads it (`openssl pkeyutl -verify -pubin`)."""
    return (
        (key or private_key())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def fingerprint(public_key_b64):
    """A short form of a public key to read out or compare by eye: the first
    16 bytes of its SHA-256, in groups."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(data):
    """The detached Ed25519 signature of `data` (64 bytes)."""
    return private_key().sign(data)


def verify(data, signature, public_key_b64=None):
    """Was `data` signed by the key (default: the newsroom's own)?"""
    public = public_key_b64 or public_key_base64()
    try:
        key = Ed25519PublicKey.from_public_bytes(_decode(public, "The public key"))
        key.verify(signature, data)
    except (InvalidSignature, ValueError, TypeError, ImproperlyConfigured):
        return False
    return True


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def canonical_json(value):
    """The bytes a JSON document's signature covers: keys sorted, no spaces,
    UTF-8. Any language's JSON library can make them again."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
