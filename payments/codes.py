"""Access codes: POZIRK+ for readers who cannot or must not pay by card.

A code is 16 letters and digits from an alphabet without look-alikes
(0/O, 1/I/L), written in groups of four: about 80 bits, beyond guessing even
before the lockout stops whoever tries. Only a keyed digest (HMAC-SHA256 with
the site's secret key) is stored, so the table of codes opens nothing to
someone who reads it without the key.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paywall.models import Subscription, SubscriptionSource, valid_until

from .models import AccessCode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 16
_NOT_IN_CODE = re.compile(r"[\s-]+")


class CodeRefused(Exception):
    """Why a code does not work, in words for the reader."""


MALFORMED = _("That is not an access code: it has 16 letters and digits, like ABCD-EFGH-JKLM-NPQR.")
UNKNOWN = _("That code does not exist. Check it for typing mistakes.")
USED = _("That code has already been used.")
EXPIRED = _("That code has expired.")


def new_code():
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(text):
    """A code as typed (any case, with or without dashes or spaces) as its
    16 characters; None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = _NOT_IN_CODE.sub("", text).upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def digest(code, secret=None):
    key = f"payments.access-code:{secret or settings.SECRET_KEY}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _digests(code):
    """Under the current key and the former ones, so codes made before a key
    rotation keep working until the old key is dropped."""
    return [digest(code, key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def make_batch(batch):
    """Make `batch.size` codes for a saved batch; return them in plain text,
    the one time anyone sees them."""
    codes = set()
    while len(codes) < batch.size:
        codes.add(new_code())
    AccessCode.objects.bulk_create(
        AccessCode(batch=batch, digest=digest(normalise(code))) for code in sorted(codes)
    )
    return sorted(codes)


def redeem(user, text):
    """Redeem a code for `user`: POZIRK+ from now, or from the end of the
    membership they already have, for the code's days. Raises CodeRefused."""
    code = normalise(text)
    if code is None:
        raise CodeRefused(MALFORMED)
    with transaction.atomic():
        access_code = (
            AccessCode.objects.select_for_update(of=("self",))
            .select_related("batch__plan")
            .filter(digest__in=_digests(code))
            .first()
        )
        if access_code is None:
            raise CodeRefused(UNKNOWN)
        if access_code.redeemed_at is not None:
            raise CodeRefused(USED)
        batch = access_code.batch
        if batch.is_expired:
            raise CodeRefused(EXPIRED)
        now = timezone.now()
        access_code.redeemed_at = now
        access_code.save(update_fields=["redeemed_at"])
        starts_at = valid_until(user, now) or now
        return Subscription.objects.create(
            user=user,
            plan=batch.plan,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=batch.duration_days),
            source=SubscriptionSource.CODE,
        )
