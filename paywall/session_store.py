"""Sessions kept in the database, read through the cache.

Django's cached_db store, with two changes. A cache that fails costs a query,
never a request (every cache operation is guarded), so a Redis outage logs
nobody out and breaks no login. And a session is kept in the cache for at
most SESSION_CACHE_SECONDS: if a device is logged out while the cache cannot
be told (an outage), its kept copy lapses within that time.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    cache_key_prefix = "paywall.session:"

    def _cache_seconds(self, expiry_age):
        return max(0, min(expiry_age, settings.SESSION_CACHE_SECONDS))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._guarded(
            self._cache.set,
            self.cache_key,
            data,
            self._cache_seconds(self.get_expiry_age(expiry=stored.expire_date)),
        )
        return data

    def exists(self, session_key):
        # The database decides: a key must never be taken twice.
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create=False):
        super(CachedDBStore, self).save(must_create)
        self._guarded(
            self._cache.set,
            self.cache_key,
            self._session,
            self._cache_seconds(self.get_expiry_age()),
        )

    def delete(self, session_key=None):
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._guarded(self._cache.delete, self.cache_key_prefix + session_key)

    @staticmethod
    def _guarded(operation, *args):
        try:
            operation(*args)
        except Exception:
            logger.warning("Session cache unavailable", exc_info=True)
