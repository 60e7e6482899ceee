"""Rendered pages for anonymous readers, kept in the shared cache.

Only requests that carry no session (and no pending message) are served from
or written to the cache: whoever is logged in, subscriber or editor, always
gets a freshly rendered page, and so does anyone opening a gift link, because
pages that unlock gated text mark themselves private and are never stored.

Freshness: every cached page belongs to a *content version*, which any change
to articles, sections, authors, tags or pins replaces, so an editor's
publication reaches the home page with the next request. A page also
remembers when the next scheduled article goes live or the next pin lapses,
and is not served after that moment. A cache that fails (Redis down) is
skipped: the page is rendered as if never cached.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

VERSION_KEY = "pages:content-version"
# Cookies that make a request personal: a session (logged in, or on its way
# to be), and Django's message cookie (a notice meant for this browser only).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _safely(operation, default=None):
    try:
        return operation()
    except Exception:  # a cache outage must never break a page or a save
        logger.warning("Page cache unavailable", exc_info=True)
        return default


def content_changed():
    """Retire every cached page at once (called whenever content changes)."""
    _safely(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def _content_version():
    version = _safely(lambda: cache.get(VERSION_KEY))
    if version is None:
        version = time.time_ns()
        _safely(lambda: cache.add(VERSION_KEY, version, None))
        version = _safely(lambda: cache.get(VERSION_KEY), version) or version
    return version


def _is_anonymous(request):
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    )


def _key(request, version):
    address = f"{request.get_host()}{request.get_full_path()}"
    return f"pages:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def _storable(request, response):
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and "private" not in control
        and "no-store" not in control
        and not response.cookies
        # A page that used a CSRF token holds one browser's secret.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _next_change_due():
    """The next moment a page may change with nobody saving anything: a
    scheduled article goes live, or a pin lapses. One query for both."""
    from .models import Article, Pin

    go_live = Article.objects.scheduled().order_by().values_list("published_at", flat=True)
    lapse = (
        Pin.objects.filter(expires_at__gt=timezone.now())
        .order_by()
        .values_list("expires_at", flat=True)
    )
    return next(iter(go_live.union(lapse, all=True).order_by("published_at")[:1]), None)


def cache_for_anonymous(view):
    """Serve `view` from the shared cache to readers without a session."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _is_anonymous(request):
            return view(request, *args, **kwargs)
        key = _key(request, _content_version())
        entry = _safely(lambda: cache.get(key))
        if entry is not None:
            response, stale_at = entry
            if stale_at is None or timezone.now() < stale_at:
                return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.NEWSROOM_SHARED_CACHE_SECONDS,
                stale_while_revalidate=settings.NEWSROOM_STALE_SECONDS,
            )
            stale_at = _next_change_due()
            _safely(
                lambda: cache.set(key, (response, stale_at), settings.NEWSROOM_PAGE_CACHE_SECONDS)
            )
        return response

    return cached_view
