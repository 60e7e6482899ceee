"""Several app hosts share PostgreSQL, Redis and media.

Two gunicorn processes, on two ports, run the production settings (debug off)
against the test database and the test Redis. Spoken to over HTTP only, as
nginx would: a story an editor publishes on one is on the other's home page
with the next request, though that page was in the other's cache; a reader
who logs in on one is logged in on the other.

Runs only on PostgreSQL with REDIS_URL set (CI's second pass): SQLite and the
local-memory cache are one process's own.
"""

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from articles.models import Article, Status
from articles.page_cache import VERSION_KEY
from tests.factories import ArticleFactory, SectionFactory

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
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


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """Production settings over plain HTTP, and collected static files.

    With debug off, templates need the static files' manifest. It is built by
    ManifestStaticFilesStorage, the production storage's parent, which writes
    the same staticfiles.json without spending eight seconds on Brotli."""
    static_root = tmp_path_factory.mktemp("static")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "app-hosts-test-secret-key-" + "x" * 30,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    collect = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.management import call_command;"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND':"
        " 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}};"
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "-c", collect],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        check=True,
        timeout=60,
    )
    assert (static_root / "staticfiles.json").exists()
    yield env
    shutil.rmtree(static_root, ignore_errors=True)


def _wait_until_up(process, base, log, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn at {base} exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"gunicorn at {base} did not answer within {timeout} s:\n{log.read_text()}")


@pytest.fixture
def app_hosts(production_env, tmp_path):
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
    processes, bases = [], []
    try:
        for name in "AB":
            port = _free_port()
            log = tmp_path / f"gunicorn-{name}.log"
            with log.open("wb") as output:
                processes.append(
                    subprocess.Popen(
                        [
                            str(BIN / "gunicorn"),
                            "newsroom.wsgi",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--workers",
                            "1",
                            "--threads",
                            "2",
                        ],
                        cwd=PROJECT,
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
            bases.append((f"http://127.0.0.1:{port}", log))
        for process, (base, log) in zip(processes, bases, strict=True):
            _wait_until_up(process, base, log)
        yield [base for base, _ in bases]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor's HTTP client: its own cookies (none if anonymous), no
    redirects followed, so that a 302 to the login page shows as one."""

    def __init__(self, cookies=True):
        self.jar = CookieJar() if cookies else None
        handlers = [_NoRedirects()]
        if self.jar is not None:
            handlers.append(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener = urllib.request.build_opener(*handlers)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, url, data=None, headers=None):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()

    def get(self, url, headers=None):
        return self.request(url, headers=headers)

    def post_form(self, url, fields, form_page=None):
        """POST a form with the CSRF token read from the page and the cookie."""
        status, _, page = self.get(form_page or url)
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert self.cookie("csrftoken")
        return self.request(
            url, {**fields, "csrfmiddlewaretoken": token}, headers={"Referer": form_page or url}
        )


def _cached_page_key(base, path, version):
    address = f"{base.removeprefix('http://')}{path}"
    return f"pages:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def test_a_publication_on_one_host_is_on_the_others_cached_home_page_at_once(app_hosts, editor):
    host_a, host_b = app_hosts
    draft = ArticleFactory(draft=True, headline=HEADLINE, section=SectionFactory(slug="news"))
    anonymous = Browser(cookies=False)

    # A renders its home page for an anonymous reader and keeps it in Redis.
    status, headers, page = anonymous.get(f"{host_a}/")
    assert status == 200
    assert HEADLINE not in page
    assert "public" in headers["Cache-Control"]
    version_before = cache.get(VERSION_KEY)
    assert cache.get(_cached_page_key(host_a, "/", version_before)) is not None

    # An editor logs in to B's admin and publishes the draft there.
    desk = Browser()
    status, headers, _ = desk.post_form(
        f"{host_b}/admin/login/",
        {"username": editor.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert status == 302 and headers["Location"] == "/admin/", "the editor's login failed"
    changelist = f"{host_b}/admin/articles/article/"
    status, headers, _ = desk.post_form(
        changelist, {"action": "publish_now", "_selected_action": [draft.pk], "index": 0}
    )
    assert status == 302, "the publish action was refused"
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft in Article.objects.published()

    # The next anonymous request to A has it: B's change retired A's page.
    assert cache.get(VERSION_KEY) != version_before
    status, _, page = anonymous.get(f"{host_a}/")
    assert status == 200
    assert HEADLINE in page


def test_a_login_on_one_host_is_valid_on_the_other(app_hosts, reader):
    host_a, host_b = app_hosts

    browser = Browser()
    status, headers, _ = browser.post_form(
        f"{host_a}/accounts/login/", {"username": reader.email, "password": PASSWORD}
    )
    assert status == 302 and headers["Location"] == "/accounts/", "the reader's login failed"
    session = browser.cookie(settings.SESSION_COOKIE_NAME)
    assert session

    # Only the session cookie travels to B, as it would behind a load balancer.
    other_host = Browser(cookies=False)
    status, headers, page = other_host.get(
        f"{host_b}/accounts/", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    )
    assert status == 200, f"B answered {status} {headers.get('Location', '')}"
    assert reader.email in page
    assert "no-store" in headers["Cache-Control"]

    # And without it, B sends the visitor to log in: the 200 was the session's.
    status, headers, _ = other_host.get(f"{host_b}/accounts/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")
