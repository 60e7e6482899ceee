"""Mirrors across app hosts: two gunicorn processes on the test database and
Redis answer on a mirror as soon as an editor adds it, and point readers
away from it as soon as it is retired, with no restart.

Runs only on PostgreSQL with REDIS_URL set (CI's second pass), as
tests/test_app_hosts.py does."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from reach.models import Mirror
from tests.factories import ArticleFactory
from tests.servers import Browser, app_servers, production_env  # noqa: F401  (a fixture)
from tests.test_app_hosts import _database_url

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"]
        or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) shared between "
        "processes; CI's PostgreSQL pass sets both",
    ),
    pytest.mark.django_db(transaction=True),
]

MIRROR = "fresh-mirror.example.net"


def test_app_hosts_follow_the_mirror_list_without_a_restart(production_env, tmp_path):  # noqa: F811
    env = {**production_env, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0"}
    ArticleFactory(headline="Strike at the tractor works")
    reader = Browser(cookies=False)
    home = reverse("articles:home")
    with app_servers(env, tmp_path, "AB") as hosts:

        def statuses():
            return [reader.get(f"{base}{home}", headers={"Host": MIRROR})[0] for base in hosts]

        assert statuses() == [400, 400]
        mirror = Mirror.objects.create(host=MIRROR)
        assert statuses() == [200, 200]
        status, headers, page = reader.get(f"{hosts[1]}{home}", headers={"Host": MIRROR})
        assert "Strike at the tractor works" in page
        assert headers["X-Robots-Tag"] == "noindex"

        Mirror.objects.filter(pk=mirror.pk).retire()
        assert statuses() == [410, 410]
