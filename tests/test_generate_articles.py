"""`manage.py generate_articles N` fills an archive for load tests: published
articles readers can browse, search and be gated from, like any others.

Transactional: on PostgreSQL the command stores its batches on connections of
its own, which see committed data only."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, ArticleSection, TaggedArticle
from paywall.access import Access

pytestmark = pytest.mark.django_db(transaction=True)


def generate(count, *args):
    call_command("generate_articles", count, "--batch", "7", *args, stdout=open("/dev/null", "w"))


def test_it_makes_published_articles_with_bylines_sections_and_tags(client):
    generate(30)

    articles = Article.objects.published()
    assert articles.count() == 30
    assert len(set(articles.values_list("slug", flat=True))) == 30
    assert Article.authors.through.objects.count() == 30
    assert TaggedArticle.objects.count() == 60
    assert ArticleSection.objects.exclude(article__in=articles).count() == 0
    newest = articles.order_by("-published_at").first()
    page = client.get(f"/{newest.language}/").text
    assert newest.headline in page
    assert client.get(newest.get_absolute_url()).status_code == 200


def test_its_articles_are_found_by_search_and_gated_like_any_other(client):
    generate(12, "--gated-share", "1")
    article = Article.objects.order_by("pk").first()
    assert article.access == Access.PLUS
    if connection.vendor == "postgresql":
        assert not Article.objects.filter(search_vector_full__isnull=True).exists()
    word = max(article.headline.split(), key=len)

    found = Article.objects.search(word, AnonymousUser())

    assert article in found
    last_paragraph = re.findall(r"<p>(.*?)</p>", article.body)[-1]
    page = client.get(article.get_absolute_url()).text
    assert "The material is available only to POZIRK+" in page
    assert last_paragraph not in page


def test_a_second_run_adds_to_the_first():
    generate(5)
    generate(9)

    assert Article.objects.count() == 14
    assert len(set(Article.objects.values_list("slug", flat=True))) == 14
    # The id sequence moved past the generated articles: the next save works.
    article = Article.objects.first()
    article.pk = None
    article.slug = ""
    article.save()
    assert Article.objects.count() == 15


@pytest.mark.parametrize("arguments", [["0"], ["5", "--batch", "0"], ["5", "--gated-share", "2"]])
def test_nonsense_is_refused_with_a_message(arguments):
    with pytest.raises(CommandError):
        call_command("generate_articles", *arguments)
    assert Article.objects.count() == 0
