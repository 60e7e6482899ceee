"""How often one address is mailed, and how often one client may ask for mail.

One mailbox received 30 password-reset and 30 "your account" messages in a
minute: anyone may type anyone's address into a form. So each address may be
sent at most POZIRK_MAILS_PER_HOUR messages of each kind an hour, and each
client may post at most POZIRK_ACCOUNT_REQUESTS_PER_HOUR requests to each
form that sends mail. Past either limit the form's page reads exactly as
before and nothing is sent: the limit tells nobody whether an address has an
account.

Counters live in the cache (Redis in production) for an hour, under keyed
hashes of the address and of the client's network address: neither is
stored anywhere, and a lost cache only forgets the counts.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from .lockout import client_address, pseudonym

logger = logging.getLogger(__name__)

HOUR = 60 * 60


def _within(key, limit):
    """Count one more under `key` (a window of an hour from the first);
    is the count still within `limit`?"""
    try:
        cache.add(key, 0, HOUR)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between the two calls
            cache.set(key, 1, HOUR)
            count = 1
    except Exception:  # a cache outage must not stop readers' accounts working
        logger.warning("Mail limits unavailable: counting nothing", exc_info=True)
        return True
    return count <= limit


def may_mail(kind, email):
    """May `email` be sent one more message of `kind` this hour? (Counts it.)"""
    key = f"limits:mail:{kind}:{pseudonym('mail', email.strip().lower())}"
    return _within(key, settings.POZIRK_MAILS_PER_HOUR)


def may_ask(request, form):
    """May this client post `form` once more this hour? (Counts it.)"""
    key = f"limits:client:{form}:{pseudonym('client', client_address(request))}"
    return _within(key, settings.POZIRK_ACCOUNT_REQUESTS_PER_HOUR)
