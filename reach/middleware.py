"""The site on every address it answers at: public, onion, mirrors.

ReachMiddleware comes right after the health checks, before anything that
reads the host: it refuses unknown hosts, answers on retired mirrors with
the page pointing to the current ones, and marks each response for the
address it goes out on. SecurityMiddleware stands in for Django's, which it
extends only to leave the onion service on plain HTTP.
"""

from django.core.exceptions import DisallowedHost
from django.middleware import security
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from . import hosts
from .models import Mirror

# What a retired mirror still serves as it is: the signed list, so that an
# app that knew only that mirror learns the current ones.
PASSED_ON_RETIRED = ("mirrors-json",)


class ReachMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host()  # 400 for a malformed Host header
        kind = hosts.kind_of(host)
        if kind is None:
            raise DisallowedHost(f"Invalid HTTP_HOST header: {host!r}.")
        # Asked three times more on a page (Django's common middleware, the
        # page cache's key, absolute addresses), each time parsing the header
        # and reading settings again: about 1% of a page-cache miss each. A
        # request's host cannot change, so the answer is kept with it.
        request.get_host = lambda: host
        if kind == hosts.RETIRED and request.path_info not in _passed_on_retired():
            response = retired_mirror(request)
        else:
            response = self.get_response(request)

        if kind == hosts.PUBLIC:
            if hosts.onion_host():
                # Tor Browser offers the onion service to readers who come
                # to the public domain: the same page there.
                response["Onion-Location"] = hosts.onion_url(request.get_full_path())
        else:
            # The canonical address of every page is on the public domain
            # (NEWSROOM_PUBLIC_URL); search engines are asked not to index
            # the same pages again under the other names.
            response["X-Robots-Tag"] = "noindex"
        if kind == hosts.ONION:
            _cookies_for_plain_http(response)
        return response


def _passed_on_retired():
    return {reverse(name) for name in PASSED_ON_RETIRED}


def _cookies_for_plain_http(response):
    """The onion service speaks plain HTTP to Tor Browser (Tor encrypts the
    connection end to end): a `Secure` cookie, as production sets them for
    HTTPS, might not be sent back, and the reader could not log in. The
    cookies stay host-only, so they never travel to any other address."""
    for morsel in response.cookies.values():
        morsel["secure"] = ""


def retired_mirror(request):
    """What a retired mirror answers at every address: where to go instead,
    in the reader's language (this runs before the site's own language
    choice, so the browser's is asked)."""
    with translation.override(translation.get_language_from_request(request)):
        response = render(
            request,
            "reach/retired_mirror.html",
            {
                "mirrors": list(Mirror.objects.current().order_by("host")),
                "onion_url": hosts.onion_url(),
            },
            status=410,
        )
    response["Cache-Control"] = "no-cache"
    return response


class SecurityMiddleware(security.SecurityMiddleware):
    """Django's SecurityMiddleware, but the onion service is left on plain
    HTTP: no redirect to HTTPS (there is no certificate for an onion name,
    and Tor already encrypts), and no HSTS, which would bind the name to
    HTTPS in Tor Browser."""

    def process_request(self, request):
        if hosts.is_onion(request):
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if hosts.is_onion(request):
            del response["Strict-Transport-Security"]
        return response
