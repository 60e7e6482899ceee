"""The production configuration in deploy/ and the settings it relies on."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
NGINX_CONF = DEPLOY / "nginx" / "newsroom.conf"

# What the checklist asks an operator to set, and nothing more.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k7Vq2-fHx9_Lr0Zt4pWm8sYb3NcJ6gQe1uAiD5oTvXyRhKnMzBwEaCdFgSjUlIoP",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "NEWSROOM_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


def run(*args, **environment):
    """Run with exactly this environment (nothing leaks in from the test run)."""
    env = {"PATH": os.environ.get("PATH", ""), **environment}
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )


def test_check_deploy_finds_nothing_in_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_still_checks_https_with_the_onion_aware_security_middleware():
    result = run(
        "manage.py", "check", "--deploy",
        **{**PRODUCTION, "NEWSROOM_SIGNING_KEY": ""},
        DJANGO_HSTS_SECONDS="0", DJANGO_SECURE_SSL_REDIRECT="false",
    )  # fmt: skip
    for warning in ("security.W004", "security.W008", "reach.W002"):
        assert warning in result.stderr + result.stdout


def test_production_defaults_are_https_with_hsts_but_no_preload():
    result = run(
        "-c",
        "import newsroom.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "False"]


def test_preloading_is_an_explicit_choice_and_then_checked_normally():
    result = run(
        "-c",
        "import newsroom.settings as s; print(s.SECURE_HSTS_PRELOAD, "
        "getattr(s, 'SILENCED_SYSTEM_CHECKS', []))",
        DJANGO_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    # (security.W001 stays silenced: reach/checks.py runs those checks itself.)
    assert result.stdout.split() == ["True", "['security.W001']"]


def test_media_go_to_s3_when_a_bucket_is_named():
    result = run(
        "-c",
        "import django; django.setup(); "
        "from django.conf import settings; "
        "from django.core.files.storage import storages; "
        "s = storages['default']; "
        "print(settings.STORAGES['default']['BACKEND'], type(s).__name__, s.bucket_name, "
        "s.endpoint_url, s.region_name, s.querystring_auth, s.file_overwrite, s.default_acl, "
        "s.url('lead-images/minsk.jpg'))",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        AWS_STORAGE_BUCKET_NAME="bpn-media",
        AWS_S3_ENDPOINT_URL="https://s3.storage.example.net",
        AWS_S3_REGION_NAME="eu-central",
        AWS_ACCESS_KEY_ID="access",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_S3_CUSTOM_DOMAIN="news.example.org/media",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "S3Storage",
        "bpn-media",
        "https://s3.storage.example.net",
        "eu-central",
        "False",
        "False",
        "None",
        # Readers fetch images from the site itself, never from the provider.
        "https://news.example.org/media/lead-images/minsk.jpg",
    ]


def test_without_a_bucket_media_stay_on_the_local_disk():
    result = run(
        "-c",
        "import newsroom.settings as s; print(s.STORAGES['default']['BACKEND'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_without_the_sites_own_media_address_is_an_error():
    result = run(
        "-c",
        "import newsroom.settings",
        AWS_STORAGE_BUCKET_NAME="bpn-media",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "AWS_S3_CUSTOM_DOMAIN must be set" in result.stderr


def nginx_directives():
    """The nginx config without its comments."""
    return re.sub(r"#[^\n]*", "", NGINX_CONF.read_text())


def test_nginx_never_caches_or_serves_cached_pages_to_personal_requests():
    conf = nginx_directives()
    for cookie in ("$cookie_sessionid", "$cookie_csrftoken", "$http_authorization"):
        assert cookie in conf
    assert "proxy_cache_bypass $newsroom_personal;" in conf
    assert "proxy_no_cache $newsroom_personal;" in conf
    # Each compressed form of a page apart (the app keeps them: reading/cache.py).
    assert 'proxy_cache_key "$scheme$host$request_uri$newsroom_encoding";' in conf
    assert "proxy_set_header Accept-Encoding $newsroom_encoding;" in conf
    # Responses that set a cookie stay out of the cache (nginx's default).
    assert not re.search(r"proxy_ignore_headers[^;]*Set-Cookie", conf.split("location / {")[1])
    assert "proxy_cache_valid" not in conf  # only what the app marks as shareable


def test_nginx_logs_no_client_addresses():
    conf = nginx_directives()
    assert "$remote_addr" not in conf
    assert "$http_x_forwarded_for" not in conf
    for access_log in re.findall(r"access_log\s+([^;]+);", conf):
        assert access_log.strip() == "off"


def test_nginx_takes_an_upload_as_large_as_the_app_allows():
    from django.conf import settings

    size = re.search(r"client_max_body_size\s+(\d+)m;", nginx_directives())
    assert size is not None
    limit = settings.NEWSROOM_IMAGE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert int(size.group(1)) * 1024 * 1024 >= limit


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which("openssl"),
    reason="nginx or openssl not installed",
)
def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example.org",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (
        NGINX_CONF.read_text()
        .replace("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/var/cache/nginx/newsroom", str(tmp_path / "cache"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_configuration_has_only_known_settings_and_private_defaults():
    result = run(
        "-c",
        "import multiprocessing, runpy\n"
        "from gunicorn.config import KNOWN_SETTINGS\n"
        "ns = runpy.run_path('deploy/gunicorn.conf.py')\n"
        "known = {s.name for s in KNOWN_SETTINGS}\n"
        "names = {n for n, v in ns.items() if not n.startswith('_') and not callable(v)}\n"
        "names -= {'multiprocessing', 'os'}\n"
        "print(sorted(names - known) or 'all-known', ns['worker_class'], "
        "ns['workers'] == 2 * multiprocessing.cpu_count(), ns['threads'], ns['bind'], "
        "ns['accesslog'], ns['worker_tmp_dir'], 'control_socket' in ns)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "all-known",
        "gthread",
        "True",
        "4",
        "127.0.0.1:8000",
        "None",
        "/dev/shm",
        "False",
    ]


def test_the_systemd_unit_runs_gunicorn_with_that_configuration():
    unit = (DEPLOY / "newsroom.service").read_text()
    assert "-c deploy/gunicorn.conf.py newsroom.wsgi" in unit
    assert "EnvironmentFile=/etc/newsroom/env" in unit
    for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):
        assert hardening in unit


def test_the_newsletter_worker_unit_runs_the_worker_command():
    from django.core.management import get_commands

    unit = (DEPLOY / "newsletter-worker@.service").read_text()
    assert "manage.py newsletter_worker --worker-id %H-%i" in unit
    assert get_commands()["newsletter_worker"] == "newsletters"
    assert "EnvironmentFile=/etc/newsroom/env" in unit
    assert "KillSignal=SIGTERM" in unit
    for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):
        assert hardening in unit
