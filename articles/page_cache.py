"""Rendered pages for anonymous readers, kept in the shared cache.

Only requests that carry no session (and no pending message) are served from
or written to the cache: whoever is logged in, subscriber or editor, always
gets a freshly rendered page, and so does anyone opening a gift link, because
pages that unlock gated text mark themselves private and are never stored.

PageCacheMiddleware comes right after the security and static-file
middleware. A miss runs the rest of the chain; if the view was wrapped in
`cache_for_anonymous` and the response may be shared, the finished response
(every header the inner middleware set) is stored in the shared cache, and
in a small copy in this process's memory. Pages are keyed by scheme, host,
path and query string, less the parameters that only say where a reader
came from (utm_source…).

Freshness: a stored page carries the *content version* it was rendered
under; any change to articles, sections, authors, tags or pins replaces the
version in the shared cache. A page also remembers when the next scheduled
article goes live or the next pin lapses, and is not served after that
moment. Each process trusts the version it last read for
NEWSROOM_PAGE_CACHE_VERSION_SECONDS (half a second by default) and serves
from its own copy meanwhile, with no round trip at all: a change made on
another app host reaches every page within that time, a change made in this
process at once. Otherwise a page costs one round trip (the page, the
version and the next due change, fetched together).

A cache that fails (Redis down, or too slow: 0.5 s timeouts) is skipped, and
for a few seconds not asked again, so that an outage costs readers nothing
but the cache; pages render as if never cached. When it answers again, the
content version is replaced: changes made meanwhile could not retire the
pages it still holds.
"""

import hashlib
import logging
import threading
import time
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


def _release():
    """A digest of the code and templates that render pages: each release
    keeps its pages and fragments apart, so none rendered by the previous one
    is served after a deployment (nor, while app hosts are updated one by
    one, by a host running the other release)."""
    digest = hashlib.sha1()
    for folder in ("articles", "paywall", "newsroom", "templates"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml"} and "migrations" not in path.parts:
                digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()
VERSION_KEY = f"pages:{RELEASE}:content-version"
NEXT_CHANGE_KEY = f"pages:{RELEASE}:next-change"
# Cookies that make a request personal: a session (logged in, or on its way
# to be), and Django's message cookie (a notice meant for this browser only).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Query parameters that say where a reader came from, not what they asked for.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
     "mc_eid", "_ga", "_gl", "ref_src"}
)  # fmt: skip
# After a cache error, the cache is left alone this long.
OUTAGE_BACKOFF_SECONDS = 5.0


class _Outage:
    """When the cache last failed, shared by the threads of a process."""

    lock = threading.Lock()
    until = 0.0
    seen = False


def safely(operation, default=None):
    """`operation()` on the cache, or `default` if the cache fails (or failed
    a moment ago): an outage costs pages their cache, never an error."""
    if time.monotonic() < _Outage.until:
        return default
    try:
        result = operation()
    except Exception:  # a cache outage must never break a page or a save
        logger.warning("Page cache unavailable", exc_info=True)
        with _Outage.lock:
            _Outage.until = time.monotonic() + OUTAGE_BACKOFF_SECONDS
            _Outage.seen = True
        return default
    if _Outage.seen:
        _recovered()
    return result


def _recovered():
    with _Outage.lock:
        if not _Outage.seen:
            return
        _Outage.seen = False
    logger.warning("Page cache available again: retiring the pages it holds")
    content_changed()


@receiver(setting_changed)
def _forget_outages(setting, **kwargs):
    # Another cache configured (tests): its predecessor's failures and pages
    # are not its own.
    if setting == "CACHES":
        _Outage.until, _Outage.seen = 0.0, False
        forget_local_copies()


class _Local:
    """This process's copy of pages it served lately, and of the content
    version: {address: entry}, first stored first evicted."""

    lock = threading.Lock()
    pages = {}
    version = None
    checked_at = float("-inf")  # time.monotonic() of the last look at the shared cache


def _remember(version):
    _Local.version, _Local.checked_at = version, time.monotonic()


def _local_version():
    """The content version, if this process read it recently enough."""
    if time.monotonic() - _Local.checked_at < settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS:
        return _Local.version
    return None


def _keep_locally(address, entry):
    with _Local.lock:
        _Local.pages.pop(address, None)
        _Local.pages[address] = entry
        while len(_Local.pages) > settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES:
            del _Local.pages[next(iter(_Local.pages))]


def forget_local_copies():
    """Drop this process's copies (tests: the shared cache was emptied)."""
    with _Local.lock:
        _Local.pages.clear()
        _Local.version, _Local.checked_at = None, float("-inf")


def content_changed():
    """Retire every cached page at once (called whenever content changes)."""
    version = time.time_ns()
    _remember(version)
    safely(lambda: cache.set(VERSION_KEY, version, None))


def _new_version():
    version = time.time_ns()
    if safely(lambda: cache.add(VERSION_KEY, version, None)) is False:
        # Another process was first: use its version.
        version = safely(lambda: cache.get(VERSION_KEY), version) or version
    return version


def _content_version():
    version = _local_version()
    if version is None:
        version = safely(lambda: cache.get(VERSION_KEY))
        if version is None:
            version = _new_version()
        _remember(version)
    return version


def content_version(request=None):
    """The content version for this request, asked of the cache once."""
    if request is None:
        return _content_version()
    if not hasattr(request, "_content_version"):
        request._content_version = _content_version()
    return request._content_version


def _is_anonymous(request):
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    )


def _address(request):
    """What a page is kept under: the address, less where the reader came from."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        query = urlencode(
            sorted(
                (name, value)
                for name, value in parse_qsl(query, keep_blank_values=True)
                if name not in TRACKING_PARAMETERS and not name.startswith("utm_")
            )
        )
    return f"{request.scheme}://{request.get_host()}{request.path}?{query}"


def _key(request):
    """The shared cache's key of the page `request` asks for."""
    return _key_of(_address(request))


def _key_of(address):
    return f"pages:{RELEASE}:{hashlib.sha256(address.encode()).hexdigest()}"


def _fresh(page, version, now):
    """May the stored `page` be served under content `version` at `now`?"""
    return page is not None and page[0] == version and (page[1] is None or now < page[1])


def _storable(request, response):
    control = response.get("Cache-Control", "")
    return (
        getattr(response, "cache_for_anonymous", False)
        and response.status_code == 200
        and not response.streaming
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
    due = next(iter(go_live.union(lapse, all=True).order_by("published_at")[:1]), None)
    return due.timestamp() if due is not None else None


def next_change_due(request):
    """When what is being rendered must be rendered again, nobody saving
    anything (a timestamp); None: not before the content changes. Asked of
    the cache (the middleware fetched it with the page), else of the database."""
    version = content_version(request)
    known = getattr(request, "_page_cache_next_change", None)
    if _fresh(known, version, timezone.now().timestamp()):
        return known[1]
    due = _next_change_due()
    request._page_cache_next_change = (version, due)
    request._page_cache_next_change_found = True
    return due


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; store those that may be shared."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_anonymous(request):
            return self.get_response(request)
        address = _address(request)
        now = timezone.now().timestamp()
        version = _local_version()
        if version is not None:
            page = _Local.pages.get(address)
            if _fresh(page, version, now):
                return self._replay(page)

        key = _key_of(address)
        found = safely(lambda: cache.get_many([VERSION_KEY, key, NEXT_CHANGE_KEY]), {})
        version = found.get(VERSION_KEY)
        if version is None:
            version = _new_version()
        _remember(version)
        request._content_version = version
        page = found.get(key)
        if _fresh(page, version, now):
            _keep_locally(address, page)
            return self._replay(page)

        request._page_cache_next_change = found.get(NEXT_CHANGE_KEY)
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.NEWSROOM_SHARED_CACHE_SECONDS,
                stale_while_revalidate=settings.NEWSROOM_STALE_SECONDS,
            )
            self._store(request, address, key, response)
        return response

    @staticmethod
    def _store(request, address, key, response):
        timeout = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if timeout <= 0:
            return
        page = (
            request._content_version,
            response.page_cache_due,
            response.status_code,
            list(response.items()),
            response.content,
        )
        _keep_locally(address, page)
        entries = {key: page}
        if getattr(request, "_page_cache_next_change_found", False):
            entries[NEXT_CHANGE_KEY] = request._page_cache_next_change
        safely(lambda: cache.set_many(entries, timeout))

    @staticmethod
    def _replay(page):
        _, _, status, headers, content = page
        return HttpResponse(content, status=status, headers=dict(headers))


def cache_for_anonymous(view):
    """Let PageCacheMiddleware keep `view`'s pages for readers without a session."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if _is_anonymous(request) and response.status_code == 200:
            response.cache_for_anonymous = True
            # Asked here, inside the view, so that it reads where the page's
            # own queries read (the replica, for anonymous readers).
            response.page_cache_due = next_change_due(request)
        return response

    return cached_view
