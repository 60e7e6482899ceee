"""`manage.py seed_demo` builds a browsable demo, twice without harm, and
never on a production-like setup by accident."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.models import Access, Article, ArticleSection, Author, Section, Status, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot():
    """Everything a second run must leave as it is."""
    return {
        "sections": Section.objects.count(),
        "authors": Author.objects.count(),
        "tags": Tag.objects.count(),
        "also_in": ArticleSection.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "articles": sorted(
            Article.objects.values_list("slug", "published_at", "lead_image", "status")
        ),
    }


def test_seeds_a_browsable_newsroom(settings, media_root, client):
    settings.DEBUG = True
    output = seed()

    assert Section.objects.count() >= 4
    assert Author.objects.count() >= 4
    assert Tag.objects.exists()
    articles = Article.objects.all()
    assert articles.count() >= 40
    assert {Access.FREE, Access.PLUS} <= set(articles.values_list("access", flat=True))
    assert len(set(articles.values_list("language", flat=True))) >= 3
    assert articles.filter(status=Status.DRAFT).count() == 1
    scheduled = articles.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
    assert scheduled.count() == 1
    assert articles.filter(authors__isnull=True).exists(), "some agency stories have no byline"

    illustrated = articles.exclude(lead_image="")
    assert illustrated.count() >= 10
    for article in illustrated:
        assert (Path(media_root) / article.lead_image.name).is_file()
        assert article.lead_image_alt and article.lead_image_width == 1200
    assert Article.objects.published().first().lead_image, "the home page leads with an image"

    assert "editor@example.org" in output and "editor-demo-pass" in output
    assert client.get("/").status_code == 200
    logged_in = client.post(
        "/admin/login/", {"username": "editor@example.org", "password": "editor-demo-pass"}
    )
    assert logged_in.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_second_run_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = snapshot()

    # DEBUG off this time: --force is what lets it through.
    settings.DEBUG = False
    output = seed(force=True)

    assert snapshot() == before
    assert "created 0" in output
    assert "reader@example.org" in output and "reader-demo-pass" in output


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()
