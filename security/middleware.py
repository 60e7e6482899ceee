from urllib.parse import urlencode

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

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
