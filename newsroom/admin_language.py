"""The admin's language: each editor's own, apart from the reader's edition.

The admin (and the second-factor pages staff pass on their way in) lives at
one address without an edition prefix. An editor works in Belarusian,
Russian or English: the language they picked in the admin's header, which
this browser remembers in a cookie of its own; else the best match of their
browser's Accept-Language; else the default edition's language.

The two choices are kept apart on purpose. The reader's edition cookie (the
language switch on the site) does not change the admin, and picking the
admin's language does not change which edition the site shows this browser:
an editor checks the Russian edition of a story while working in Belarusian,
and the desk does not turn Russian under them.
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST

# Each in itself, as the admin's header offers them. Łacinka is a way the
# reader's site writes Belarusian, not a language the admin is kept in.
ADMIN_LANGUAGES = [("be", "Беларуская"), ("ru", "Русский"), ("en", "English")]
CODES = {code for code, _ in ADMIN_LANGUAGES}
COOKIE_NAME = "admin_language"


def _in_admin_language(code):
    """An edition or Accept-Language code as one of the admin's languages."""
    code = code.lower()
    if code in CODES:
        return code
    base = code.split("-")[0]
    return base if base in CODES else None


def language_for(request):
    """The admin's language for this request: the editor's choice, else
    their browser's, else the default edition's."""
    chosen = request.COOKIES.get(COOKIE_NAME)
    if chosen in CODES:
        return chosen
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        if found := _in_admin_language(code):
            return found
    return _in_admin_language(settings.LANGUAGE_CODE) or "en"


def _under(request, name):
    """Is the request's address at or under the page `name`? (No, where
    this address book has no such page.)"""
    route = _route(name)
    return route is not None and request.path_info.startswith(route)


@cache
def _route(name):
    """`name`'s address below the script prefix, reversed once per process:
    asked on every page a reader is not served from the cache, where a
    reverse() (or even articles.addresses' lookup, keyed on the edition and
    prefix) cost more than the rest of this middleware. The admin and the
    second-factor pages are outside the editions' prefixes, so their
    addresses do not change with the language."""
    try:
        return "/" + reverse(name)[len(get_script_prefix()) :]
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _forget_routes(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _route.cache_clear()


def _speaks_admin(request):
    if _under(request, "admin:index"):
        return True
    # The second factor is the second step of a staff login. The address
    # first: asking who the user is costs a query no reader's page should pay.
    if not _under(request, "security:factors"):
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_staff


class AdminLanguageMiddleware:
    """Activates the admin's language (language_for) on the admin's pages,
    in place of the edition LocaleMiddleware chose. After
    AuthenticationMiddleware: staff on the second-factor pages get it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _speaks_admin(request):
            return self.get_response(request)
        code = language_for(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_POST
def choose(request):
    """Remember the language an editor picked for the admin, then go back to
    the page they were on. Only this browser's admin cookie changes."""
    code = request.POST.get("language", "")
    if code not in CODES:
        return HttpResponseBadRequest("Unknown language.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    response = redirect(next_url)
    response.set_cookie(
        COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


def admin_languages(request):
    """Template context: the languages the admin's header offers."""
    return {"admin_languages": ADMIN_LANGUAGES}
