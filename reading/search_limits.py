"""Searches that miss the page cache, kept from sinking the site.

A search nobody asked before costs the database tens of milliseconds of
CPU; a client sending new queries in a loop could take the database's whole
machine, and every other reader's pages with it. Two limits keep a flood to
itself:

- per client: at most NEWSROOM_SEARCH_RATE_PER_MINUTE searches a minute that
  reach the database (a search answered from the page cache costs nothing and
  is not counted); the next ones get a 429 page with Retry-After. Clients are
  counted by a keyed hash of their address (paywall.lockout), in the shared
  cache, for the current minute only.
- per process: at most NEWSROOM_SEARCH_CONCURRENCY searches at once; one more
  gets a 503 page with Retry-After at once rather than a thread that waits,
  so the process's other threads stay free for every other page.

0 turns either limit off. A cache outage lifts the per-client limit (it
cannot be counted), never the per-process one.
"""

import hashlib
import hmac
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from paywall.lockout import client_address

from .cache import safely

WINDOW_SECONDS = 60
BUSY_RETRY_SECONDS = 2


def seconds_to_wait(request):
    """None if this client may search now; else how long until they may."""
    limit = settings.NEWSROOM_SEARCH_RATE_PER_MINUTE
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    secret = f"reading.search_limits:{settings.SECRET_KEY}".encode()
    client = hmac.new(secret, client_address(request).encode(), hashlib.sha256).hexdigest()[:32]
    key = f"search-rate:{client}:{window}"

    def count():
        if cache.add(key, 1, WINDOW_SECONDS + 5):
            return 1
        return cache.incr(key)

    searches = safely(count, 0)
    if searches <= limit:
        return None
    return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)


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
