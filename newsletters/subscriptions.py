"""Subscribing with double opt-in, managing, unsubscribing.

Nothing is stored about an address until its owner confirms: the
confirmation link carries the address and the choices, signed. Asking
twice, or for an address already subscribed, gets the same page and the
same message, so the form tells nobody who subscribes.
"""

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac

from paywall.models import User

from .models import Newsletter, Subscriber

CONFIRMATION_SALT = "newsletters.confirm"


def _under_mail_limit(email):
    """May this address be sent another confirmation this hour? Counted
    under a keyed hash, so the cache holds no addresses."""
    key = "newsletters:confirmations:" + salted_hmac(CONFIRMATION_SALT, email.lower()).hexdigest()
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) <= settings.NEWSLETTERS_CONFIRMATIONS_PER_HOUR
    except Exception:
        return True


def confirmation_token(email, newsletters, discreet):
    return signing.dumps(
        {"e": email, "n": sorted(n.pk for n in newsletters), "d": bool(discreet)},
        salt=CONFIRMATION_SALT,
        compress=True,
    )


def request_subscription(request, email, newsletters, discreet):
    """Mail a confirmation link for these choices (within the hourly limit)."""
    if not _under_mail_limit(email):
        return
    token = confirmation_token(email, newsletters, discreet)
    context = {
        "url": request.build_absolute_uri(reverse("newsletters:confirm", args=[token])),
        "newsletters": newsletters,
        "site_name": settings.SITE_NAME,
        "days": settings.NEWSLETTERS_CONFIRMATION_DAYS,
    }
    subject = render_to_string("newsletters/email/confirm_subject.txt", context).strip()
    body = render_to_string("newsletters/email/confirm.txt", context)
    send_mail(subject, body, settings.NEWSLETTERS_FROM_EMAIL, [email])


def read_token(token):
    """The (email, newsletters, discreet) a confirmation link asks for, or
    None if it is forged, damaged or expired."""
    try:
        data = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.NEWSLETTERS_CONFIRMATION_DAYS * 86400
        )
        email, ids, discreet = str(data["e"]), list(data["n"]), bool(data["d"])
        ids = [int(pk) for pk in ids]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return email, Newsletter.objects.active().filter(pk__in=ids), discreet


def confirm(email, newsletters, discreet):
    """The owner of `email` confirmed: they receive these newsletters from now on."""
    try:
        return _confirm(email, newsletters, discreet)
    except IntegrityError:
        # The same link confirmed twice at once: the other request made the row.
        return _confirm(email, newsletters, discreet)


@transaction.atomic
def _confirm(email, newsletters, discreet):
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email, discreet=discreet)
    if subscriber.user_id is None:
        # The same confirmed address has an account: its POZIRK+ counts
        # (the gate in email asks for the account), and deleting it ends this.
        account = User.objects.filter(email__iexact=email, is_active=True).first()
        if account is not None and not Subscriber.objects.filter(user=account).exists():
            subscriber.user = account
            subscriber.save(update_fields=["user"])
    elif discreet and not subscriber.discreet:
        subscriber.discreet = True
        subscriber.save(update_fields=["discreet"])
    subscriber.newsletters.add(*newsletters)
    return subscriber


def for_account(user):
    """The subscriber a logged-in reader manages: linked to the account, or
    the same (confirmed) address subscribed before the account existed."""
    subscriber = Subscriber.objects.filter(user=user).first()
    if subscriber is None:
        subscriber = Subscriber.objects.filter(email__iexact=user.email, user=None).first()
    return subscriber


@transaction.atomic
def save_choices(subscriber, newsletters, discreet, user=None, email=None):
    """Set a subscriber's newsletters and mode; with none left, forget the
    address altogether. Returns the subscriber, or None once forgotten."""
    if subscriber is None:
        if not newsletters:
            return None
        subscriber = Subscriber.objects.create(email=email, user=user, discreet=discreet)
    if not newsletters:
        subscriber.delete()
        return None
    subscriber.discreet = discreet
    if user is not None:
        subscriber.user = user
    subscriber.save()
    subscriber.newsletters.set(newsletters)
    return subscriber


def unsubscribe(subscriber, newsletter):
    """Stop one newsletter at once; the last one forgets the address."""
    subscriber.newsletters.remove(newsletter)
    if not subscriber.newsletters.exists():
        subscriber.delete()
