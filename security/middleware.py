import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware, is_verified

from . import factors

# Where someone who has not passed their second factor may still go: the
# second-factor pages themselves (and the key ceremony's endpoints), and out.
OPEN_NAMESPACES = {"security", "otp_webauthn"}
OPEN_VIEWS = {"paywall:logout", "admin:logout"}


def _with_next(url, request):
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Staff, and readers who chose a second factor, reach nothing but the
    second-factor pages until they have passed one: those without a factor
    are sent to set one up, the others to give theirs. A staff session ends
    NEWSROOM_STAFF_SESSION_HOURS after the password was given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not factors.must_pass(request):
            return None
        match = request.resolver_match
        if match.view_name in OPEN_VIEWS:
            return None
        if request.user.is_staff and factors.staff_session_expired(request):
            logout(request)
            return redirect(_with_next(reverse("admin:login"), request))
        if match.namespace in OPEN_NAMESPACES or factors.passed(request):
            return None
        if request.user.is_verified():
            # Passed with an authenticator app by someone held to keys: they
            # may now add one, and nothing else.
            target = "security:factors"
        elif factors.has_any_device(request.user):
            target = "security:verify"
        else:
            target = "security:factors"
        return redirect(_with_next(reverse(target), request))


class VerifiedUserMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`),
    with a visitor who has no session answered at once.

    django-otp wraps Django's lazy `request.user` in a lazy object of its own,
    so every look at the user goes through two proxies: about a twentieth of
    the CPU of a page the page cache missed. A request without a session
    cookie can only be an anonymous visitor (Django's `get_user` finds nobody
    in an empty session; logging in sets `request.user` itself), so its user is
    that, at once, with the fields django-otp gives every user."""

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return super().__call__(request)
        user = AnonymousUser()
        user.otp_device = None
        user.is_verified = functools.partial(is_verified, user)
        request.user = user

        async def auser():
            return user

        request.auser = auser
        return self.get_response(request)
