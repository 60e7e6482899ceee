"""Security keys and passkeys (django-otp-webauthn), as a second factor only.

The library's views do the ceremonies; these subclasses add what the
newsroom needs around them: the security log, the lockout for keys that fail,
and the session's verification time.
"""

from urllib.parse import urlsplit

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views

from . import factors
from .models import Event, Factor, SecurityEvent


def relying_party_id(request):
    """The host the browser is on, without a port: keys belong to a domain
    (and its origin must be in OTP_WEBAUTHN_ALLOWED_ORIGINS)."""
    return urlsplit(f"//{request.get_host()}").hostname or ""


class TooManyAttempts(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_detail = _("Too many attempts. Try again later.")
    default_code = "locked_out"


class RegisterKey(views.CompleteCredentialRegistrationView):
    """A new key for the logged-in person. Someone with a factor already must
    have passed it in this session first (the library checks)."""

    def post(self, *args, **kwargs):
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            SecurityEvent.objects.record(
                Event.FACTOR_ADDED, self.request.user, request=self.request, factor=Factor.KEY
            )
            if not was_verified:
                factors.mark_passed(self.request, self.request.user.otp_device)
        return response


class UseKey(views.CompleteCredentialAuthenticationView):
    """The logged-in person's key, as their second factor."""

    def check_can_authenticate(self):
        # Only after the password: the person is known.
        if not self.request.user.is_authenticated:
            raise exceptions.PasswordlessLoginDisabled()
        if factors.locked_out(self.request, self.request.user):
            raise TooManyAttempts()

    def handle_exception(self, exc):
        uncounted = (TooManyAttempts, exceptions.PasswordlessLoginDisabled)
        if (
            isinstance(exc, exceptions.OTPWebAuthnApiError)
            and not isinstance(exc, uncounted)
            and self.request.user.is_authenticated
        ):
            factors.record_failure(self.request, self.request.user, Factor.KEY)
        return super().handle_exception(exc)

    def complete_auth(self, device):
        factors.mark_passed(self.request, device)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("security:after-login")


app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete/", RegisterKey.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path("authentication/complete/", UseKey.as_view(), name="credential-authentication-complete"),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
