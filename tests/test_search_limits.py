"""A flood of new searches from one client cannot sink the site: searches the
page cache does not answer are limited per client and per process."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.text import lacinka
from reading.search_limits import WINDOW_SECONDS, search_slot
from tests.factories import ArticleFactory, SectionFactory, make_subscriber

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


@pytest.fixture(autouse=True)
def newsroom(settings):
    # Three searches a window of ten seconds.
    settings.NEWSROOM_SEARCH_RATE_PER_MINUTE = 18
    settings.NEWSROOM_SEARCH_CONCURRENCY = 2
    politics = SectionFactory(name="Politics", slug="politics")
    ArticleFactory(headline="Bridge closed after the flood", section=politics)


@pytest.fixture(autouse=True)
def one_window():
    """Searches are counted per window of ten seconds: a test that counts
    them starts with three seconds or more of its window left, or a new
    window would start the count again halfway through it."""
    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < 3:
        time.sleep(left + 0.1)


def test_a_client_asking_new_searches_in_a_loop_is_asked_to_wait():
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for word in ["bridge", "flood", "closed"]:
        assert flood.get(SEARCH, {"q": word}).status_code == 200

    refused = flood.get(SEARCH, {"q": "river"})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= WINDOW_SECONDS + 1
    assert "Too many searches" in refused.text
    assert "public" not in refused.get("Cache-Control", "")
    # Everyone else searches and reads as before.
    neighbour = Client(REMOTE_ADDR="198.51.100.2")
    assert neighbour.get(SEARCH, {"q": "river"}).status_code == 200
    assert flood.get(reverse("articles:home")).status_code == 200


def test_a_client_in_a_loop_gets_a_few_searches_every_ten_seconds_not_a_minutes_at_once(
    settings,
):
    """Thirty a minute come as five every ten seconds: a minute's worth at
    once would run side by side at the turn of each minute, and every other
    reader's pages would wait behind them."""
    settings.NEWSROOM_SEARCH_RATE_PER_MINUTE = 30
    flood = Client(REMOTE_ADDR="203.0.113.9")

    answers = [flood.get(SEARCH, {"q": f"word{n}"}) for n in range(8)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 3
    assert 1 <= int(answers[-1]["Retry-After"]) <= WINDOW_SECONDS + 1


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


def test_a_refusal_is_decided_before_the_session_or_the_database_is_touched(
    django_assert_num_queries,
):
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for word in ["bridge", "flood", "closed"]:
        assert flood.get(SEARCH, {"q": word}).status_code == 200

    with django_assert_num_queries(0):
        refused = flood.get(SEARCH, {"q": "river"})
        again = flood.get(SEARCH, {"q": "weir"})

    assert refused.status_code == again.status_code == 429
    # Neither the session, the reader nor the edition's middleware ran.
    assert not hasattr(refused.wsgi_request, "session")
    assert not hasattr(refused.wsgi_request, "user")
    assert not refused.cookies
    assert refused["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]


def test_a_busy_process_refuses_before_anything_else_runs(settings, django_assert_num_queries):
    settings.NEWSROOM_SEARCH_CONCURRENCY = 1
    with search_slot(), django_assert_num_queries(0):
        busy = Client(REMOTE_ADDR="198.51.100.9").get(SEARCH, {"q": "bridge"})

    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert not hasattr(busy.wsgi_request, "session")


@pytest.mark.parametrize(
    ("edition", "heading"),
    [
        ("en", "Too many searches"),
        ("be", "Занадта шмат пошукаў"),
        ("ru", "Слишком много поисков"),
        ("be-latn", lacinka("Занадта шмат пошукаў")),
    ],
)
def test_the_refusal_speaks_the_edition_the_reader_searched_in(edition, heading):
    with translation.override(edition):
        search, home = reverse("articles:search"), reverse("articles:home")
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for word in ["bridge", "flood", "closed"]:
        flood.get(search, {"q": word})

    refused = flood.get(search, {"q": "river"})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= WINDOW_SECONDS + 1
    assert refused["Content-Language"] == edition
    assert heading in refused.text
    assert f'lang="{edition}"' in refused.text
    assert f'href="{home}"' in refused.text
    if edition == "be-latn":
        assert "Занадта" not in refused.text


def test_a_member_over_the_limit_is_told_to_wait_in_their_edition():
    member = Client(REMOTE_ADDR="203.0.113.8")
    member.force_login(make_subscriber())
    with translation.override("ru"):
        search = reverse("articles:search")
    for word in "abc":
        assert member.get(search, {"q": word}).status_code == 200

    refused = member.get(search, {"q": "d"})

    assert refused.status_code == 429
    assert "Слишком много поисков" in refused.text
    assert 1 <= int(refused["Retry-After"]) <= WINDOW_SECONDS + 1


def test_a_client_over_the_limit_still_gets_the_search_of_the_hour_from_the_page_cache():
    Client(REMOTE_ADDR="198.51.100.2").get(SEARCH, {"q": "bridge"})
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for word in ["flood", "closed", "after", "river"]:
        flood.get(SEARCH, {"q": word})
    assert flood.get(SEARCH, {"q": "weir"}).status_code == 429

    popular = flood.get(SEARCH, {"q": "bridge"})

    assert popular.status_code == 200 and "Bridge closed" in popular.text
