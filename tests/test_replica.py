"""An optional read replica takes anonymous readers' public pages; the primary
keeps everything else.

Runs when DATABASE_REPLICA_URL is set (CI's PostgreSQL pass points it at the
same server). In tests the replica alias mirrors the primary's test database
through a connection of its own, so data is committed (transaction=True) and
each alias's queries are captured apart: a query on the "replica" connection
went there by routing. A spy on the router records each decision as well.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom import routers
from newsroom.routers import PRIMARY, REPLICA, ReplicaRouter
from paywall.models import MemberFeed
from tests.factories import ArticleFactory, SectionFactory, make_subscriber

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no read replica configured (DATABASE_REPLICA_URL); CI's PostgreSQL pass sets one",
    ),
    pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA]),
]

HEADLINE = "Replica-read headline"


@pytest.fixture
def replica_reads_decided(monkeypatch):
    """Every db_for_read decision, as (model, alias)."""
    decisions = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        decisions.append((model, alias))
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return decisions


@pytest.fixture
def replica_reads(settings, replica_reads_decided):
    """Routing on (the conftest turns it off for every other test). No lag
    window unless a test asks for one: test data has only just been written."""
    assert "newsroom.middleware.ReplicaReadsMiddleware" in settings.MIDDLEWARE
    settings.NEWSROOM_REPLICA_LAG_SECONDS = 0
    return replica_reads_decided


@pytest.fixture
def article():
    return ArticleFactory(headline=HEADLINE, section=SectionFactory(slug="politics"))


def fetch(client, url, method="get", **data):
    """The response, and the queries each alias ran for it."""
    with (
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = getattr(client, method)(url, data)
    return response, list(on_primary), list(on_replica)


def aliases(decisions):
    return {alias for _, alias in decisions}


SLUG = "replica-read-headline"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("home", HEADLINE),
        ("section", HEADLINE),
        ("article", HEADLINE),
        ("search", HEADLINE),
        ("/en/feeds/rss/", HEADLINE),
        ("/en/feeds/section/politics/atom/", HEADLINE),
        ("/en/sitemap.xml", "/sitemap-articles-"),
        ("this month's sitemap", SLUG),
        ("/en/sitemap-news.xml", HEADLINE),
    ],
)
def test_anonymous_public_pages_read_from_the_replica(
    client, replica_reads, article, url, expected
):
    url = {
        "home": reverse("articles:home"),
        "section": reverse("articles:section-feed", kwargs={"slug": "politics"}),
        "article": article.get_absolute_url(),
        "search": reverse("articles:search") + "?q=replica",
        "this month's sitemap": (
            f"/en/sitemap-articles-{timezone.localtime(article.published_at):%Y-%m}.xml"
        ),
    }.get(url, url)
    replica_reads.clear()

    response, on_primary, on_replica = fetch(client, url)

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert on_replica, "no query ran on the replica"
    if "/search/" in url:  # the index-only probe's planner settings went along
        assert any("enable_seqscan" in query["sql"] for query in on_replica)
    assert on_primary == []
    assert replica_reads and aliases(replica_reads) == {REPLICA}
    # Only for that request: the test's own reads are the primary's again.
    assert routers.replica_reads.get() is False
    assert Article.objects.all().db == PRIMARY


def test_a_logged_in_reader_reads_from_the_primary(client, replica_reads, article, reader):
    client.force_login(reader)
    replica_reads.clear()

    for url in (reverse("articles:home"), article.get_absolute_url(), "/en/feeds/rss/"):
        response, on_primary, on_replica = fetch(client, url)
        assert response.status_code == 200
        assert on_replica == [] and on_primary
        assert aliases(replica_reads) == {PRIMARY}


def test_any_session_or_message_cookie_keeps_a_reader_on_the_primary(client, replica_reads):
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    _, on_primary, on_replica = fetch(client, reverse("articles:home"))
    assert on_replica == [] and on_primary

    other = Client()
    other.cookies["messages"] = "a notice"
    cache.clear()  # the headlines kept by the first request: rendered again
    _, on_primary, on_replica = fetch(other, reverse("articles:home"))
    assert on_replica == [] and on_primary


def test_logging_in_uses_the_primary(client, replica_reads, reader):
    replica_reads.clear()
    response, on_primary, on_replica = fetch(
        client,
        reverse("paywall:login"),
        method="post",
        username=reader.email,
        password="correct horse battery",
    )
    assert response.status_code == 302
    assert on_replica == [] and on_primary
    assert aliases(replica_reads) == {PRIMARY}

    # The login page itself, though anonymous, is no public page.
    response, on_primary, on_replica = fetch(Client(), reverse("paywall:login"))
    assert response.status_code == 200 and on_replica == []


def test_the_admin_uses_the_primary(editor_client, replica_reads, article):
    replica_reads.clear()
    response, on_primary, on_replica = fetch(editor_client, "/admin/articles/article/")
    assert response.status_code == 200 and HEADLINE in response.content.decode()
    assert on_replica == [] and on_primary
    assert aliases(replica_reads) == {PRIMARY}


def test_the_members_private_feed_uses_the_primary(client, replica_reads, article):
    member = make_subscriber()
    key = MemberFeed.objects.for_user(member).key
    replica_reads.clear()

    for fmt in ("rss", "atom"):
        url = reverse(f"feeds:member-{fmt}", kwargs={"key": key})
        response, on_primary, on_replica = fetch(client, url)  # no session: a feed reader
        assert response.status_code == 200 and HEADLINE in response.content.decode()
        assert on_replica == [] and on_primary
        assert aliases(replica_reads) == {PRIMARY}


def test_just_after_a_change_pages_read_from_the_primary(client, replica_reads, settings):
    """The replica may lag: a story published a moment ago must not be missing
    from a page that the page cache then keeps."""
    settings.NEWSROOM_REPLICA_LAG_SECONDS = 60
    ArticleFactory(headline=HEADLINE)  # a content change, just now

    response, on_primary, on_replica = fetch(client, reverse("articles:home"))

    assert HEADLINE in response.content.decode()
    assert on_replica == [] and on_primary


def test_writes_and_migrations_belong_to_the_primary():
    router = ReplicaRouter()
    token = routers.replica_reads.set(True)
    try:
        assert router.db_for_read(Article) == REPLICA
        assert router.db_for_write(Article) == PRIMARY
    finally:
        routers.replica_reads.reset(token)
    assert router.db_for_read(Article) == PRIMARY
    assert router.allow_migrate(PRIMARY, "articles") is True
    assert router.allow_migrate(REPLICA, "articles") is False
