"""Settings come from the environment and fail loudly when production needs more."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

PROJECT = Path(__file__).resolve().parent.parent


def load_settings(**environment):
    """Import the settings in a fresh interpreter with exactly this environment."""
    env = {"PATH": os.environ.get("PATH", ""), **environment}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import newsroom.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], "
            "s.CACHES['default']['BACKEND'])",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_debug_off_without_a_secret_key_is_an_error():
    result = load_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_quick_start_defaults_are_sqlite_and_local_memory():
    result = load_settings(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_production_services_come_from_the_environment():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "newsroom.cache.ReusingRedisCache",
    ]


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set; CI sets it")
def test_the_configured_redis_cache_round_trips():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("newsroom-test-key", "Лукашэнка", timeout=5)
    assert cache.get("newsroom-test-key") == "Лукашэнка"
    cache.delete("newsroom-test-key")


def test_production_hashes_passwords_with_argon2_first():
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.settings as s; print(s.PASSWORD_HASHERS[0])"],
        cwd=PROJECT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_cookies_are_secure_when_debug_is_off():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import newsroom.settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)",
        ],
        cwd=PROJECT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "True"]


def test_manage_py_says_why_it_cannot_start():
    """Without a secret key and with debug off, manage.py names the missing
    setting instead of failing later with Django's AppRegistryNotReady."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
