"""The reader's site's cache: whole pages for readers without a session, and
pieces of pages that are the same for every reader. One rule retires both.

The rule
--------
Everything kept here is kept under the *content version*: a number replaced
whenever anything a reader's page shows changes (articles.changes sends
`content_changed`; reading/apps.py connects it to `content_changed()` below).
A page or piece also remembers the next moment it would change with nobody
saving anything (a scheduled article goes live, a pin lapses) and is not
served after it. Every key also carries RELEASE, a digest of the code and
templates that render pages, so nothing the previous release rendered is
served after a deployment.

    Article.save() ── content_changed ──> content_changed() here: a new version
    request ──> CacheState(version, next due change) ──> page or piece kept under both

What is kept
------------
- Whole pages of readers without a session (PageCacheMiddleware, for views
  wrapped in `cache_for_readers`): served before the session is even read,
  and kept only once their address has been asked for again
  (NEWSROOM_PAGE_CACHE_MIN_USES, `_look_up`).
  A gift link's holder gets a rendered page, because a page that shows gated
  text marks itself private (paywall.access.must_stay_private) and is never
  stored here.
- Whole pages of everyone else, per reader class (paywall.access.reader_class:
  no account, logged in without POZIRK+, POZIRK+), with each reader's CSRF
  token filled in when served (`cache_for_readers`, below). Staff, gift
  links (opened, or just made and shown to their giver), pending messages
  and pages not wrapped (account, previews) are always rendered.
- Pieces every reader shares (`kept`): a feed page's headlines, "More
  headlines", an article's row and its parts (head tags, header, body — each
  of the body's versions apart, paywall.access choosing among them on every
  request), the section navigation, and in each process the masthead and
  footer of each address (`frame`).
- Headlines and the home page's lead story, keyed by everything they show
  (`headlines`, `lead_story`): no change has to retire them, a change makes
  a new key.

Each process keeps its own copy of recent pages and of the content version,
trusted for NEWSROOM_PAGE_CACHE_VERSION_SECONDS: a change made on another app
host reaches its pages within that time, a change made here at once.

A cache that fails (Redis down, or too slow: 0.5 s timeouts) is skipped and
for a few seconds not asked again (`safely`): an outage costs readers the
cache, never a page. When it answers again the content version is replaced,
since changes made meanwhile could not retire what it still holds.
"""

import gzip
import hashlib
import logging
import threading
import time
from functools import wraps
from urllib.parse import parse_qsl, urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.models import Article, Pin, Section
from paywall.access import ReaderClass, has_plus, reader_class
from paywall.sessions import reader_from_cache
from security.csrf import token_for
from security.factors import leaves_alone

from . import days, headline

logger = logging.getLogger(__name__)

# Folders whose code and templates render pages (RELEASE).
RENDERING_CODE = ("articles", "paywall", "reading", "newsroom", "templates", "locale")


def _release():
    """A digest of the code and templates that render pages, and of the time
    zone they date in: each release keeps its pages and pieces apart, so none
    rendered by the previous one is served after a deployment (nor, while app
    hosts are updated one by one, by a host running the other release)."""
    digest = hashlib.sha1(settings.TIME_ZONE.encode())
    for folder in RENDERING_CODE:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if (
                path.suffix in {".py", ".html", ".txt", ".xml", ".po"}
                and "migrations" not in path.parts
            ):
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


# --- outages ----------------------------------------------------------------


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
    retire_everything()


@receiver(setting_changed)
def _forget_outages(setting, **kwargs):
    # Another cache configured (tests): its predecessor's failures and pages
    # are not its own.
    if setting == "CACHES":
        _Outage.until, _Outage.seen = 0.0, False
        forget_local_copies()


# --- the content version ----------------------------------------------------


class _Local:
    """This process's copies: recent pages ({address: entry}, first stored
    first evicted), recent pieces of pages apart from them (so that they
    never crowd pages out), the content version and when it was last read,
    and the section navigation of that version."""

    lock = threading.Lock()
    pages = {}
    pieces = {}
    version = None
    checked_at = float("-inf")  # time.monotonic() of the last look at the shared cache
    # (version, sections, {variant: html}), replaced whole so that a thread
    # never mixes versions.
    navigation = (None, [], {})
    # (version, the next due change's timestamp or None), as last asked of
    # the database.
    next_change = None


def _remember(version):
    _Local.version, _Local.checked_at = version, time.monotonic()


def _local_version():
    """The content version, if this process read it recently enough."""
    if time.monotonic() - _Local.checked_at < settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS:
        return _Local.version
    return None


def forget_local_copies():
    """Drop this process's copies (tests: the shared cache was emptied)."""
    with _Local.lock:
        _Local.pages.clear()
        _Local.pieces.clear()
        _Local.version, _Local.checked_at = None, float("-inf")
        _Local.navigation = (None, [], {})
        _Local.next_change = None


def retire_everything():
    """A new content version: every kept page and piece is retired at once."""
    version = time.time_ns()
    _remember(version)
    safely(lambda: cache.set(VERSION_KEY, version, None))


def content_changed(**kwargs):
    """Receives articles.changes.content_changed: retire everything now, and
    again once the change is committed, so that a page rendered meanwhile
    from rows not yet committed does not outlive the change."""
    retire_everything()
    transaction.on_commit(retire_everything)


def _new_version():
    version = time.time_ns()
    if safely(lambda: cache.add(VERSION_KEY, version, None)) is False:
        # Another process was first: use its version.
        version = safely(lambda: cache.get(VERSION_KEY), version) or version
    return version


def _read_version():
    version = _local_version()
    if version is None:
        version = safely(lambda: cache.get(VERSION_KEY))
        if version is None:
            version = _new_version()
        _remember(version)
    return version


def _next_change_due():
    """The next moment a page may change with nobody saving anything: a
    scheduled article goes live, or a pin lapses. One query for both."""
    go_live = Article.objects.scheduled().order_by().values_list("published_at", flat=True)
    lapse = (
        Pin.objects.filter(expires_at__gt=timezone.now())
        .order_by()
        .values_list("expires_at", flat=True)
    )
    due = next(iter(go_live.union(lapse, all=True).order_by("published_at")[:1]), None)
    return due.timestamp() if due is not None else None


def _put(entries, timeout):
    """Store `entries` ({key: value}) in the shared cache. One entry is one
    SET: a page-cache miss stores one page, which Django's set_many would
    send as a transaction (MULTI, MSET, EXPIRE, EXEC) built in a pipeline."""
    if not entries:
        return
    if len(entries) == 1:
        ((key, value),) = entries.items()
        safely(lambda: cache.set(key, value, timeout))
    else:
        safely(lambda: cache.set_many(entries, timeout))


def _fresh(entry, version, now):
    """May `entry` (version, due, …) be served under content `version` at `now`?"""
    return entry is not None and entry[0] == version and (entry[1] is None or now < entry[1])


class CacheState:
    """What one request knows of the cache, asked once per request: the
    content version it renders under, and when the next due change falls
    (fetched with the page by the middleware, else this process's last
    answer under the same version, else asked of the database and then
    written back for the requests after it)."""

    def __init__(self, version=None, next_change=None):
        self._version = version
        # (version, due) as the shared cache had it, if it did.
        self._next_change = next_change
        self._found_next_change = None

    @property
    def version(self):
        if self._version is None:
            self._version = _read_version()
        return self._version

    def next_change_due(self):
        """When what is being rendered must be rendered again (a timestamp);
        None: not before the content changes."""
        now = timezone.now().timestamp()
        if _fresh(self._next_change, self.version, now):
            return self._next_change[1]
        # This process's last answer under this version, if still ahead.
        if _fresh(_Local.next_change, self.version, now):
            self._next_change = _Local.next_change
            return self._next_change[1]
        self._next_change = self._found_next_change = (self.version, _next_change_due())
        _Local.next_change = self._next_change
        return self._next_change[1]

    def learn(self, next_change):
        """The next due change as the shared cache had it, fetched along with
        something else; what was known already stands."""
        if self._next_change is None:
            self._next_change = next_change

    def with_news(self, entries):
        """`entries` to store, plus the next due change if this request
        asked the database for it."""
        if self._found_next_change is not None:
            return {**entries, NEXT_CHANGE_KEY: self._found_next_change}
        return entries


def cache_state(request):
    """The request's CacheState, made on first use."""
    state = getattr(request, "cache_state", None)
    if state is None:
        state = request.cache_state = CacheState()
    return state


def content_version(request):
    """The content version `request` renders under (the time of the last
    change, in nanoseconds)."""
    return cache_state(request).version


# --- whole pages --------------------------------------------------------------


def is_anonymous(request):
    """Is this a request whose page may come from, or go to, the page cache?
    (No session, no pending message, and it only reads.)"""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    )


def _is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith("utm_")


def drop_tracking_parameters(request):
    """Remove the parameters that say where a reader came from from `request`
    itself, before any view sees it: a page rendered with them would carry
    one reader's click identifier (in its pagination links, say) to every
    reader the page cache then serves it to."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(_is_tracking(name) for name, _ in pairs):
        query = urlencode([(name, value) for name, value in pairs if not _is_tracking(name)])
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def _address(request):
    """What a page is kept under: the address, parameters in order of name.

    Values of a repeated parameter keep their order (the sort is stable):
    views read the last one, so `?q=a&q=b` and `?q=b&q=a` are two pages."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            sorted(((n, v) for n, v in pairs if not _is_tracking(n)), key=lambda pair: pair[0])
        )
    return f"{request.scheme}://{request.get_host()}{request.path}?{query}"


def page_key(request):
    """The shared cache's key of the page `request` asks for."""
    return _key_of(_address(request))


def _key_of(address):
    return f"pages:{RELEASE}:{hashlib.sha256(address.encode()).hexdigest()}"


def _look_up(keys, address):
    """The shared cache's entries for `keys`, and how many times in a row
    the page at `address` has been asked of it (this time included), each
    within twice a page's lifetime of the last: a page asked for again
    within that time would have been served from the cache. Counted with
    the lookup, in its round trip, where the cache can (newsroom/cache.py);
    not at all where NEWSROOM_PAGE_CACHE_MIN_USES keeps every page.

    The count's key is a digest of the address, as the page's is, and
    outlives releases: a page readers ask for is kept at once after one."""
    window = 2 * settings.NEWSROOM_PAGE_CACHE_SECONDS
    if settings.NEWSROOM_PAGE_CACHE_MIN_USES <= 1 or window <= 0:
        return safely(lambda: cache.get_many(keys), {}), 1
    counter = f"pages-asked:{hashlib.sha256(address.encode()).hexdigest()}"
    together = getattr(cache, "get_many_and_count", None)
    if together is not None:
        return safely(lambda: together(keys, counter, window), ({}, 0))

    def apart():
        # Another cache (local memory, a dummy): two calls, and a count
        # that two processes could both take as theirs, which costs a page
        # one store too many at worst.
        found = cache.get_many([*keys, counter])
        count = found.pop(counter, 0) + 1
        cache.set(counter, count, window)
        return found, count

    return safely(apart, ({}, 0))


def _keep_locally(address, entry, store=None):
    """Keep `entry` in this process's `store` (default: its pages), the
    oldest dropped past NEWSROOM_PAGE_CACHE_LOCAL_PAGES."""
    store = _Local.pages if store is None else store
    with _Local.lock:
        store.pop(address, None)
        store[address] = entry
        while len(store) > settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES:
            del store[next(iter(store))]


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


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; store those that may be
    shared. It comes right after the security and static-file middleware: a
    hit costs no session, no database, and at most one round trip (the page,
    the version and the next due change, fetched together), none from this
    process's own copy. A miss runs the rest of the chain, and the finished
    response (every header the inner middleware set) is stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # For everyone: no page, cached or not, is rendered with them.
        drop_tracking_parameters(request)
        if not is_anonymous(request):
            response = _served_to_reader(request)
            if response is None:
                response = self.get_response(request)
                _learn_served(request, response)
            return response
        address = _address(request)
        now = timezone.now().timestamp()
        version = _local_version()
        if version is not None:
            page = _Local.pages.get(address)
            if _fresh(page, version, now):
                return self._replay(page, request, address)

        key = _key_of(address)
        found, asked = _look_up([VERSION_KEY, key, NEXT_CHANGE_KEY], address)
        version = found.get(VERSION_KEY)
        if version is not None:
            _remember(version)
        else:
            # None shared (no cache, or it lost the key): the one this
            # process trusts still stands until its time is up.
            version = _read_version()
        page = found.get(key)
        if _fresh(page, version, now):
            _keep_locally(address, page)
            return self._replay(page, request, address)

        state = request.cache_state = CacheState(version, found.get(NEXT_CHANGE_KEY))
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.NEWSROOM_SHARED_CACHE_SECONDS,
                stale_while_revalidate=settings.NEWSROOM_STALE_SECONDS,
            )
            # The same address is sent compressed or not (_replay).
            patch_vary_headers(response, ["Accept-Encoding"])
            # A page asked for once is not kept: most such addresses are never
            # asked for again (a reader's own search, a link's stray
            # parameter, someone filling the cache with made-up ones), and
            # storing one costs a miss a second round trip to Redis.
            kept = asked >= settings.NEWSROOM_PAGE_CACHE_MIN_USES
            page = self._store(state, address if kept else None, key, response)
            if page is not None and _encoding_for(request):
                return self._replay(page, request, address if kept else None)
        return response

    @staticmethod
    def _store(state, address, key, response):
        """The page `response` as the cache keeps it; stored under `key` and
        kept in this process as `address` unless that is None."""
        timeout = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if timeout <= 0:
            return None
        page = (
            state.version,
            response.page_cache_due,
            response.status_code,
            list(response.items()),
            response.content,
            {},  # its compressed forms, made when first asked for (_replay)
        )
        if address is None:
            # The next due change, if this request asked the database, is
            # every page's: it is stored all the same.
            _put(state.with_news({}), timeout)
        else:
            _keep_locally(address, page)
            _put(state.with_news({key: page}), timeout)
        return page

    @staticmethod
    def _replay(page, request=None, address=None):
        """The kept page as a response: compressed as the reader's browser
        accepts (brotli, else gzip), each compressed form made once and kept
        with the page at `address` (None: a page not kept). Pages of readers
        without a session hold no secret (no CSRF token, nothing personal),
        so compressing them cannot leak one (BREACH)."""
        _, _, status, headers, content = page[:5]
        encoding = _encoding_for(request) if request is not None else None
        if encoding is None or len(page) < 6:
            return HttpResponse(content, status=status, headers=dict(headers))
        compressed = page[5].get(encoding)
        if compressed is None:
            compressed = COMPRESSORS[encoding](content)
            page = (*page[:5], {**page[5], encoding: compressed})
            if address is not None:
                _keep_locally(address, page)
                timeout = settings.NEWSROOM_PAGE_CACHE_SECONDS
                safely(lambda: cache.set(_key_of(address), page, timeout))
        response = HttpResponse(compressed, status=status, headers=dict(headers))
        response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(compressed))
        return response


COMPRESSORS = {
    # Quality 6: 1–2 ms for a page, within 1% of the size of quality 8 (10 ms).
    "br": lambda content: brotli.compress(content, quality=6),
    "gzip": lambda content: gzip.compress(content, compresslevel=9, mtime=0),
}


def _encoding_for(request):
    """ "br" or "gzip", whichever the request's Accept-Encoding takes first
    (brotli is smaller); None if neither."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if not header:
        return None
    accepted = set()
    for part in header.lower().split(","):
        name, _, parameters = part.partition(";")
        quality = parameters.strip().removeprefix("q=")
        try:
            if parameters and float(quality) <= 0:
                continue
        except ValueError:
            continue
        accepted.add(name.strip())
    return next((name for name in ("br", "gzip") if name in accepted), None)


def cache_for_readers(view):
    """Let `view`'s pages be kept: whole, for readers without a session
    (PageCacheMiddleware stores them), and per reader class for everyone
    else who may share them (`_page_for_class`)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if is_anonymous(request):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                response.cache_for_anonymous = True
                # Asked here, inside the view, so that it reads where the page's
                # own queries read (the replica, for anonymous readers).
                response.page_cache_due = _page_due(cache_state(request))
            return response
        reader_class = _class_kept_for(request)
        if reader_class is None:
            return view(request, *args, **kwargs)
        return _page_for_class(request, reader_class, view, args, kwargs)

    return cached_view


def _page_due(state):
    """When a whole page must be rendered again: the next due change, or the
    next midnight, when its headlines stop saying "14:05" and say the date."""
    midnight = days.next_midnight()
    due = state.next_change_due()
    return midnight if due is None else min(due, midnight)


# --- whole pages per reader class -----------------------------------------------
#
# A logged-in reader's page differs from another's of the same class
# (paywall.access.ReaderClass: no account, logged in without POZIRK+, POZIRK+)
# only by the CSRF token of its forms. Such pages are rendered with a
# placeholder for the token, kept per class, language and address under the
# content version like anonymous pages, and the reader's own token is filled
# in whenever one is served. The class is asked of paywall.access on every
# request, so a subscription that ends stops its reader's members' pages at
# once. Never kept: staff's pages, a page opened by a gift link, a page with a
# pending message, anything not marked by `cache_for_readers` (the account
# page, previews, forms) and any answer but a 200 without cookies.

# Stands for the reader's CSRF token in kept pages (reading.context_processors).
CSRF_PLACEHOLDER = "kept-page-csrf-token-placeholder"
# In a member's session between making a gift link and the article page that
# shows it to them (reading.views): that page is theirs alone.
NEW_GIFT_LINK_SESSION_KEY = "new_gift_link"


def _class_kept_for(request):
    """The paywall.access.ReaderClass whose kept pages `request` may be
    served, or None if its page must be rendered for it alone."""
    if not settings.NEWSROOM_CLASS_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return None
    # A gift link's holder reads what their class may not.
    if "gift" in request.GET:
        return None
    # A notice for this reader only (messages are kept in a cookie, or the
    # session when too long for one).
    if "messages" in request.COOKIES or request.session.get("_messages"):
        return None
    # The gift link a member just made, shown to them on the article.
    if NEW_GIFT_LINK_SESSION_KEY in request.session:
        return None
    return reader_class(request.user)


def _page_for_class(request, kept_for, view, args, kwargs):
    address = _address(request)
    local_key = (kept_for, translation.get_language(), address)
    digest = hashlib.sha256(repr(local_key).encode()).hexdigest()
    key = f"class-pages:{RELEASE}:{kept_for}:{digest}"
    state = cache_state(request)
    now = timezone.now().timestamp()
    page = _Local.pages.get(local_key)
    if not _fresh(page, state.version, now):
        found = safely(lambda: cache.get_many([key, NEXT_CHANGE_KEY]), {})
        state.learn(found.get(NEXT_CHANGE_KEY))
        page = found.get(key)
        if _fresh(page, state.version, now):
            _keep_locally(local_key, page)
    if _fresh(page, state.version, now):
        request.class_page = (kept_for, page)
        return _with_csrf_token(request, PageCacheMiddleware._replay(page))

    request.csrf_token_placeholder = True
    response = view(request, *args, **kwargs)
    if not getattr(response, "is_rendered", True):
        response.render()
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
    ):
        page = (
            state.version,
            _page_due(state),
            response.status_code,
            list(response.items()),
            response.content,
        )
        _keep_locally(local_key, page)
        _put(state.with_news({key: page}), settings.NEWSROOM_PAGE_CACHE_SECONDS)
        request.class_page = (kept_for, page)
    return _with_csrf_token(request, response)


def _with_csrf_token(request, response):
    """`response` with this reader's CSRF token in place of the placeholder
    (asking for it makes CsrfViewMiddleware send the cookie it belongs to)."""
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        token = request.kept_page_csrf_token = token_for(request)
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), token.encode())
    return response


# --- a logged-in reader's kept page, before the middleware ------------------------
#
# A kept page still costs a logged-in reader the whole middleware chain: the
# session and the reader loaded apart, django-otp's check, URL resolution,
# CSP's header, Łacinka, and so on, each answering the same for every reader
# of a class. So the first time this process serves a kept page for a class
# through the full chain, PageCacheMiddleware keeps what the chain made of it
# (`_learn_served`): the final headers and content, the reader's token put back
# into the placeholder. Later readers of that class are served it right there
# (`_served_to_reader`), the session and the reader read from the cache in one
# round trip and checked as the chain would check them (paywall.sessions), the
# class asked of paywall.access, and the CSRF token and cookie made by
# Django's own CsrfViewMiddleware. Anything the chain would do differently for
# this reader (staff, a second factor, a pending message, a session write due,
# a session or reader not in the cache) sends the request down the full chain.

_CSRF = CsrfViewMiddleware(lambda request: None)


def _served_key(kept_for, address):
    return ("served", kept_for, address)


def _learn_served(request, response):
    """Keep what the full chain made of a kept class page, for
    `_served_to_reader`: only a plain 200 whose only cookie is the CSRF one."""
    served = getattr(request, "class_page", None)
    if (
        served is None
        or served[0] == ReaderClass.VISITOR
        or response.status_code != 200
        or response.streaming
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    ):
        return
    kept_for, page = served
    content = response.content
    token = getattr(request, "kept_page_csrf_token", None)
    if token is not None:
        content = content.replace(token.encode(), CSRF_PLACEHOLDER.encode())
    entry = (page[0], page[1], response.status_code, list(response.items()), content)
    _keep_locally(_served_key(kept_for, _address(request)), entry)


def _served_to_reader(request):
    """A logged-in reader's page as the full chain would make it, from this
    process's copy (`_learn_served`), or None to go down the chain."""
    if (
        not settings.NEWSROOM_CLASS_PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or "messages" in request.COOKIES
        or settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return None
    address = _address(request)
    # Only addresses served so before cost a look at the session here.
    if not any(_served_key(kept_for, address) in _Local.pages for kept_for in ReaderClass):
        return None
    version = _local_version()
    found = reader_from_cache(request, also=[VERSION_KEY] if version is None else [])
    if found is None:
        return None
    user, session, extra = found
    if version is None:
        version = extra.get(VERSION_KEY)
        if version is None:
            return None
        _remember(version)
    if session.get("_messages") or not leaves_alone(session):
        return None
    kept_for = reader_class(user)
    page = _Local.pages.get(_served_key(kept_for, address))
    if kept_for is None or not _fresh(page, version, timezone.now().timestamp()):
        return None
    request.user, request.session = user, session
    _, _, status, headers, content = page
    response = HttpResponse(content, status=status, headers=dict(headers))
    _CSRF.process_request(request)
    if CSRF_PLACEHOLDER.encode() in content:
        response.content = content.replace(CSRF_PLACEHOLDER.encode(), token_for(request).encode())
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return _CSRF.process_response(request, response)


# --- pieces kept under the content version --------------------------------------


def kept(request, name, parts, render):
    """What `render()` returns (HTML, a dict holding HTML, a model instance),
    kept under the content version `request` sees and the `parts` it
    depends on, until the next due change. An exception (a 404) is not kept.
    HTML is also kept in this process's copy of recent pieces: a page
    rendered afresh then costs no round trip for them."""
    state = cache_state(request)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    # Each edition renders its own words, dates and addresses.
    key = f"fragment:{RELEASE}:{get_language()}:{name}:{state.version}:{digest}"
    now = timezone.now().timestamp()
    entry = _Local.pieces.get(key)
    if _ahead(entry, now):
        return _safe(entry[1])
    found = safely(lambda: cache.get_many([key, NEXT_CHANGE_KEY]), {})
    entry = found.get(key)
    if not _ahead(entry, now):
        state.learn(found.get(NEXT_CHANGE_KEY))
        entry = (state.next_change_due(), render())
        _put(state.with_news({key: entry}), settings.NEWSROOM_FRAGMENT_CACHE_SECONDS)
    if _only_text(entry[1]):
        _keep_locally(key, entry, _Local.pieces)
    return _safe(entry[1])


def _ahead(entry, now):
    """Is the kept piece `entry` (due, html) there and not yet due?"""
    return entry is not None and (entry[0] is None or now < entry[0])


# What a process may hand to each of its requests as it is: it cannot change.
UNCHANGING = (str, bool, int, float, type(None))


def _only_text(kept_piece):
    """May this process share `kept_piece` between its requests? HTML (a
    dict of it, with plain values beside: _safe copies the dict) may; a
    model instance may not, since a request sets attributes on it (whether
    this reader may read it): each gets its own copy from the shared cache."""
    if isinstance(kept_piece, dict):
        return all(isinstance(part, UNCHANGING) for part in kept_piece.values())
    return isinstance(kept_piece, str)


def _safe(html):
    """What was kept, its HTML marked safe again (it was rendered from
    templates; the mark does not survive the cache)."""
    if isinstance(html, dict):
        return {name: _safe(part) for name, part in html.items()}
    return mark_safe(html) if isinstance(html, str) else html


def section_nav(request, current_section_slug=None, label="Sections", css_class="section-nav"):
    """The section navigation as _section_nav.html renders it, with the page's
    own section marked. Kept in this process per content version: it is on
    every page, twice."""
    _, sections, rendered = _navigation(request)
    variant = (get_language(), current_section_slug, label, css_class)
    if variant not in rendered:
        rendered[variant] = mark_safe(
            render_to_string(
                "_section_nav.html",
                {
                    "navigation_sections": sections,
                    "current_section_slug": current_section_slug,
                    "nav_label": label,
                    "nav_class": css_class,
                },
            )
        )
    return rendered[variant]


def _navigation(request):
    version = content_version(request)
    navigation = _Local.navigation
    if navigation[0] != version:
        navigation = _Local.navigation = (version, list(Section.objects.for_navigation()), {})
    return navigation


# At most this many frame pieces per content version in a process: the
# address is part of their key, and an address is the reader's to choose.
FRAME_PIECES_KEPT = 2_000


def frame(context, template_name):
    """`template_name` (the masthead, the footer) rendered with `context`,
    kept in this process per content version with the navigation it shows.
    What these pieces read of the context is their key: the edition, whether
    the reader is logged in (the account links), the address (links back
    to it from "Log in" and the edition switch) and its section (marked in
    the navigation). Nothing else may be read in them: no CSRF token, no
    name, nothing of one reader's."""
    request, user = context.get("request"), context.get("user")
    if request is None:
        return render_to_string(template_name, context.flatten())
    _, _, rendered = _navigation(request)
    key = (
        template_name,
        get_language(),
        bool(user and user.is_authenticated),
        request.path,
        context.get("current_section_slug"),
    )
    html = rendered.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name, context.flatten()))
        if len(rendered) < FRAME_PIECES_KEPT:
            rendered[key] = html
    return html


def active_sections(request):
    """The sections readers are offered, in navigation order, as the section
    navigation has them (kept in this process per content version)."""
    return _navigation(request)[1]


def more_headlines(request, article, articles, level=3):
    """The "More headlines" list under `article`, from `articles` (a lazy
    queryset: read only when the list is not kept)."""
    return kept(
        request,
        "more-headlines",
        (article.pk, level, days.today(), has_plus(request.user)),
        lambda: render_to_string(
            "reading/_headline_list.html", {"items": headlines(articles, level)}
        ),
    )


def story(request, article, viewer=None, fresh=False):
    """The article page's own parts: {"seo": its <head> tags, "header": its
    headline and byline, "body": the lead image, the body or the teaser and
    the gate, corrections, sections and tags}.

    Which body is shown is decided before: article.is_unlocked, from
    paywall.access. Each of the three versions a page can take (the full
    text; the gate for a visitor; the gate for a logged-in reader, which
    offers no "Log in") is kept apart, so a version is only ever shown to
    the readers it was rendered for. `fresh` (previews) renders without the
    cache, for `viewer` (default: the request's user)."""
    viewer = viewer or request.user
    if article.is_unlocked:
        variant = "full"
    else:
        variant = "gate-reader" if viewer.is_authenticated else "gate-visitor"

    def render():
        article.load_for_page()
        context = {"article": article, "user": viewer}
        head = {"article": article, "request": request, "newsroom_name": settings.SITE_NAME}
        return {
            "seo": render_to_string("reading/_article_seo.html", head),
            "header": render_to_string("reading/_story_header.html", context),
            "body": render_to_string("reading/_story_body.html", context),
        }

    if fresh:
        return _safe(render())
    # Addresses in the <head> are absolute, on the host the reader asked.
    parts = (article.pk, variant, request.scheme, request.get_host())
    return kept(request, "story", parts, render)


# --- pieces keyed by what they show ---------------------------------------------

LEAD_STORY = "reading/_lead_story.html"


def _piece_key(template_name, *shown):
    digest = hashlib.sha1(repr((template_name, get_language(), shown)).encode()).hexdigest()
    return f"fragment:{RELEASE}:{digest}"


def _shown(article):
    """What every headline-like piece shows of `article`."""
    labels = [
        (section.pk, section.slug, section.local_name) for section in article.section_labels()
    ]
    return (
        article.pk,
        article.headline,
        article.slug,
        article.language,
        article.access,
        article.published_at,
        # A member sees a POZIRK+ badge where others see the POZIRK+ line.
        bool(article.is_plus and getattr(article, "is_unlocked", False)),
        labels,
        # Headlines say "14:05" today and "November 30, 14:05" tomorrow.
        days.today(),
    )


def _rendered(render, items):
    """{key: arguments} rendered through the cache by `render(*arguments)`:
    {key: html}."""
    found = safely(lambda: cache.get_many(list(items)), {})
    missing = {key: render(*arguments) for key, arguments in items.items() if key not in found}
    if missing:
        _put(missing, settings.NEWSROOM_FRAGMENT_CACHE_SECONDS)
    return {**found, **missing}


# Where a search result's passage goes in its kept headline: a comment, which
# no escaped headline text can spell.
SNIPPET_SLOT = mark_safe("<!-- snippet -->")


def headlines(articles, level=2):
    """Each article's headline (reading/headline.py), in order. A search
    result's passage, chosen for the reader and the query, is never kept:
    its headline is kept with a slot the passage is put in."""
    articles = list(articles)
    items = {
        _piece_key("headline", *_shown(a), level, bool(_snippet(a))): (
            a,
            level,
            SNIPPET_SLOT if _snippet(a) else "",
        )
        for a in articles
    }
    rendered = _rendered(headline.headline, items)
    return [
        mark_safe(rendered[key].replace(SNIPPET_SLOT, _snippet(a), 1))
        for key, a in zip(items, articles, strict=True)
    ]


def _snippet(article):
    return getattr(article, "snippet", "")


def lead_story(article):
    """The home page's lead story, rendered by reading/_lead_story.html."""
    image = article.lead_image
    key = _piece_key(
        LEAD_STORY,
        *_shown(article),
        article.dek,
        image.name if image else "",
        article.lead_image_width,
        article.lead_image_height,
    )
    return mark_safe(_rendered(_render_lead_story, {key: (article,)})[key])


def _render_lead_story(article):
    return render_to_string(LEAD_STORY, {"article": article})
