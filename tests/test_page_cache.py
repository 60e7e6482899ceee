"""Anonymous readers get pages from the shared cache; nobody else ever gets
theirs (logged-in readers' pages are kept per class: tests/test_class_pages.py)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from paywall.models import GiftLink
from reading.cache import cache_for_readers
from tests.factories import ArticleFactory, SectionFactory, make_subscriber
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
CANARY = "CANARY beyond the teaser"


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def member():
    return make_subscriber()


@pytest.mark.parametrize("page", ["home", "section", "tag", "author", "article"])
def test_a_second_anonymous_visit_is_served_without_the_database(client, politics, page):
    from tests.factories import AuthorFactory

    author = AuthorFactory()
    article = ArticleFactory(section=politics, tags=["Border"], authors=[author])
    url = {
        "home": HOME,
        "section": politics.get_absolute_url(),
        "tag": reverse("articles:tag-feed", kwargs={"slug": "border"}),
        "author": author.get_absolute_url(),
        "article": article.get_absolute_url(),
    }[page]

    first, _ = queries_for(client, url)
    second, cost = queries_for(Client(), url)

    assert cost == 0
    assert second.content == first.content
    control = second["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "stale-while-revalidate=" in control
    assert "Cookie" in second["Vary"]
    assert "Content-Security-Policy" in second


def test_a_story_an_editor_publishes_is_on_the_home_page_at_once(client, politics, editor_client):
    ArticleFactory(headline="Earlier story", section=politics)
    client.get(HOME)
    draft = ArticleFactory(headline="Breaking: bridge closed", section=politics, draft=True)
    assert "Breaking: bridge closed" not in client.get(HOME).text

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert "Breaking: bridge closed" in Client().get(HOME).text


def test_editing_a_section_updates_every_cached_page(client, politics):
    article = ArticleFactory(section=politics)
    client.get(article.get_absolute_url())

    politics.name = "Politics & Power"
    politics.save()

    assert "Politics &amp; Power" in Client().get(article.get_absolute_url()).text


def test_a_scheduled_story_appears_when_due_even_on_a_cached_page(client, politics, monkeypatch):
    ArticleFactory(headline="Already out", section=politics)
    ArticleFactory(
        headline="Embargo lifts at noon",
        section=politics,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert "Embargo lifts at noon" not in client.get(HOME).text

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Embargo lifts at noon" in Client().get(HOME).text


def test_a_kept_page_is_rendered_again_after_midnight(client, politics, monkeypatch):
    """Headlines say "Today, 20:00" on the day and the date after it: an
    anonymous page kept in the evening is not served the next morning."""
    from datetime import datetime

    evening = timezone.make_aware(datetime(2026, 11, 25, 21, 0))
    monkeypatch.setattr(timezone, "now", lambda: evening)
    ArticleFactory(
        headline="Late session", section=politics, published_at=evening - timedelta(hours=1)
    )
    assert ">Today, 20:00</time>" in client.get(HOME).text
    # Still kept a minute before midnight…
    monkeypatch.setattr(timezone, "now", lambda: evening + timedelta(hours=2, minutes=59))
    assert ">Today, 20:00</time>" in Client().get(HOME).text

    # …and rendered again a minute after it.
    monkeypatch.setattr(timezone, "now", lambda: evening + timedelta(hours=3, minutes=1))
    assert ">November 25, 20:00</time>" in Client().get(HOME).text


def test_subscribers_never_get_or_leave_an_anonymous_page(client, politics, member):
    gated = ArticleFactory(section=politics, gated=True, body=f"<p>Teaser.</p><p>{CANARY}</p>")
    assert CANARY not in client.get(gated.get_absolute_url()).text  # the gate, now cached

    subscriber = Client()
    subscriber.force_login(member)
    unlocked = subscriber.get(gated.get_absolute_url())

    assert CANARY in unlocked.text
    assert "private" in unlocked["Cache-Control"] and "no-store" in unlocked["Cache-Control"]
    assert CANARY not in Client().get(gated.get_absolute_url()).text


def test_a_logged_in_reader_never_gets_the_anonymous_page(client, politics, member):
    ArticleFactory(section=politics)
    assert "Log in" in client.get(HOME).text
    reader = Client()
    reader.force_login(member)

    page, cost = queries_for(reader, HOME)

    assert "Log in" not in page.text and "Account" in page.text
    assert cost > 0  # the session, at least


def test_pages_opened_by_a_gift_link_are_never_stored(client, politics, member):
    gated = ArticleFactory(section=politics, gated=True, body=f"<p>Teaser.</p><p>{CANARY}</p>")
    gift = GiftLink.objects.issue(member, gated)

    assert CANARY in client.get(gift.get_absolute_url()).text
    again, cost = queries_for(Client(), gift.get_absolute_url())
    assert CANARY in again.text and cost > 0
    assert CANARY not in Client().get(gated.get_absolute_url()).text

    gift.revoked_at = timezone.now()
    gift.save()
    assert CANARY not in Client().get(gift.get_absolute_url()).text


def test_a_cache_outage_never_breaks_the_site(settings, politics, editor):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ReusingRedisCache",
            # Nothing listens here: every cache call fails.
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    # (Changing CACHES makes Django drop its cache connections.)
    article = ArticleFactory(headline="Still published", section=politics)
    article.headline = "Still published, and edited"
    article.save()

    for _ in range(2):
        response = Client().get(HOME)
        assert response.status_code == 200
        assert "Still published, and edited" in response.text
    logged_in = log_in_staff(Client(), editor)
    assert logged_in.get(HOME).status_code == 200


@pytest.fixture
def local_copies(settings, monkeypatch):
    """The processes' own copies of pages on, as in production; counts the
    round trips to the shared cache that page lookups make."""
    settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS = 0.3
    trips = []
    fetch = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: trips.append(keys) or fetch(keys))
    return trips


def test_a_process_serves_its_own_copy_without_asking_the_shared_cache(client, local_copies):
    ArticleFactory(headline="Morning briefing")
    first = client.get(HOME)
    trips = len(local_copies)

    again, cost = queries_for(Client(), HOME)

    assert again.content == first.content
    assert cost == 0 and len(local_copies) == trips


def test_a_change_made_in_this_process_retires_its_own_copies_at_once(
    client, politics, local_copies, editor_client
):
    draft = ArticleFactory(headline="Curfew lifted", section=politics, draft=True)
    assert "Curfew lifted" not in Client().get(HOME).text

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert "Curfew lifted" in Client().get(HOME).text


def test_a_change_made_on_another_host_reaches_this_one_within_the_version_window(
    politics, local_copies, settings
):
    from articles import listings
    from articles.models import Article, Status
    from reading.cache import VERSION_KEY

    ArticleFactory(headline="Older story", section=politics)
    draft = ArticleFactory(headline="Newer story", section=politics, draft=True)
    Client().get(HOME)
    # Another app host publishes: the rows change in the database (the
    # article and its listings) and that host replaces the version in the
    # shared cache; this process is not told.
    Article.objects.filter(pk=draft.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=1)
    )
    listings.relist([draft.pk])
    cache.set(VERSION_KEY, time.time_ns(), None)

    time.sleep(settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS + 0.05)

    assert "Newer story" in Client().get(HOME).text


def form_page(request):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}>")


def plain_page(request):
    from django.http import HttpResponse

    return HttpResponse(f"<p>Rendered at {time.perf_counter_ns()}</p>")


urlpatterns = [
    path("form/", cache_for_readers(form_page)),
    path("plain/", cache_for_readers(plain_page)),
]


@pytest.mark.urls(__name__)
def test_a_page_holding_a_csrf_token_is_never_stored(client):
    first = Client().get("/form/")
    second = Client().get("/form/")

    assert "csrftoken" in first.cookies
    assert first.content != second.content
    # The same view without a token is stored: the token alone kept it out.
    assert Client().get("/plain/").content == Client().get("/plain/").content


@pytest.mark.urls(__name__)
def test_where_a_reader_came_from_is_not_another_page(client):
    page = Client().get("/plain/").content

    assert Client().get("/plain/?utm_source=telegram&fbclid=abc").content == page
    assert Client().get("/plain/?page=2").content != page


@pytest.fixture
def kept_when_asked_again(settings):
    """As production has it: a page is kept from the second time it is asked for."""
    settings.NEWSROOM_PAGE_CACHE_MIN_USES = 2


def kept_page(url):
    from reading.cache import page_key

    return cache.get(page_key(RequestFactory().get(url)))


@pytest.mark.urls(__name__)
def test_a_page_asked_for_once_is_not_kept_and_one_asked_for_again_is(kept_when_asked_again):
    first = Client().get("/plain/")
    assert kept_page("/plain/") is None

    second = Client().get("/plain/")
    third = Client().get("/plain/")

    assert second.content != first.content
    assert third.content == second.content
    assert kept_page("/plain/") is not None


@pytest.mark.urls(__name__)
def test_made_up_parameters_fill_the_cache_with_nothing(kept_when_asked_again):
    """Someone asking for one page under a thousand made-up addresses gets
    it rendered each time, as before, but leaves no page behind to push the
    pages readers ask for out of the cache."""
    pages = [Client().get(f"/plain/?nocache={n}") for n in range(5)]

    assert all(page.status_code == 200 for page in pages)
    assert all(kept_page(f"/plain/?nocache={n}") is None for n in range(5))


@pytest.mark.urls(__name__)
def test_a_page_asked_for_once_is_still_sent_compressed(kept_when_asked_again):
    import brotli

    page = Client(headers={"Accept-Encoding": "br"}).get("/plain/")

    assert page["Content-Encoding"] == "br"
    assert brotli.decompress(page.content).startswith(b"<p>Rendered at")
    assert kept_page("/plain/") is None


def test_a_new_release_never_serves_pages_or_fragments_of_the_last(settings, tmp_path):
    """Cache keys carry a digest of the code and templates that render pages:
    after a deployment, what the previous release rendered is never served."""
    import shutil

    from reading import cache as page_cache

    for folder in page_cache.RENDERING_CODE:
        shutil.copytree(
            settings.BASE_DIR / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc")
        )
    settings.BASE_DIR = tmp_path
    before = page_cache._release()
    assert page_cache._release() == before

    lead_story = tmp_path / "templates" / "reading" / "_lead_story.html"
    lead_story.write_text(lead_story.read_text().replace("lead-story__title", "lead-story__name"))

    assert page_cache._release() != before
    assert page_cache.RELEASE in page_cache.VERSION_KEY
    assert page_cache.RELEASE in page_cache.page_key(RequestFactory().get("/"))


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip")],
)
def test_anonymous_pages_are_sent_compressed_once_and_kept_so(client, politics, accept, encoding):
    import gzip

    import brotli

    ArticleFactory(section=politics)
    plain = client.get(HOME)
    assert "Accept-Encoding" in plain["Vary"] and not plain.has_header("Content-Encoding")

    first = Client().get(HOME, headers={"Accept-Encoding": accept})
    second, cost = queries_for(Client(headers={"Accept-Encoding": accept}), HOME)

    decompress = brotli.decompress if encoding == "br" else gzip.decompress
    assert first["Content-Encoding"] == second["Content-Encoding"] == encoding
    assert decompress(second.content) == plain.content
    assert second.content == first.content and cost == 0
    assert second["Content-Length"] == str(len(second.content))
    assert "Accept-Encoding" in second["Vary"]


def test_pages_with_a_session_are_never_compressed_by_the_app(client, politics, member):
    """They hold a CSRF token or a reader's own data: compressing them with
    what a page reflects (a search query) could give a secret away (BREACH)."""
    ArticleFactory(section=politics)
    client.force_login(member)

    page = client.get(HOME, headers={"Accept-Encoding": "gzip, br"})

    assert not page.has_header("Content-Encoding")


@pytest.mark.urls(__name__)
def test_a_cache_that_keeps_nothing_still_serves_every_page(
    kept_when_asked_again, settings, caplog
):
    """As with every cache alias a DummyCache (bench/nocache_settings.py):
    nothing is counted or kept, nothing is taken for an outage."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    pages = [Client().get("/plain/") for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert len({page.content for page in pages}) == 3
    assert "Page cache unavailable" not in caplog.text
