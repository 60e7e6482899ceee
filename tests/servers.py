"""The app as production runs it: gunicorn processes with debug off, spoken to
over HTTP only, as nginx would. For tests of what crosses process boundaries
(several app hosts, a database outage)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["CACHE_KEY_PREFIX"] = settings.CACHES["default"].get("KEY_PREFIX", "")
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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(process, base, log, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn at {base} exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"gunicorn at {base} did not answer within {timeout} s:\n{log.read_text()}")


@contextmanager
def app_servers(env, logs, names):
    """One gunicorn per name, each on a free port, with `env`; yields their
    base addresses and stops them (by their PIDs) on the way out."""
    processes, bases = [], []
    try:
        for name in names:
            port = free_port()
            log = logs / f"gunicorn-{name}.log"
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
