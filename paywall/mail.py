"""Account messages: sent within the limits, or rehearsed.

A message for an address without an account is rendered, counted and built
just as a real one is, then not handed to the mail backend: the answer costs
the same either way (tests/test_account_timing.py), so its time says nothing
about the address. So is a message past the address's limit (paywall.limits).
"""

from django.conf import settings
from django.core.mail import EmailMessage

from . import limits


def send(kind, to, subject, body, *, really=True):
    """Send `kind` of message to `to`, unless `really` is False (nobody has
    that address) or the address has had its share this hour."""
    allowed = limits.may_mail(kind, to)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if really and allowed:
        message.send()
    else:
        # What sending costs short of the handoff: the backend made ready,
        # and the message it would build.
        message.get_connection()
        message.message()
