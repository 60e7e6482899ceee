"""Load balancers ask whether an app host is alive and ready; readers get a
plain "back in a moment" page, never a traceback, while the database is down."""

import pytest
from django.urls import path

from newsroom import urls as newsroom_urls
from tests.servers import Browser, app_servers, production_env  # noqa: F401  (a fixture)

DOWN_CACHE = {
    "default": {
        "BACKEND": "newsroom.cache.ReusingRedisCache",
        # Nothing listens here: every cache call fails.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_healthz_answers_a_probe_by_ip_address_without_touching_anything(client, settings):
    """No django_db mark: any database access here would be an error."""
    settings.SECURE_SSL_REDIRECT = True  # as in production
    # A load balancer asks by the host's address, over plain HTTP.
    response = client.get("/healthz", HTTP_HOST="10.0.0.17")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(databases="__all__")
def test_readyz_reports_the_database_and_the_cache(client, settings):
    response = client.get("/readyz", HTTP_HOST="10.0.0.17")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == body["database"] == body["cache"] == "ok"
    # A read replica, when there is one (CI's PostgreSQL pass), is asked too.
    assert ("replica" in body) == ("replica" in settings.DATABASES)


@pytest.mark.django_db(databases="__all__")
def test_readyz_is_unavailable_while_the_cache_is_down(client, settings):
    settings.CACHES = DOWN_CACHE

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_a_database_outage_gives_readers_a_503_page_to_come_back_to(production_env, tmp_path):  # noqa: F811
    """The app host runs with a database nobody answers at: the process is
    alive (healthz), not ready (readyz), and every page that needs the
    database is a 503 with Retry-After and a page a reader understands."""
    env = {
        **production_env,
        "DATABASE_URL": "postgres://newsroom@127.0.0.1:9/newsroom",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)
    with app_servers(env, tmp_path, ["down"]) as (base,):
        visitor = Browser(cookies=False)

        status, _, _ = visitor.get(f"{base}/healthz")
        assert status == 200

        status, _, body = visitor.get(f"{base}/readyz")
        assert status == 503
        assert '"database": "unavailable"' in body

        for path in ["/", "/politics/", "/search/?q=border", "/feeds/rss/"]:
            status, headers, page = visitor.get(f"{base}{path}")
            assert status == 503, path
            assert headers["Retry-After"] == "30"
            assert "no-store" in headers["Cache-Control"]
            assert "We will be back in a moment" in page
            assert "Traceback" not in page and "OperationalError" not in page

        # A logged-in reader's session cannot be read either: the same page.
        session = {"Cookie": "sessionid=" + "a1" * 16}
        status, _, page = visitor.get(f"{base}/accounts/", headers=session)
        assert status == 503 and "We will be back in a moment" in page


def broken_view(request):
    raise RuntimeError("a bug, not an outage")


def unreachable_database_view(request):
    from django.db import OperationalError

    raise OperationalError("connection refused")


urlpatterns = [
    path("broken/", broken_view),
    path("database-down/", unreachable_database_view),
]
# The project's own answer to errors, as its URL configuration names it.
handler500 = newsroom_urls.handler500


@pytest.mark.urls(__name__)
def test_a_bug_is_a_500_page_and_an_unreachable_database_a_503_page():
    from django.test import Client

    visitor = Client(raise_request_exception=False)

    bug = visitor.get("/broken/")
    outage = visitor.get("/database-down/")

    assert bug.status_code == 500
    assert "Something went wrong on our side" in bug.text and "Retry-After" not in bug
    assert outage.status_code == 503 and outage["Retry-After"] == "30"
    assert "We will be back in a moment" in outage.text
    for page in (bug.text, outage.text):
        assert "Traceback" not in page and "RuntimeError" not in page
