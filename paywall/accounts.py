"""Reader accounts: sign-up with a confirmed address, and deletion.

Neither sign-up nor confirmation tells anyone whether an address is already
registered: the page says the same thing, and the mailbox's owner is told.
"""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import sessions
from .models import User

CONFIRMATION_SALT = "paywall.confirm-email"

# Sent with `user` before an account is deleted, inside the deletion's
# transaction: whoever holds something about the reader elsewhere (a card
# subscription at Stripe: payments/apps.py) ends it there. A receiver that
# cannot raises AccountNotDeletable, and nothing is deleted.
account_deleting = Signal()


class AccountNotDeletable(Exception):
    """The account cannot be deleted right now; the reader is told to try later."""


def _send(request, to, template, context):
    context = {**context, "site_name": settings.SITE_NAME}
    subject = render_to_string(f"paywall/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"paywall/email/{template}.txt", context, request=request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _password_fingerprint(user, secret=None):
    # Ties a link to the password set at sign-up: signing up again with the
    # same address sets a new password and voids the links sent before.
    return salted_hmac(CONFIRMATION_SALT, user.password, secret=secret).hexdigest()[:20]


def _fingerprint_matches(user, fingerprint):
    """Against the current key and the fallbacks, as the signature itself is:
    links sent before a key rotation keep working until the old key goes."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(
        constant_time_compare(fingerprint or "", _password_fingerprint(user, secret))
        for secret in secrets
    )


def confirmation_url(request, user, next_url=""):
    """The link that confirms `user`'s address; it then leads to `next_url`
    (a page of this site the reader was on their way to, such as joining
    POZIRK+), or to the account page."""
    data = {"user": user.pk, "email": user.email, "pw": _password_fingerprint(user)}
    if next_url:
        data["next"] = next_url
    token = signing.dumps(data, salt=CONFIRMATION_SALT)
    return request.build_absolute_uri(reverse("paywall:confirm-email", args=[token]))


def sign_up(request, email, password, next_url=""):
    """Create an inactive account and mail its confirmation link; or, if the
    address is taken, mail its owner instead. The caller cannot tell which."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.email_confirmed_at is None and existing.is_active is False:
            # Not confirmed yet: the latest sign-up's password is the one that counts.
            existing.set_password(password)
            existing.save(update_fields=["password"])
            _send(
                request,
                existing.email,
                "confirm",
                {"url": confirmation_url(request, existing, next_url)},
            )
        else:
            _send(
                request,
                existing.email,
                "already_registered",
                {
                    "login_url": request.build_absolute_uri(reverse("paywall:login")),
                    "reset_url": request.build_absolute_uri(reverse("paywall:password-reset")),
                },
            )
        return
    user = User.objects.create_user(email=email, password=password, is_active=False)
    _send(request, user.email, "confirm", {"url": confirmation_url(request, user, next_url)})


def resend_confirmation(request, email):
    user = User.objects.filter(
        email__iexact=email, is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        _send(request, user.email, "confirm", {"url": confirmation_url(request, user)})


def confirm(token):
    """The account a confirmation token opens, activated, and where the reader
    was going; (None, "") if the token is forged, expired, already used or for
    an address that has since changed."""
    try:
        data = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.POZIRK_CONFIRMATION_DAYS * 86400
        )
    except signing.BadSignature:
        return None, ""
    user = User.objects.filter(
        pk=data.get("user"), email=data.get("email"), email_confirmed_at__isnull=True
    ).first()
    if user is None or not _fingerprint_matches(user, data.get("pw")):
        return None, ""
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user, data.get("next") or ""


@transaction.atomic
def delete_account(user):
    """Delete a reader and everything that identifies them.

    Subscriptions stay as anonymous rows (plan and dates, no reader, no note)
    so the newsroom's counts survive; sessions, devices and gift links go,
    and so do admin history entries about the account, which name it.
    Services outside hear of it first (account_deleting).
    """
    account_deleting.send(sender=User, user=user)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    user.subscriptions.update(user=None, note="")
    sessions.end_all_sessions(user)
    user.delete()
