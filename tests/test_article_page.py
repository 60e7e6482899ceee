"""A reader opens one article: dateline, byline, body, labels and more headlines."""

from datetime import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

PLUS_LINE = "The material is available only to POZIRK+"


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def economy():
    return SectionFactory(name="Economy", slug="economy")


def test_article_page_reads_like_a_news_story(client, politics, economy):
    anna = AuthorFactory(name="Anna Kovalenko")
    ihar = AuthorFactory(name="Ihar Mackievič")
    published = timezone.make_aware(datetime(2026, 2, 24, 10, 30))
    article = ArticleFactory(
        headline="Cabinet in exile condemns the invasion",
        dek="A statement on the anniversary.",
        body="<p>The cabinet issued a statement.</p><h2>Reactions</h2><p>Allies welcomed it.</p>",
        section=politics,
        also_in=[economy],
        authors=[anna, ihar],
        tags=["Ukraine", "Opposition"],
        published_at=published,
        dateline_source="BPN",
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Cabinet in exile condemns the invasion</h1>" in html
    assert "A statement on the anniversary." in html
    assert '<time datetime="2026-02-24">February 24</time>, BPN.' in html
    assert "Anna Kovalenko</a> and <a" in html and "Ihar Mackievič</a>" in html
    assert "<h2>Reactions</h2>" in html and "Allies welcomed it." in html
    assert 'href="/en/politics/">Politics</a>, <a href="/en/economy/">Economy</a>' in html
    assert 'href="/en/tag/ukraine/" rel="tag">Ukraine</a>' in html
    assert '<article class="story" lang="en">' in html
    assert PLUS_LINE not in html


def test_an_agency_story_has_a_dateline_and_no_byline(client, politics):
    article = ArticleFactory(section=politics, dateline_source="BPN")

    html = client.get(article.get_absolute_url()).text

    assert "story__byline" not in html
    assert ", BPN.</p>" in html


def test_more_headlines_lists_other_published_articles(client, politics):
    article = ArticleFactory(headline="The story being read", section=politics)
    ArticleFactory(headline="Another gated story", section=politics, gated=True)
    ArticleFactory(headline="A draft nobody should see", section=politics, draft=True)

    html = client.get(article.get_absolute_url()).text
    more = html[html.index("More headlines") :]

    assert "Another gated story" in more
    assert PLUS_LINE in more
    assert "The story being read" not in more
    assert "A draft nobody should see" not in more


def test_a_pozirk_article_shows_its_teaser_and_the_marker_not_its_body(client, politics):
    article = ArticleFactory(
        section=politics,
        gated=True,
        body="<p>The teaser paragraph everyone may read.</p><p>GATED-CANARY the rest.</p>",
    )

    html = client.get(article.get_absolute_url()).text

    assert "The teaser paragraph everyone may read." in html
    assert PLUS_LINE in html
    assert "GATED-CANARY" not in html


def test_editorial_staff_read_pozirk_articles_in_full(editor_client, politics):
    article = ArticleFactory(
        section=politics, gated=True, body="<p>Teaser.</p><p>GATED-CANARY the rest.</p>"
    )

    assert "GATED-CANARY" in editor_client.get(article.get_absolute_url()).text


def test_a_reader_without_a_subscription_gets_the_gate(client, reader, politics):
    article = ArticleFactory(section=politics, gated=True, body="<p>T.</p><p>GATED-CANARY</p>")
    client.force_login(reader)

    assert "GATED-CANARY" not in client.get(article.get_absolute_url()).text


def test_drafts_and_scheduled_articles_are_not_found(client, editor_client, politics):
    draft = ArticleFactory(section=politics, draft=True, slug="secret-draft")
    scheduled = ArticleFactory(section=politics, scheduled=True)

    assert client.get("/en/politics/secret-draft/").status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    # Staff preview drafts in the admin, not on the public URL.
    assert editor_client.get("/en/politics/secret-draft/").status_code == 404
    assert draft.pk


def test_unknown_articles_get_the_custom_not_found_page(client, politics):
    response = client.get("/en/politics/no-such-article/")

    assert response.status_code == 404
    assert "This page does not exist" in response.text
    assert "Traceback" not in response.text


def test_an_article_under_the_wrong_section_redirects_to_its_address(client, politics, economy):
    article = ArticleFactory(section=politics)

    response = client.get(f"/en/economy/{article.slug}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_the_body_is_marked_with_its_language(client, politics):
    article = ArticleFactory(section=politics, language="be", headline="Навіны з Менску")

    assert '<article class="story" lang="be">' in client.get(article.get_absolute_url()).text


def test_the_server_error_page_is_plain_and_friendly(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"Traceback" not in response.content
