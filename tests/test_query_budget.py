"""Every list page costs the same number of queries, whatever its length."""

import itertools
from contextlib import ExitStack

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, make_subscriber

pytestmark = pytest.mark.django_db

# Public list pages: the page of articles (one more than a page holds: the
# feed is never counted), their extra sections, the navigation; plus the
# page's own object (section/tag/author) and, for the page cache, when the
# next scheduled article goes live or pin lapses.
PUBLIC_BUDGET = 5
# The home and section pages also read the editors' current pins for the page
# (one query, however many pins).
CURATED_PAGES = {"home", "section"}
# The admin list adds its session, user, permissions, filters and counts.
ADMIN_BUDGET = 14


def build_newsroom(count):
    """`count` published articles spread over several sections, tags and authors,
    each also in a second section, some gated, some with two authors."""
    sections = [
        SectionFactory(name=name) for name in ["Politics", "Economy", "Security", "Society"]
    ]
    authors = [AuthorFactory() for _ in range(4)]
    tags = ["Sanctions", "Prisoners", "Border", "Energy"]
    for i, (section, other) in zip(
        range(count), itertools.cycle(itertools.permutations(sections, 2))
    ):
        ArticleFactory(
            section=section,
            also_in=[other],
            authors=authors[i % 4 : i % 4 + 2],
            tags=tags[i % 4 : i % 4 + 2] + ["Belarus"],
            gated=i % 3 == 0,
        )
    return {
        "home": reverse("articles:home"),
        "section": sections[0].get_absolute_url(),
        "tag": reverse("articles:tag-feed", kwargs={"slug": "belarus"}),
        "author": authors[0].get_absolute_url(),
    }


def capture_queries(client, url):
    """The SQL of rendering `url` afresh (the anonymous page cache is emptied)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries]


def count_queries(client, url):
    return len(capture_queries(client, url))


@pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
def test_public_list_pages_run_a_constant_small_number_of_queries(client, page, settings):
    """Guards against N+1 queries in the headline partial: 5 and 50 articles
    (a full page of 20) must cost exactly the same."""
    urls = build_newsroom(5)
    small = count_queries(client, urls[page])

    build_newsroom(45)
    large = count_queries(client, urls[page])

    assert small == large
    assert large <= PUBLIC_BUDGET + (page in CURATED_PAGES)


@pytest.mark.parametrize(
    "page, number",
    [("home", 1), ("home", 2), ("section", 1), ("section", 2), ("tag", 2), ("author", 1)],
)
def test_headline_feeds_never_count_the_archive(client, page, number):
    """A COUNT(*) over every published article is the one query whose cost
    grows with the archive on every page view: feeds page without it."""
    urls = build_newsroom(45)

    statements = capture_queries(client, f"{urls[page]}?page={number}")

    assert not [sql for sql in statements if "COUNT(" in sql.upper()]


def test_article_page_costs_the_same_whatever_the_size_of_more_headlines(client):
    build_newsroom(5)
    from articles.models import Article

    url = Article.objects.first().get_absolute_url()
    small = count_queries(client, url)
    build_newsroom(45)
    # Rendered afresh: the article, its sections, authors, tags and
    # corrections (one prefetch each, however many there are), the
    # navigation, the next due change, and "More headlines": the newest
    # candidates, which of them are kin (by their listings), the headlines
    # and their sections. A member's second visit costs 4 (test_fragments.py).
    assert count_queries(client, url) == small <= 11


def test_admin_article_list_runs_a_constant_number_of_queries(editor_client):
    """The change list shows sections and authors per row: they must be
    prefetched, not fetched per article."""
    url = reverse("admin:articles_article_changelist")
    build_newsroom(5)
    editor_client.get(url)  # the device's last-seen time is refreshed on the first page
    small = count_queries(editor_client, url)

    build_newsroom(45)
    large = count_queries(editor_client, url)

    assert small == large
    assert large <= ADMIN_BUDGET


@pytest.mark.parametrize("url_name", ["paywall:plus-feed", "articles:home"])
def test_a_subscribers_pages_cost_the_same_whatever_their_length(client, url_name):
    """Logged in, a page adds the session, the user and one subscription check,
    never a query per article."""

    client.force_login(make_subscriber())
    url = reverse(url_name)
    build_newsroom(5)
    client.get(url)  # the device's last-seen time is refreshed on the first page
    small = count_queries(client, url)

    build_newsroom(45)
    large = count_queries(client, url)

    assert small == large <= PUBLIC_BUDGET + 3


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_with_no_shared_cache_a_process_keeps_what_it_rendered_under_its_version(client, settings):
    """With no cache shared between processes (no Redis), a process still
    trusts its content version for NEWSROOM_PAGE_CACHE_VERSION_SECONDS, and
    keeps what it rendered under it: the section navigation, the next due
    change, the page's pieces. The same page again costs no query, on any
    database (anonymous pages read from the replica when there is one)."""
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in settings.CACHES
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS = 60
    urls = build_newsroom(5)

    def queries():
        with ExitStack() as stack:
            captured = [
                stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in connections
            ]
            assert client.get(urls["home"]).status_code == 200
        return [query["sql"] for queries in captured for query in queries]

    assert 0 < len(queries()) <= PUBLIC_BUDGET + 1
    assert queries() == []
