"""Anonymous readers' public pages read from the replica, when there is one."""

import time

from django.conf import settings
from django.urls import Resolver404, resolve

from reading import cache

from .routers import replica_reads

# URL namespaces of the public pages, the same for every anonymous reader.
PUBLIC_NAMESPACES = {"articles", "feeds", "seo"}
# ...except a member's private feed: its key is a subscriber's credential.
PRIVATE_VIEWS = {"feeds:member-rss", "feeds:member-atom", "feeds:member-rotate"}


def _changed_recently(request):
    """Whether content changed within NEWSROOM_REPLICA_LAG_SECONDS.

    The page cache's content version is the time of the last change. Until
    the replica has surely caught up, pages are rendered from the primary,
    or a just-published story could be missing from a page that the page
    cache then keeps under the new version. (A cache outage reads as "just
    changed": the primary is used.)"""
    lag = settings.NEWSROOM_REPLICA_LAG_SECONDS
    return lag > 0 and time.time_ns() - cache.content_version(request) < lag * 1_000_000_000


class ReplicaReadsMiddleware:
    """Route the reads of an anonymous GET or HEAD of a public page to the
    replica (newsroom.routers), for that request only. Goes after
    AuthenticationMiddleware; the router does the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._reads_from_replica(request):
            return self.get_response(request)
        # Set and reset here, in one frame: the same context whatever runs
        # the middleware chain (WSGI threads, ASGI adapters).
        token = replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            replica_reads.reset(token)

    @staticmethod
    def _reads_from_replica(request):
        if not cache.is_anonymous(request):  # a session or message cookie
            return False
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return (
            match.namespace in PUBLIC_NAMESPACES
            and match.view_name not in PRIVATE_VIEWS
            and not _changed_recently(request)
        )
