"""What the brute-force lockout (django-axes) keys on, without keeping it.

Locking per account and per address needs something to count against, but a
table of readers' emails and IP addresses is exactly what must not exist.
Both are replaced by keyed hashes: stable enough to count failures, useless
to anyone who reads the table without the secret key.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def _digest(kind, value):
    key = f"paywall.lockout.{kind}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


def pseudonym(kind, value):
    """`value` (an email, an address) as a keyed hash: the same for the same
    value, meaningless without the secret key."""
    return _digest(kind, value).hex()[:40]


def hashed_username(request, credentials=None):
    """The attempted email, normalised and hashed (registered or not, alike)."""
    field = "email"
    email = (credentials or {}).get(field) or (credentials or {}).get("username")
    if email is None and request is not None:
        email = request.POST.get("username") or request.POST.get(field)
    if not email:
        return None
    return _digest("email", email.strip().lower()).hex()[:40]


def client_address(request):
    """The client's address, trusting X-Forwarded-For only as far as
    NEWSROOM_PROXY_COUNT proxies of our own vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSROOM_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    return remote


def hashed_client_address(request):
    """The client address as a pseudonymous IPv6 address (axes stores an IP)."""
    return str(ipaddress.IPv6Address(_digest("address", client_address(request))[:16]))
