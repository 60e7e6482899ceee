"""Health checks for load balancers, and what readers see when the database is down.

`/healthz` says the process is alive and answering; `/readyz` says it can
serve pages: every database (the replica too, if there is one) and the cache
answer. Both are answered by HealthCheckMiddleware, first in the chain, so
that a probe by IP address over plain HTTP (what load balancers send) gets an
answer rather than a DisallowedHost error or a redirect to HTTPS, and so
that a probe costs no session, no template and no URL resolution.

A database outage gives readers a 503 page with Retry-After, rendered
without the database (`server_error`, the project's handler500), and nginx
serves its stale copies meanwhile (deploy/nginx/newsroom.conf).
"""

import json
import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
# Seconds a reader (or a crawler) is asked to wait when the database is down.
RETRY_AFTER = 30
_PROBE_KEY = "health:probe"


def _plain(payload, status):
    response = HttpResponse(
        json.dumps(payload, sort_keys=True) + "\n",
        status=status,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response


def _database_ready(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: database %r unavailable", alias, exc_info=True)
        return False
    return True


def _cache_ready():
    try:
        cache.set(_PROBE_KEY, 1, 10)
        return cache.get(_PROBE_KEY) == 1
    except Exception:  # any client error means the cache is not usable
        logger.warning("Readiness: cache unavailable", exc_info=True)
        return False


def readiness():
    """{"database": bool, ["replica": bool,] "cache": bool}"""
    checks = {alias: _database_ready(alias) for alias in connections}
    checks = {("database" if alias == "default" else alias): ok for alias, ok in checks.items()}
    checks["cache"] = _cache_ready()
    return checks


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return _plain({"status": "ok"}, 200)
        if request.path_info == READY_PATH:
            checks = readiness()
            ready = all(checks.values())
            return _plain(
                {
                    "status": "ok" if ready else "unavailable",
                    **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
                },
                200 if ready else 503,
            )
        return self.get_response(request)


def _database_unavailable(error):
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    """handler500: a database that cannot be reached is an outage, not a bug,
    and readers are told to come back (503, Retry-After). Any other error
    gets Django's standalone 500 page."""
    error = sys.exc_info()[1]
    if not _database_unavailable(error):
        return django_server_error(request)
    # Standalone: no context processors, no database, no session.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
