"""Searches that miss the page cache, kept from sinking the site.

A search nobody asked before costs the database tens of milliseconds of
CPU; a client sending new queries in a loop could take the database's whole
machine, and every other reader's pages with it. Two limits keep a flood to
itself:

- per client: NEWSROOM_SEARCH_RATE_PER_MINUTE searches a minute that reach
  the database (a search answered from the page cache costs nothing and is
  not counted), counted in windows of ten seconds that each allow a sixth of
  them (at least one): a client in a loop gets a few searches every ten
  seconds rather than a minute's worth at once, which would run side by side
  at the turn of each minute and hold up every other reader's pages while
  they did. The next ones get a 429 page with Retry-After. Clients are counted by
  a keyed hash of their address (paywall.lockout), in the shared cache, for
  the current window only.
- per process: at most NEWSROOM_SEARCH_CONCURRENCY searches at once; one more
  gets a 503 page with Retry-After at once rather than a thread that waits,
  so the process's other threads stay free for every other page.

A refusal must cost next to nothing, or refusing a flood is itself the load
that slows everyone else's pages. So readers without a session are limited
by SearchLimitMiddleware, right after the page cache has missed and before
sessions, authentication, CSRF or the edition's middleware run; the refusal
is a page rendered once per edition and wait (`refusal`), and a client this
process has already refused in this window is refused again without asking the
shared cache. Logged-in readers, whose popular searches the per-class page
cache may answer, are limited by the search view itself, the same way.

An attacker rotating addresses gets past the per-client limit, never the
per-process one: the slot is taken before the client is counted, so a busy
process refuses without a round trip to the cache.

0 turns either limit off. A cache outage lifts the per-client limit (it
cannot be counted), never the per-process one.
"""

import hashlib
import hmac
import math
import threading
import time
from contextlib import contextmanager
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from paywall.lockout import client_address

from . import editions
from .cache import is_anonymous, safely

WINDOW_SECONDS = 10
BUSY_RETRY_SECONDS = 2
# Clients remembered as refused, per process and window: enough for any
# real flood, bounded against one that rotates addresses.
REMEMBERED_CLIENTS = 10_000
# The refusal page loads the site's stylesheet and nothing else.
REFUSAL_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SearchLimitMiddleware:
    """Limit the searches of readers without a session before anything but
    the page cache has run (see the module). Right after PageCacheMiddleware:
    a search it answered never gets here, so it is never counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        edition = _search_edition(request)
        if edition is None or not is_anonymous(request):
            return self.get_response(request)
        return guarded(request, edition, self.get_response)


@once
def _search_pages():
    """{address of an edition's search page: the edition}."""
    pages = {}
    for edition in editions.EDITIONS:
        with translation.override(edition):
            pages[reverse("articles:search")] = edition
    return pages


def _search_edition(request):
    """The edition whose search `request` asks (None: not a search)."""
    edition = _search_pages().get(request.path)
    if edition is None or not request.GET.get("q", "").strip():
        return None
    return edition


def guarded(request, edition, search):
    """`search(request)`'s response if a slot of this process is free and
    this client may search now; else the refusal, in `edition`'s language."""
    with search_slot() as free:
        if not free:
            return refusal(edition, BUSY_RETRY_SECONDS, busy=True)
        wait = seconds_to_wait(request)
        if wait is not None:
            return refusal(edition, wait, busy=False)
        return search(request)


class _Refused:
    """Clients this process counted over the limit in the current window."""

    window = None
    clients = set()


def forget_refused_clients():
    """Forget who was refused (the shared cache was emptied: tests)."""
    _Refused.window, _Refused.clients = None, set()


def per_window(limit):
    """The searches a window allows of `limit` a minute."""
    return max(1, math.ceil(limit * WINDOW_SECONDS / 60))


def seconds_to_wait(request):
    """None if this client may search now; else how long until they may."""
    limit = settings.NEWSROOM_SEARCH_RATE_PER_MINUTE
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    wait = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    secret = f"reading.search_limits:{settings.SECRET_KEY}".encode()
    client = hmac.new(secret, client_address(request).encode(), hashlib.sha256).hexdigest()[:32]
    refused = _Refused.clients
    if _Refused.window == window and (limit, client) in refused:
        return wait
    key = f"search-rate:{client}:{window}"

    def count():
        if cache.add(key, 1, WINDOW_SECONDS + 5):
            return 1
        return cache.incr(key)

    searches = safely(count, 0)
    if searches <= per_window(limit):
        return None
    if _Refused.window != window:
        refused = set()
        _Refused.window, _Refused.clients = window, refused
    if len(refused) < REMEMBERED_CLIENTS:
        refused.add((limit, client))
    return wait


_refusals = {}


def refusal(edition, seconds, busy):
    """The 429 (or, `busy`, 503) page telling a reader to wait `seconds`, in
    `edition`'s language: rendered once per edition and wait, then copied.
    It reads nothing of the request, so that refusing costs next to nothing."""
    key = (edition, seconds, busy)
    content = _refusals.get(key)
    if content is None:
        with translation.override(edition):
            html = render_to_string(
                "reading/search_refused.html",
                {"retry_after": seconds, "busy": busy, "newsroom_name": settings.SITE_NAME},
            )
        if edition == editions.LACINKA:
            html = editions.transliterate_html(html)
        content = _refusals[key] = html.encode()
    response = HttpResponse(content, status=503 if busy else 429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = edition
    response["Content-Security-Policy"] = REFUSAL_POLICY
    response["X-Frame-Options"] = "DENY"
    # A flood's refusals are many and alike: not a log line each.
    response._has_been_logged = True
    return response


class _Slots:
    """This process's search slots, made anew if the setting changes (tests)."""

    lock = threading.Lock()
    size = None
    semaphore = None


@contextmanager
def search_slot():
    """Yields whether this thread may search now (a slot was free)."""
    size = settings.NEWSROOM_SEARCH_CONCURRENCY
    if size <= 0:
        yield True
        return
    with _Slots.lock:
        if _Slots.size != size:
            _Slots.size, _Slots.semaphore = size, threading.BoundedSemaphore(size)
        semaphore = _Slots.semaphore
    if not semaphore.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        semaphore.release()
