"""Every headline feed pages through its listings (articles/listings.py):
whatever editors do to an article, its sections, tags and bylines, each feed
lists exactly the live articles it should, newest first."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSection, Listing, Status
from paywall.access import Access
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    politics = SectionFactory(name="Politics", slug="politics")
    economy = SectionFactory(name="Economy", slug="economy")
    anna, ihar = AuthorFactory(name="Anna"), AuthorFactory(name="Ihar")
    articles = [
        ArticleFactory(
            section=politics if i % 2 else economy,
            also_in=[economy] if i % 3 == 0 else [],
            authors=[anna] if i % 2 else [anna, ihar],
            tags=["Sanctions"] if i % 2 else ["Sanctions", "Potash"],
            gated=i % 4 == 0,
            published_at=timezone.now() - timedelta(hours=i + 1),
        )
        for i in range(8)
    ]
    return {"sections": [politics, economy], "authors": [anna, ihar], "articles": articles}


def listed(feed):
    return list(Article.objects.published().listed_in(feed)[:100])


def expected_feeds(desk):
    """Each feed and what it should list, by the articles' own fields."""
    from articles.models import Tag

    live = Article.objects.published().order_by("-published_at", "-pk")
    feeds = {Listing.HOME: list(live), Listing.PLUS: list(live.filter(access=Access.PLUS))}
    for section in desk["sections"]:
        feeds[Listing.of_section(section)] = list(live.in_section(section))
    for author in desk["authors"]:
        feeds[Listing.of_author(author)] = list(live.by_author(author))
    for tag in Tag.objects.all():
        feeds[Listing.of_tag(tag)] = list(live.tagged(tag))
    return feeds


def assert_every_feed_lists_what_it_should(desk):
    for feed, articles in expected_feeds(desk).items():
        assert listed(feed) == articles, feed


def test_published_articles_are_listed_in_each_of_their_feeds(desk):
    assert_every_feed_lists_what_it_should(desk)
    assert Listing.objects.filter(article=desk["articles"][0]).count() == 7


def test_whatever_editors_change_every_feed_follows(desk):
    politics, economy = desk["sections"]
    anna, ihar = desk["authors"]
    first, second, third, fourth = desk["articles"][:4]

    first.status = Status.UNPUBLISHED
    first.save()
    second.section = economy
    second.access = Access.PLUS
    second.save()
    third.sections.add(politics)
    ArticleSection.objects.filter(article=fourth).delete()
    fourth.tags.set(["Border"])
    fourth.authors.set([ihar])
    anna.articles.remove(third)
    desk["articles"][5].published_at = timezone.now() + timedelta(days=1)
    desk["articles"][5].save()
    desk["articles"][6].delete()

    assert_every_feed_lists_what_it_should(desk)


def test_a_deleted_author_or_tag_leaves_no_listings(desk):
    from articles.models import Tag

    anna = desk["authors"][0]
    potash = Tag.objects.get(name="Potash")
    anna_feed, potash_feed = Listing.of_author(anna), Listing.of_tag(potash)
    anna.delete()
    potash.delete()
    desk["authors"].remove(anna)

    assert not Listing.objects.filter(feed__in=[anna_feed, potash_feed]).exists()
    assert_every_feed_lists_what_it_should(desk)


def test_the_admin_keeps_the_listings_of_what_it_saves(desk, editor_client):
    politics, economy = desk["sections"]
    article = desk["articles"][1]
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302

    assert article not in listed(Listing.of_section(politics))
    assert_every_feed_lists_what_it_should(desk)


def test_rebuild_listings_mends_listings_changed_around_the_model(desk, capsys):
    Article.objects.filter(pk=desk["articles"][2].pk).update(status=Status.DRAFT)
    Listing.objects.filter(feed=Listing.HOME).delete()

    call_command("rebuild_listings")

    assert "listings written" in capsys.readouterr().out
    assert_every_feed_lists_what_it_should(desk)


def test_a_listing_that_lags_never_shows_an_article_that_is_not_live(desk, client):
    """Rows changed around the model leave the listings behind: the feeds
    still ask every article whether it is live."""
    article = desk["articles"][0]
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)

    assert article.headline not in client.get(reverse("articles:home")).text
    assert article not in listed(Listing.HOME)
