"""The app's own settings with every cache alias turned into a DummyCache.

bench/run.py serves the home page with these once, to time a full render
(every query, every template) however the page cache keys its entries.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import CACHES

CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}
# Nor does any process keep its own copy of the pages it served.
NEWSROOM_PAGE_CACHE_SECONDS = 0
