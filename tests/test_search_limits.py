"""A flood of new searches from one client cannot sink the site: searches the
page cache does not answer are limited per client and per process."""

import pytest
from django.test import Client
from django.urls import reverse

from reading.search_limits import search_slot
from tests.factories import ArticleFactory, SectionFactory, make_subscriber

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


@pytest.fixture(autouse=True)
def newsroom(settings):
    settings.NEWSROOM_SEARCH_RATE_PER_MINUTE = 3
    settings.NEWSROOM_SEARCH_CONCURRENCY = 2
    politics = SectionFactory(name="Politics", slug="politics")
    ArticleFactory(headline="Bridge closed after the flood", section=politics)


def test_a_client_asking_new_searches_in_a_loop_is_asked_to_wait():
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for word in ["bridge", "flood", "closed"]:
        assert flood.get(SEARCH, {"q": word}).status_code == 200

    refused = flood.get(SEARCH, {"q": "river"})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many searches" in refused.text
    assert "public" not in refused.get("Cache-Control", "")
    # Everyone else searches and reads as before.
    neighbour = Client(REMOTE_ADDR="198.51.100.2")
    assert neighbour.get(SEARCH, {"q": "river"}).status_code == 200
    assert flood.get(reverse("articles:home")).status_code == 200


def test_the_search_of_the_hour_answered_by_the_page_cache_is_never_counted():
    for _ in range(10):
        page = Client(REMOTE_ADDR="203.0.113.7").get(SEARCH, {"q": "bridge"})
        assert page.status_code == 200 and "Bridge closed" in page.text


def test_members_searches_are_limited_too():
    member = Client(REMOTE_ADDR="203.0.113.8")
    member.force_login(make_subscriber())
    statuses = [member.get(SEARCH, {"q": word}).status_code for word in "abcde"]

    assert statuses == [200, 200, 200, 429, 429]


def test_when_every_search_slot_of_the_process_is_taken_the_next_search_is_told_to_wait(
    settings,
):
    settings.NEWSROOM_SEARCH_CONCURRENCY = 1
    with search_slot() as mine:
        assert mine
        busy = Client().get(SEARCH, {"q": "bridge"})

    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert "Search is busy" in busy.text
    assert Client().get(SEARCH, {"q": "bridge"}).status_code == 200


def test_a_limit_of_zero_lifts_it(settings):
    settings.NEWSROOM_SEARCH_RATE_PER_MINUTE = 0
    settings.NEWSROOM_SEARCH_CONCURRENCY = 0
    flood = Client(REMOTE_ADDR="203.0.113.7")
    assert all(flood.get(SEARCH, {"q": f"word{n}"}).status_code == 200 for n in range(6))
