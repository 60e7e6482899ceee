"""The app's own settings with every cache alias turned into a DummyCache.

bench/run.py serves the home page with these once, to time a full render
(every query, every template) however the page cache keys its entries.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import CACHES

CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}
# No process keeps its own copy of the pages it served.
NEWSROOM_PAGE_CACHE_SECONDS = 0
# Nor does it trust a content version from one request to the next: each
# request renders under a version of its own, so nothing a process keeps per
# version (the section navigation, the masthead and footer, the next due
# change, the pieces of pages) outlives the request.
NEWSROOM_PAGE_CACHE_VERSION_SECONDS = 0
