"""Several app hosts share PostgreSQL, Redis and media.

Two gunicorn processes, on two ports, run the production settings (debug off)
against the test database and the test Redis. Spoken to over HTTP only, as
nginx would: a story an editor publishes on one is on the other's home page
with the next request, though that page was in the other's cache; a reader
who logs in on one is logged in on the other.

Runs only on PostgreSQL with REDIS_URL set (CI's second pass): SQLite and the
local-memory cache are one process's own.
"""

import os
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article, Status
from reading import cache as page_cache
from reading.cache import VERSION_KEY
from tests.factories import ArticleFactory, SectionFactory
from tests.second_factor import give_app
from tests.servers import Browser, app_servers, production_env  # noqa: F401  (a fixture)

PASSWORD = "correct horse battery"  # the conftest's editor and reader
HEADLINE = "Border crossings reopen at dawn"

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"]
        or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) shared between "
        "processes; CI's PostgreSQL pass sets both",
    ),
    pytest.mark.django_db(transaction=True),  # other processes see committed data only
]


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def app_hosts(production_env, tmp_path):  # noqa: F811  (the fixture imported above)
    """Two app hosts, A and B, on the test database and Redis; their addresses."""
    env = {
        **production_env,
        "DATABASE_URL": _database_url(),
        # Connections closed after each request: nothing is left open on the
        # test database when it is flushed and dropped.
        "DATABASE_CONN_MAX_AGE": "0",
    }
    if "replica" in settings.DATABASES:
        env["DATABASE_REPLICA_URL"] = env["DATABASE_URL"]
    with app_servers(env, tmp_path, "AB") as bases:
        yield bases


def _cached_page(base, path):
    """What the page cache holds for `path` as host `base` is asked for it."""
    request = RequestFactory().get(path, HTTP_HOST=base.removeprefix("http://"))
    return cache.get(page_cache.page_key(request))


def test_a_publication_on_one_host_is_on_the_others_cached_home_page_at_once(app_hosts, editor):
    host_a, host_b = app_hosts
    draft = ArticleFactory(draft=True, headline=HEADLINE, section=SectionFactory(slug="news"))
    anonymous = Browser(cookies=False)

    # Readers ask A for its home page; A keeps it in Redis from the second
    # time (NEWSROOM_PAGE_CACHE_MIN_USES).
    anonymous.get(f"{host_a}/en/")
    status, headers, page = anonymous.get(f"{host_a}/en/")
    assert status == 200
    assert HEADLINE not in page
    assert "public" in headers["Cache-Control"]
    version_before = cache.get(VERSION_KEY)
    stored = _cached_page(host_a, "/en/")
    assert stored is not None and stored[0] == version_before

    # An editor logs in to B's admin and publishes the draft there.
    _, app = give_app(editor)
    desk = Browser()
    status, headers, _ = desk.post_form(
        f"{host_b}/admin/login/",
        {"username": editor.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert status == 302 and headers["Location"] == "/admin/", "the editor's login failed"
    # Then the second factor: a code from the editor's authenticator app.
    verify = f"{host_b}{reverse('security:verify')}"
    status, headers, _ = desk.post_form(verify, {"code": app.now(), "next": "/admin/"})
    assert status == 302 and headers["Location"] == "/admin/", "the second step failed"
    changelist = f"{host_b}/admin/articles/article/"
    status, headers, _ = desk.post_form(
        changelist, {"action": "publish_now", "_selected_action": [draft.pk], "index": 0}
    )
    assert status == 302, "the publish action was refused"
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft in Article.objects.published()

    # B's change retired A's page: A has the story within a second (each
    # process trusts the content version it read for half a second).
    assert cache.get(VERSION_KEY) != version_before
    published_at = time.monotonic()
    while True:
        status, _, page = anonymous.get(f"{host_a}/en/")
        assert status == 200
        if HEADLINE in page:
            break
        assert time.monotonic() - published_at < 1.0, "A still serves the old home page"
        time.sleep(0.05)


def test_a_login_on_one_host_is_valid_on_the_other(app_hosts, reader):
    host_a, host_b = app_hosts

    browser = Browser()
    status, headers, _ = browser.post_form(
        f"{host_a}/en/accounts/login/", {"username": reader.email, "password": PASSWORD}
    )
    assert status == 302 and headers["Location"] == "/en/accounts/", "the reader's login failed"
    session = browser.cookie(settings.SESSION_COOKIE_NAME)
    assert session

    # Only the session cookie travels to B, as it would behind a load balancer.
    other_host = Browser(cookies=False)
    status, headers, page = other_host.get(
        f"{host_b}/en/accounts/", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    )
    assert status == 200, f"B answered {status} {headers.get('Location', '')}"
    assert reader.email in page
    assert "no-store" in headers["Cache-Control"]

    # And without it, B sends the visitor to log in: the 200 was the session's.
    status, headers, _ = other_host.get(f"{host_b}/en/accounts/")
    assert status == 302 and headers["Location"].startswith("/en/accounts/login/")
