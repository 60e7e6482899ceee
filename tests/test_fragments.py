"""Pieces of pages rendered once and shared by every reader (reading/cache.py):
headlines, the lead story, "More headlines", and an article's own parts in
each version a reader can be shown. Subscribers' pages are never cached
whole, but are built from these."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, SectionFactory, make_subscriber
from tests.second_factor import log_in_user

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
CANARY = "CANARY only members may read"


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def gated(politics):
    return ArticleFactory(
        headline="Inside the potash deal",
        section=politics,
        gated=True,
        body=f"<p>What everyone may read.</p><p>{CANARY}</p>",
    )


def logged_in(user):
    return log_in_user(Client(), user)


def test_the_story_kept_for_members_is_shown_to_no_one_else(gated, reader, editor):
    member = logged_in(make_subscriber())
    assert CANARY in member.get(gated.get_absolute_url()).text  # the full story, now kept

    as_reader = logged_in(reader).get(gated.get_absolute_url()).text
    as_visitor = Client().get(gated.get_absolute_url()).text
    as_editor = logged_in(editor).get(gated.get_absolute_url()).text

    for page in (as_reader, as_visitor):
        assert CANARY not in page
        assert "What everyone may read." in page
        assert "The material is available only to POZIRK+" in page
    # Each gate as its reader needs it: only the visitor is offered to log in.
    assert "Log in</a>" in as_visitor.split('id="gate-title"')[1]
    assert "Log in</a>" not in as_reader.split('id="gate-title"')[1]
    assert CANARY in as_editor


def test_the_gate_kept_for_visitors_never_hides_the_story_from_a_member(gated):
    assert CANARY not in Client().get(gated.get_absolute_url()).text

    assert CANARY in logged_in(make_subscriber()).get(gated.get_absolute_url()).text


def test_a_members_article_page_is_built_from_kept_parts(gated):
    """After the first view, a member's article page costs the session and
    the user with their subscription (one query: paywall.backends): the
    article, its story, head tags and "More headlines" are kept for the
    content version; only the page around them is rendered."""
    ArticleFactory.create_batch(5, section=gated.section)
    member = logged_in(make_subscriber())
    member.get(gated.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        page = member.get(gated.get_absolute_url())

    assert CANARY in page.text
    assert "private" in page["Cache-Control"]
    assert len(queries) <= 2, [query["sql"][:60] for query in queries]


def test_a_renamed_section_reaches_every_headline_at_once(politics):
    ArticleFactory(headline="Talks resume in Vilnius", section=politics)
    member = logged_in(make_subscriber())
    assert ">Politics</a>" in member.get(HOME).text

    politics.name = "Politics and Power"
    politics.save()

    assert ">Politics and Power</a>" in member.get(HOME).text


def test_an_edited_headline_is_new_under_every_article_at_once(politics):
    article = ArticleFactory(headline="Opening story", section=politics)
    neighbour = ArticleFactory(headline="Neighbouring story", section=politics)
    member = logged_in(make_subscriber())
    assert "Neighbouring story" in member.get(article.get_absolute_url()).text

    neighbour.headline = "Neighbouring story, updated"
    neighbour.save()

    assert "Neighbouring story, updated" in member.get(article.get_absolute_url()).text


def test_a_new_story_joins_more_headlines_when_it_is_published(politics, editor_client):
    article = ArticleFactory(headline="Opening story", section=politics)
    member = logged_in(make_subscriber())
    member.get(article.get_absolute_url())
    draft = ArticleFactory(headline="Fresh from the court", section=politics, draft=True)
    assert "Fresh from the court" not in member.get(article.get_absolute_url()).text

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert "Fresh from the court" in member.get(article.get_absolute_url()).text


def test_search_passages_are_never_kept(politics):
    body = "<p>Trucks wait at the border, and the queue grows.</p>"
    ArticleFactory(headline="Border queue grows", section=politics, body=body)

    first = Client().get(reverse("articles:search"), {"q": "border"}).text
    second = Client().get(reverse("articles:search"), {"q": "queue"}).text

    assert "<mark>border,</mark>" in first and "<mark>queue</mark>" in second


def test_a_members_home_page_is_built_from_kept_headlines(politics):
    """After the first view, a member's home page costs the session and the
    user with their subscription: the headlines of the page are kept."""
    ArticleFactory.create_batch(25, section=politics)
    member = logged_in(make_subscriber())
    member.get(HOME)

    with CaptureQueriesContext(connection) as queries:
        page = member.get(HOME)

    assert page.status_code == 200 and 'rel="next"' in page.text
    assert len(queries) <= 2, [query["sql"][:60] for query in queries]


def test_a_member_sees_a_publication_on_the_home_page_at_once(politics, editor_client):
    ArticleFactory(headline="Morning briefing", section=politics)
    member = logged_in(make_subscriber())
    member.get(HOME)
    draft = ArticleFactory(headline="Strike at the potash mine", section=politics, draft=True)

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert "Strike at the potash mine" in member.get(HOME).text


def test_kept_headlines_show_a_scheduled_story_when_it_is_due(politics, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(headline="Already out", section=politics)
    ArticleFactory(
        headline="Embargoed report",
        section=politics,
        published_at=timezone.now() + timedelta(hours=1),
    )
    member = logged_in(make_subscriber())
    assert "Embargoed report" not in member.get(politics.get_absolute_url()).text

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Embargoed report" in member.get(politics.get_absolute_url()).text


def test_kept_headlines_are_dated_for_the_day_they_are_shown(politics, monkeypatch):
    from datetime import datetime, timedelta

    from django.utils import timezone

    evening = timezone.make_aware(datetime(2026, 11, 25, 21, 0))
    monkeypatch.setattr(timezone, "now", lambda: evening)
    ArticleFactory(
        headline="Late session", section=politics, published_at=evening - timedelta(hours=1)
    )
    member = logged_in(make_subscriber())
    assert ">Today, 20:00</time>" in member.get(HOME).text

    monkeypatch.setattr(timezone, "now", lambda: evening + timedelta(hours=12))

    assert ">November 25, 20:00</time>" in member.get(HOME).text


def test_the_masthead_kept_for_visitors_is_never_a_readers_and_links_back_to_each_page(
    politics, reader
):
    """The masthead and footer are kept per content version in each process,
    keyed by what they show: whether the reader is logged in, the address
    ("Log in" and the edition switch lead back to it) and its section."""
    economy = SectionFactory(name="Economy", slug="economy")
    ArticleFactory(section=politics, tags=["Belarus"])
    tag = reverse("articles:tag-feed", kwargs={"slug": "belarus"})
    visitor = Client()
    on_home = visitor.get(HOME).text
    on_tag = visitor.get(tag).text
    on_politics = visitor.get(politics.get_absolute_url()).text
    on_economy = visitor.get(economy.get_absolute_url()).text
    as_reader = logged_in(reader).get(politics.get_absolute_url()).text

    login = reverse("paywall:login")
    assert f'href="{login}">' in on_home and f'href="{login}?next={tag}">' in on_tag
    assert "?next=/en/politics/" in on_politics and "?next=/en/economy/" in on_economy
    assert 'href="/en/politics/" aria-current="page"' in on_politics
    assert 'href="/en/economy/" aria-current="page"' in on_economy
    assert ">Log in</a>" in on_politics and ">Account</a>" not in on_politics
    assert ">Account</a>" in as_reader and ">Log in</a>" not in as_reader


def test_a_new_section_reaches_the_kept_masthead_and_footer_at_once(politics):
    Client().get(HOME)  # masthead and footer kept

    SectionFactory(name="Culture", slug="culture")

    page = Client().get(HOME).text
    assert page.count('href="/en/culture/"') == 2  # the masthead's navigation and the footer's


def test_a_process_renders_a_new_address_from_the_pieces_it_holds(politics, settings):
    """The shared cache emptied (Redis restarted, or its keys evicted): within
    the time a process trusts its content version, a page at an address never
    asked before is put together from the pieces this process kept, with no
    query."""
    settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS = 60
    ArticleFactory(section=politics, headline="Grain trains stop at the border")
    assert "Grain trains stop at the border" in Client().get(HOME).text
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        page = Client().get(f"{HOME}?from=newsletter").text

    assert "Grain trains stop at the border" in page
    assert [q["sql"][:120] for q in queries.captured_queries] == []
