"""Loading the logged-in reader for each request."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.utils import timezone

from .access import subscription_changes_at, with_subscription_known

logger = logging.getLogger(__name__)

# How long a reader loaded from the database is trusted from the cache. Every
# save of the reader or of one of their subscriptions drops the copy at once
# (forget_readers); this bounds what a change made around the models, or
# racing a request that was loading the reader, can leave behind.
READER_SECONDS = 60


def reader_key(user_id):
    """The cache key of a reader kept by ReaderBackend."""
    return f"paywall:reader:{user_id}"


def reader_kept_in(entry):
    """The reader a kept entry (read from the cache under reader_key) holds,
    if it may still be trusted; else None."""
    if entry is not None and timezone.now().timestamp() < entry[0]:
        return entry[1]
    return None


def forget_readers(user_ids):
    """Drop the kept copies of these readers: their account or their
    subscriptions changed."""
    keys = [reader_key(pk) for pk in user_ids if pk is not None]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:  # an outage: the copies lapse within READER_SECONDS
        logger.warning("Could not drop kept readers", exc_info=True)


class ReaderBackend(ModelBackend):
    """Django's ModelBackend, except that the user comes with the answer to
    "does a subscription cover this moment?" (asked by
    paywall.access.is_subscriber) read in the same query, and is then kept in
    the cache (never staff) until that answer could change by itself (a
    subscription starts or ends) or READER_SECONDS pass: a member's page then
    costs no query for them at all. Logins made before it was listed keep
    working through ModelBackend, listed after it."""

    def get_user(self, user_id):
        user = self._kept(user_id)
        if user is None:
            users = with_subscription_known(get_user_model()._default_manager.all())
            user = users.filter(pk=user_id).first()
            if user is not None and not user.is_staff:
                self._keep(user)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _kept(user_id):
        try:
            entry = cache.get(reader_key(user_id))
        except Exception:  # an outage costs a query, never a page
            return None
        return reader_kept_in(entry)

    @staticmethod
    def _keep(user):
        now = timezone.now().timestamp()
        until = now + READER_SECONDS
        changes_at = subscription_changes_at(user)
        if changes_at is not None:
            until = min(until, changes_at.timestamp())
        if until <= now:
            return
        try:
            cache.set(reader_key(user.pk), (until, user), READER_SECONDS)
        except Exception:
            logger.warning("Could not keep a reader", exc_info=True)
