"""Who must pass a second factor, which ones count, and what passing one
records in the session.

Staff must; readers who added a factor to their account must too. A session
is "verified" once a factor has been passed in it (django-otp keeps which
device did it); the time of that is kept beside it, for the re-check before
sensitive actions, and staff sessions end a set number of hours after the
password was given.
"""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import Event, Factor, RecoveryCodeDevice, SecurityEvent

# Session keys.
NEEDS_FACTOR = "security_needs_factor"
LOGGED_IN_AT = "security_logged_in_at"
VERIFIED_AT = "security_verified_at"


def factor_of(device):
    if isinstance(device, WebAuthnCredential):
        return Factor.KEY
    if isinstance(device, TOTPDevice):
        return Factor.APP
    if isinstance(device, RecoveryCodeDevice):
        return Factor.RECOVERY
    return ""


def keys_only(user):
    """Is `user` held to security keys (no authenticator app), by setting?"""
    return settings.NEWSROOM_SECURITY_KEYS_ONLY_FOR_PUBLISHERS and user.has_perm(
        settings.NEWSROOM_PUBLISHING_PERMISSION
    )


def keys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


def app_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_of(user):
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()


def has_factor(user):
    """A factor that lets `user` in: a key, or an authenticator app where
    allowed. Recovery codes are the way back in, not a factor of their own."""
    return keys_of(user).exists() or (not keys_only(user) and app_of(user) is not None)


def has_any_device(user):
    return keys_of(user).exists() or app_of(user) is not None or recovery_codes_of(user) is not None


def must_pass(request):
    """Does this session's user have to pass a second factor?"""
    user = request.user
    return user.is_authenticated and (user.is_staff or request.session.get(NEEDS_FACTOR, False))


def leaves_alone(session):
    """Would a non-staff reader with this session's data pass the
    second-factor check without a look: no factor asked of them, and none
    passed in the session (nothing for django-otp to load)?"""
    return not session.get(NEEDS_FACTOR, False) and DEVICE_ID_SESSION_KEY not in session


def is_sufficient(user, device):
    """Does having passed `device` let `user` in? An authenticator app does not
    for someone held to keys (it still lets them add their first key)."""
    if device is None:
        return False
    return factor_of(device) != Factor.APP or not keys_only(user)


def passed(request):
    user = request.user
    return user.is_verified() and is_sufficient(user, user.otp_device)


def recently_passed(request):
    """Was a second factor passed in this session within the last
    NEWSROOM_REAUTHENTICATION_MINUTES?"""
    at = request.session.get(VERIFIED_AT)
    window = timedelta(minutes=settings.NEWSROOM_REAUTHENTICATION_MINUTES).total_seconds()
    return passed(request) and at is not None and timezone.now().timestamp() - at <= window


def staff_session_expired(request):
    started = request.session.get(LOGGED_IN_AT)
    lifetime = timedelta(hours=settings.NEWSROOM_STAFF_SESSION_HOURS).total_seconds()
    return started is None or timezone.now().timestamp() - started > lifetime


def mark_passed(request, device):
    """`request.user` has just passed `device`: the session is verified now."""
    from paywall.sessions import follow_key_change

    otp_login(request, device)
    request.session[VERIFIED_AT] = timezone.now().timestamp()
    # A new key for the upgraded session, as for any change of privilege; the
    # device list follows it.
    old_key = request.session.session_key
    request.session.cycle_key()
    follow_key_change(old_key, request.session.session_key)
    SecurityEvent.objects.record(
        Event.LOGIN, request.user, request=request, factor=factor_of(device)
    )


# The lockout (django-axes) counts failed second factors against the account
# under a key of their own: a correct password resets the account's password
# failures, and must not reset these, or a thief who knows the password could
# guess codes forever, five at a time.


def _lockout_credentials(user):
    return {"username": f"second-factor:{user.get_username()}"}


def locked_out(request, user):
    return not AxesProxyHandler.is_allowed(request, _lockout_credentials(user))


def record_failure(request, user, factor):
    """A wrong code or key: logged, and counted by the lockout, which turns
    this response into a 429 once the limit is reached (AxesMiddleware)."""
    SecurityEvent.objects.record(Event.LOGIN_FAILED, user, request=request, factor=factor)
    user_login_failed.send(__name__, credentials=_lockout_credentials(user), request=request)


def on_password_login(sender, request, user, **kwargs):
    """A password (or any login) was accepted: remember whether a second
    factor must follow, and when, so that staff sessions can end on time."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now()
    request.session[LOGGED_IN_AT] = now.timestamp()
    if user.is_staff:
        request.session.set_expiry(now + timedelta(hours=settings.NEWSROOM_STAFF_SESSION_HOURS))
    elif has_any_device(user):
        request.session[NEEDS_FACTOR] = True


def on_password_failure(sender, credentials, request=None, **kwargs):
    """A wrong password for a staff account goes in the security log
    (readers' failed logins do not: the lockout's hashed counts are enough)."""
    from django.contrib.auth import get_user_model

    email = (credentials or {}).get("username") or (credentials or {}).get("email")
    if not email or sender == __name__:
        return
    user = get_user_model().objects.filter(email__iexact=email, is_staff=True).first()
    if user is not None:
        SecurityEvent.objects.record(
            Event.LOGIN_FAILED, user, request=request, factor=Factor.PASSWORD
        )


def reset(user, by, request=None):
    """Remove every second factor of `user` (an administrator's answer to a
    lost key) and end their sessions; they set one up at their next login."""
    from paywall.sessions import end_all_sessions

    WebAuthnCredential.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    end_all_sessions(user)
    SecurityEvent.objects.record(Event.FACTORS_RESET, user, request=request, by=by)
