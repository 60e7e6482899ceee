"""`manage.py seed_demo` builds a browsable demo, twice without harm, and
never on a production-like setup by accident."""

import io
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSection, Author, Section, Status, Tag
from demo.management.commands.demo_code import demo_app_secret
from paywall.access import Access
from paywall.models import Plan, Subscription

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
        "plans": sorted(Plan.objects.values_list("name", "duration_days")),
        "subscriptions": sorted(
            Subscription.objects.values_list("user__email", "plan__name", "starts_at", "ends_at")
        ),
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
    assert client.get("/", follow=True).status_code == 200
    # The lead story in three languages, linked; sections named in each.
    lead = Article.objects.published().order_by("-published_at").first()
    assert sorted(t.language for t in lead.translations()) == ["be", "ru"]
    assert client.get("/be/").text.count("Эканоміка") and "Экономика" in client.get("/ru/").text
    logged_in = client.post(
        "/admin/login/", {"username": "editor@example.org", "password": "editor-demo-pass"}
    )
    assert logged_in.status_code == 302
    # The second step, with the code the printed key gives (demo_code prints it too).
    assert demo_app_secret() in output
    second_step = client.get("/admin/articles/article/")
    assert second_step["Location"].startswith(reverse("security:verify"))
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    assert code.getvalue().strip() == pyotp.TOTP(demo_app_secret()).now()
    client.post(second_step["Location"], {"code": code.getvalue().strip()})
    assert client.get("/admin/articles/article/").status_code == 200


def test_the_demo_subscriber_logs_in_on_the_reader_site_and_reads_pozirk(settings, client):
    settings.DEBUG = True
    output = seed()

    assert "subscriber@example.org" in output and "subscriber-demo-pass" in output
    assert sorted(Plan.objects.values_list("name", "duration_days")) == [
        ("POZIRK+ monthly", 30),
        ("POZIRK+ yearly", 365),
    ]
    subscriber = get_user_model().objects.get(email="subscriber@example.org")
    assert subscriber.is_active and not subscriber.is_staff
    subscription = Subscription.objects.current().get(user=subscriber)
    assert subscription.plan.name == "POZIRK+ monthly"
    now = timezone.now()
    assert subscription.starts_at < now - timedelta(days=2)
    assert now + timedelta(days=26) < subscription.ends_at < now + timedelta(days=28)
    for account in get_user_model().objects.filter(email__endswith="@example.org"):
        assert account.is_active and account.email_confirmed_at is not None, account.email

    logged_in = client.post(
        reverse("paywall:login"),
        {"username": "subscriber@example.org", "password": "subscriber-demo-pass"},
    )
    assert logged_in.status_code == 302
    gated = Article.objects.published().filter(access=Access.PLUS).first()
    page = client.get(gated.get_absolute_url())
    assert page.status_code == 200
    assert page.context["article"].is_unlocked


def test_a_later_run_renews_the_demo_subscription_and_confirms_accounts(settings):
    settings.DEBUG = True
    seed()
    users = get_user_model().objects
    subscriber = users.get(email="subscriber@example.org")
    long_ago = timezone.now() - timedelta(days=60)
    Subscription.objects.filter(user=subscriber).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(days=30)
    )
    assert not Subscription.objects.current().filter(user=subscriber).exists()
    # As left by an earlier seed_demo, or by a sign-up never confirmed.
    users.filter(email="reader@example.org").update(email_confirmed_at=None, is_active=False)

    output = seed()

    renewal = Subscription.objects.current().get(user=subscriber)
    assert renewal.ends_at - renewal.starts_at == timedelta(days=30)
    assert Subscription.objects.filter(user=subscriber).count() == 2
    assert "created 1" in output
    reader = users.get(email="reader@example.org")
    assert reader.is_active and reader.email_confirmed_at is not None
    seed()
    assert Subscription.objects.filter(user=subscriber).count() == 2


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
    assert Subscription.objects.count() == 1


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()
