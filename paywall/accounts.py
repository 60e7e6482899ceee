"""Reader accounts: sign-up with a confirmed address, one-time sign-in links,
and deletion.

Neither sign-up, confirmation nor a sign-in link tells anyone whether an
address is already registered: the page says the same thing, each path costs
the same work (tests/test_account_timing.py), and the mailbox's owner is
told. No address is sent more than its share of messages (paywall.limits).
"""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from . import mail, sessions
from .models import User

CONFIRMATION_SALT = "paywall.confirm-email"

# Sent with `user` before an account is deleted, inside the deletion's
# transaction: whoever holds something about the reader elsewhere (a card
# subscription at Stripe: payments/apps.py) ends it there. A receiver that
# cannot raises AccountNotDeletable, and nothing is deleted.
account_deleting = Signal()


class AccountNotDeletable(Exception):
    """The account cannot be deleted right now; the reader is told to try later."""


def _render(request, template, context):
    context = {**context, "site_name": settings.SITE_NAME}
    subject = render_to_string(f"paywall/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"paywall/email/{template}.txt", context, request=request)
    return subject, body


def _send(request, to, template, context, *, really=True):
    """Mail `to` the message `template` (paywall.mail: within the limits; not
    at all, at the same cost, when `really` is False)."""
    subject, body = _render(request, template, context)
    mail.send(template, to, subject, body, really=really)


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
    address is taken, mail its owner instead. The caller cannot tell which,
    not even by the time it takes: every path hashes the password once."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        user = User.objects.create_user(email=email, password=password, is_active=False)
        _send(request, user.email, "confirm", {"url": confirmation_url(request, user, next_url)})
    elif existing.email_confirmed_at is None and existing.is_active is False:
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
        # The hash a new account would have cost, spent and thrown away: a
        # registered address must not answer faster than a new one.
        make_password(password)
        _send(
            request,
            existing.email,
            "already_registered",
            {
                "login_url": request.build_absolute_uri(reverse("paywall:login")),
                "reset_url": request.build_absolute_uri(reverse("paywall:password-reset")),
            },
        )


def resend_confirmation(request, email):
    user = User.objects.filter(
        email__iexact=email, is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        _send(request, user.email, "confirm", {"url": confirmation_url(request, user)})
    else:
        nobody = User(pk=0, email=email)
        _send(request, email, "confirm", {"url": confirmation_url(request, nobody)}, really=False)


# One-time sign-in links -----------------------------------------------------------


class SignInLinkTokens(PasswordResetTokenGenerator):
    """Tokens of one-time sign-in links: bound to the account's password and
    last login (Django's reset tokens are), so the link stops working once it
    has been used, or the password changed; and short-lived."""

    key_salt = "paywall.accounts.SignInLinkTokens"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - made
        return age <= settings.POZIRK_SIGN_IN_LINK_MINUTES * 60


sign_in_tokens = SignInLinkTokens()


def _sign_in_url(request, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = sign_in_tokens.make_token(user)
    return request.build_absolute_uri(reverse("paywall:sign-in", args=[uid, token]))


def send_sign_in_link(request, email):
    """Mail a one-time sign-in link to the confirmed account of `email`, if
    there is one; the caller cannot tell whether there was."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    context = {"minutes": settings.POZIRK_SIGN_IN_LINK_MINUTES}
    if user is not None:
        _send(request, user.email, "sign_in_link", {**context, "url": _sign_in_url(request, user)})
    else:
        _send(
            request,
            email,
            "sign_in_link",
            {**context, "url": _sign_in_url(request, User(pk=0, email=email))},
            really=False,
        )


def user_of_sign_in_link(uidb64, token):
    """The account a sign-in link opens, or None (forged, used, expired)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not sign_in_tokens.check_token(user, token):
        return None
    return user


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
