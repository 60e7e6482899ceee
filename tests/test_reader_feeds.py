"""A reader browses the public headline feeds: home, sections, tags, authors."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, image_bytes

pytestmark = pytest.mark.django_db

PLUS_LINE = "The material is available only to POZIRK+"


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics", position=1)


@pytest.fixture
def security():
    return SectionFactory(name="Security", slug="security", position=2)


def test_home_lists_published_articles_newest_first(client, politics):
    now = timezone.now()
    ArticleFactory(headline="Oldest story", section=politics, published_at=now - timedelta(days=2))
    ArticleFactory(headline="Newest story", section=politics, published_at=now - timedelta(hours=1))
    ArticleFactory(headline="Middle story", section=politics, published_at=now - timedelta(days=1))

    html = client.get(reverse("articles:home")).content.decode()

    assert html.index("Newest story") < html.index("Middle story") < html.index("Oldest story")


def test_home_never_lists_drafts_or_scheduled_articles(client, politics):
    ArticleFactory(headline="Live story", section=politics)
    ArticleFactory(headline="Unfinished draft", section=politics, draft=True)
    ArticleFactory(headline="Embargoed until tomorrow", section=politics, scheduled=True)

    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    assert "Live story" in response.text
    assert "Unfinished draft" not in response.text
    assert "Embargoed until tomorrow" not in response.text


def test_each_headline_shows_its_sections_and_the_pozirk_marker(client, politics, security):
    ArticleFactory(
        headline="Balloons over the border", section=politics, also_in=[security], gated=True
    )
    ArticleFactory(headline="A free market report", section=security)

    html = client.get(reverse("articles:home")).content.decode()

    gated_item = html[
        html.index("Balloons over the border") - 600 : html.index("Balloons over the border") + 600
    ]
    assert ">Politics</a>, <a" in gated_item and ">Security</a>" in gated_item
    assert PLUS_LINE in gated_item
    free_item = html[html.index("A free market report") :][:400]
    assert PLUS_LINE not in free_item
    assert html.count(PLUS_LINE) == 1


def test_home_leads_with_the_newest_story_and_its_image(client, politics):
    lead = ArticleFactory(headline="The lead story", section=politics, dek="Why it matters today.")
    lead.lead_image.save("lead.jpg", ContentFile(image_bytes(120, 80)))
    lead.lead_image_alt = "A navy rectangle"
    lead.save()
    ArticleFactory(
        headline="An older story", section=politics, published_at=timezone.now() - timedelta(days=1)
    )

    html = client.get(reverse("articles:home")).content.decode()

    lead_block = html[html.index('class="lead-story"') :].split("</article>")[0]
    assert "The lead story" in lead_block
    assert "Why it matters today." in lead_block
    assert 'width="120" height="80"' in lead_block
    assert "An older story" not in lead_block


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(client, politics, monkeypatch):
    article = ArticleFactory(
        headline="Budget vote results",
        section=politics,
        published_at=timezone.now() + timedelta(hours=2),
    )
    assert "Budget vote results" not in client.get(reverse("articles:home")).text
    assert client.get(article.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Budget vote results" in client.get(reverse("articles:home")).text
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Budget vote results" in client.get(politics.get_absolute_url()).text


def test_section_page_lists_articles_primary_and_also_in(client, politics, security):
    ArticleFactory(headline="Primary in security", section=security)
    ArticleFactory(headline="Also in security", section=politics, also_in=[security])
    ArticleFactory(headline="Only politics", section=politics)
    ArticleFactory(headline="Security draft", section=security, draft=True)

    response = client.get(security.get_absolute_url())

    assert response.status_code == 200
    assert "<h1" in response.text and "Security</h1>" in response.text
    assert "Primary in security" in response.text
    assert "Also in security" in response.text
    assert "Only politics" not in response.text
    assert "Security draft" not in response.text


def test_inactive_and_unknown_sections_are_not_found(client):
    hidden = SectionFactory(name="Archive", slug="archive", is_active=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/en/no-such-section/").status_code == 404


def test_tag_page_lists_tagged_published_articles(client, politics):
    ArticleFactory(headline="Tagged and live", section=politics, tags=["Sanctions"])
    ArticleFactory(headline="Tagged but draft", section=politics, tags=["Sanctions"], draft=True)
    ArticleFactory(headline="Not tagged", section=politics)

    response = client.get(reverse("articles:tag-feed", kwargs={"slug": "sanctions"}))

    assert response.status_code == 200
    assert "Tagged and live" in response.text
    assert "Tagged but draft" not in response.text
    assert "Not tagged" not in response.text


def test_cyrillic_tags_get_latin_addresses(client, politics):
    article = ArticleFactory(section=politics, tags=["Лукашэнка"])
    tag = article.tags.get()

    assert tag.slug == "lukashenka"
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "Лукашэнка" in response.text


def test_unknown_tags_and_tags_only_on_drafts_are_not_found(client, politics):
    ArticleFactory(section=politics, tags=["Leaked plans"], draft=True)

    assert (
        client.get(reverse("articles:tag-feed", kwargs={"slug": "leaked-plans"})).status_code == 404
    )
    assert client.get(reverse("articles:tag-feed", kwargs={"slug": "nothing"})).status_code == 404


def test_author_page_shows_bio_and_their_articles(client, politics):
    author = AuthorFactory(name="Hanna Reporter", bio="Covers courts and prisons.")
    ArticleFactory(headline="Her court report", section=politics, authors=[author])
    ArticleFactory(headline="Someone else's story", section=politics)

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "Covers courts and prisons." in response.text
    assert "Her court report" in response.text
    assert "Someone else&#x27;s story" not in response.text
    assert client.get(reverse("articles:author-feed", kwargs={"slug": "nobody"})).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "1.5", ""])
def test_bad_page_numbers_are_not_found_never_an_error(client, politics, page):
    ArticleFactory.create_batch(3, section=politics)
    for url in [reverse("articles:home"), politics.get_absolute_url()]:
        response = client.get(url, {"page": page})
        assert response.status_code in (200, 404), url
        if page != "":
            assert response.status_code == 404
            assert "This page does not exist" in response.text


def test_feeds_are_paginated(client, politics, settings):
    ArticleFactory.create_batch(25, section=politics)

    first = client.get(reverse("articles:home"))
    second = client.get(reverse("articles:home"), {"page": 2})
    beyond = client.get(reverse("articles:home"), {"page": 3})

    assert 'rel="next" href="?page=2"' in first.text
    assert second.status_code == 200
    assert len(second.context["articles"]) == 5
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert "Page 2</span>" in second.text
    assert beyond.status_code == 404


def test_every_page_has_the_section_navigation_in_order(client):
    SectionFactory(name="Society", slug="society", position=3)
    SectionFactory(name="Economy", slug="economy", position=1)
    SectionFactory(name="Hidden", slug="hidden", position=2, is_active=False)

    html = client.get(reverse("articles:home")).content.decode()
    nav = html[html.index('aria-label="Sections"') :][:600]

    assert nav.index("Economy") < nav.index("Society")
    assert "Hidden" not in nav


def test_pages_load_nothing_from_other_hosts(client, politics):
    article = ArticleFactory(section=politics)
    for url in [reverse("articles:home"), politics.get_absolute_url(), article.get_absolute_url()]:
        html = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
            assert attribute not in html, (url, attribute)
        assert '<link rel="stylesheet" href="/static/' in html


def test_browsers_are_told_to_load_nothing_from_elsewhere(client, politics):
    policy = client.get(reverse("articles:home"))["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_headlines_are_dated_as_a_newsroom_would(client, politics, monkeypatch):
    from datetime import datetime

    now = timezone.make_aware(datetime(2026, 11, 25, 18, 0))
    monkeypatch.setattr(timezone, "now", lambda: now)
    ArticleFactory(headline="Today", section=politics, published_at=now - timedelta(hours=2))
    ArticleFactory(headline="This year", section=politics, published_at=now - timedelta(days=30))
    ArticleFactory(headline="Last year", section=politics, published_at=now - timedelta(days=400))

    html = client.get(reverse("articles:home"), {"page": 1}).content.decode()

    assert ">Today, 16:00</time>" in html
    assert ">October 26, 18:00</time>" in html
    assert ">October 21, 2025</time>" in html
