"""An editor reads a piece as readers will before it goes live, and shares
it with a lawyer who has no account through a signed link that runs out."""

import re
import time
from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from paywall.models import GiftLink
from reading.preview import SALT, sign_link
from tests.factories import ArticleFactory, SectionFactory, make_subscriber
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

GATE = '<aside class="gate story__paywalled"'
SHARED_LINK = re.compile(r'value="(http://testserver/preview/[^"]+/)subscriber/"')


@pytest.fixture
def investigation():
    """A POZIRK+ draft whose second paragraph is past the teaser."""
    return ArticleFactory(
        draft=True,
        gated=True,
        headline="The minister's offshore accounts",
        body="<p>The teaser everyone may read.</p><p>The evidence only members read.</p>",
        section=SectionFactory(name="Politics", slug="politics"),
    )


def admin_preview(article, view="preview"):
    return reverse(f"admin:articles_article_{view}", args=[article.pk])


def share(editor_client, article, days=3):
    """The editor asks for a link; the page shows it ready to copy. Returns
    the link's free-reader address (the subscriber one adds subscriber/)."""
    response = editor_client.post(admin_preview(article, "preview_link"), {"days": days})
    assert response.status_code == 200
    return SHARED_LINK.search(response.text).group(1)


def path_of(url):
    return url.removeprefix("http://testserver")


def test_an_editor_previews_a_gated_draft_as_a_free_reader(editor_client, investigation):
    response = editor_client.get(admin_preview(investigation))

    assert response.status_code == 200
    html = response.text
    assert "Preview — not published" in html
    assert "Status: <strong>Draft</strong>" in html
    assert "as a free reader</strong>" in html
    assert "The minister&#x27;s offshore accounts</h1>" in html
    assert "The teaser everyone may read." in html
    assert GATE in html
    assert "The evidence only members read." not in html
    # The page is a visitor's, not the editor's: the gate offers to log in.
    assert ">Log in</a>" in html
    assert f'href="{admin_preview(investigation)}" aria-current="page"' in html
    assert "Only editors signed in to the newsroom can open this page." in html


def test_an_editor_previews_the_same_draft_as_a_subscriber(editor_client, investigation):
    response = editor_client.get(admin_preview(investigation, "preview_subscriber"))

    html = response.text
    assert response.status_code == 200
    assert "as a POZIRK+ subscriber</strong>" in html
    assert "The teaser everyone may read." in html
    assert "The evidence only members read." in html
    assert GATE not in html
    assert f'href="{admin_preview(investigation, "preview_subscriber")}" aria-current' in html
    assert f'href="{admin_preview(investigation)}">As a free reader</a>' in html


def test_a_draft_is_dated_as_if_it_went_live_now(editor_client, investigation):
    html = editor_client.get(admin_preview(investigation)).text

    today = timezone.localdate()
    assert f'<time datetime="{today:%Y-%m-%d}">' in html
    assert "Dates show the moment of publishing as if it were now." in html
    investigation.refresh_from_db()
    assert investigation.published_at is None


def test_a_scheduled_piece_shows_when_it_goes_live(editor_client):
    goes_live = timezone.make_aware(datetime(timezone.now().year + 1, 3, 8, 9, 0))
    article = ArticleFactory(headline="Women's day march", published_at=goes_live)
    assert article.is_scheduled

    html = editor_client.get(admin_preview(article)).text

    assert "Status: <strong>Scheduled for <time" in html
    assert f"March 8, {goes_live.year}, 09:00</time>" in html
    assert f'<time datetime="{goes_live:%Y}-03-08">March 8</time>, BPN.' in html
    assert "Dates show the moment" not in html


def test_a_piece_in_review_says_so(editor_client):
    article = ArticleFactory(draft=True, status="review")

    assert "Status: <strong>In review</strong>" in editor_client.get(admin_preview(article)).text


def test_a_lawyer_without_an_account_reads_the_draft_through_a_shared_link(
    editor_client, investigation
):
    link = share(editor_client, investigation, days=7)
    lawyer = Client()

    full = lawyer.get(path_of(link) + "subscriber/")
    free = lawyer.get(path_of(link))

    assert full.status_code == 200 and free.status_code == 200
    assert "The evidence only members read." in full.text
    assert GATE not in full.text
    assert "The evidence only members read." not in free.text
    assert GATE in free.text
    expires = timezone.localtime(timezone.now() + timedelta(days=7))
    assert f'This preview link works until <time datetime="{expires:%Y-%m-%d}' in full.text
    # The switch between the views stays on the shared link.
    assert f'href="{path_of(link)}">As a free reader</a>' in full.text
    entry = LogEntry.objects.get(object_id=str(investigation.pk))
    assert "Shared a preview link valid until" in entry.get_change_message()


def test_the_share_page_offers_three_days_unless_told_otherwise(editor_client, investigation):
    response = editor_client.get(admin_preview(investigation, "preview_link"))

    assert response.status_code == 200
    assert '<option value="3" selected>3 days</option>' in response.text
    assert 'value="http://testserver/preview/' not in response.text


def test_a_link_longer_than_the_longest_choice_is_refused(editor_client, investigation):
    response = editor_client.post(admin_preview(investigation, "preview_link"), {"days": 365})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not SHARED_LINK.search(response.text)


def test_a_shared_link_follows_every_edit_and_is_never_served_from_a_cache(
    editor_client, investigation
):
    link = path_of(share(editor_client, investigation))
    lawyer = Client()
    assert "offshore accounts" in lawyer.get(link).text

    # A bulk update sends no signal, so no cached page would be retired.
    Article.objects.filter(pk=investigation.pk).update(headline="The minister's hidden trusts")

    assert "The minister&#x27;s hidden trusts</h1>" in lawyer.get(link).text


def test_preview_pages_are_private_and_unlisted(editor_client, investigation):
    link = path_of(share(editor_client, investigation))

    for response in (Client().get(link), editor_client.get(admin_preview(investigation))):
        assert '<meta name="robots" content="noindex">' in response.text
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        control = response["Cache-Control"]
        assert "private" in control and "no-store" in control


def test_an_expired_link_is_page_not_found(editor_client, investigation):
    token = sign_link(investigation, timezone.now() - timedelta(minutes=1))

    assert Client().get(reverse("preview:subscriber", args=[token])).status_code == 404


def test_a_link_signed_more_than_thirty_days_ago_is_dead_whatever_it_claims(investigation):
    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)

    claims = {"a": investigation.pk, "x": int(time.time()) + 3600}
    token = SignedLongAgo(salt=SALT).sign_object(claims)

    assert Client().get(reverse("preview:reader", args=[token])).status_code == 404


@pytest.mark.parametrize("position", [0, 5, -1])
def test_a_link_with_one_character_changed_is_page_not_found(
    editor_client, investigation, position
):
    link = path_of(share(editor_client, investigation))
    token = link.removeprefix("/preview/").removesuffix("/")
    changed = "A" if token[position] != "A" else "B"
    tampered = token[:position] + changed + (token[position + 1 :] if position != -1 else "")
    assert tampered != token and len(tampered) == len(token)

    assert Client().get(f"/preview/{tampered}/subscriber/").status_code == 404


def test_tokens_made_for_anything_else_do_not_open_a_preview(investigation):
    published = ArticleFactory(gated=True)
    gift = GiftLink.objects.issue(make_subscriber(), published)
    in_an_hour = int(time.time()) + 3600
    foreign = [
        gift.key,
        signing.dumps({"a": investigation.pk, "x": in_an_hour}),
        signing.TimestampSigner(salt="paywall.other").sign_object(
            {"a": investigation.pk, "x": in_an_hour}
        ),
        signing.TimestampSigner(salt=SALT).sign_object([investigation.pk, in_an_hour]),
        "forged-token",
        "x" * 5000,
    ]

    for token in foreign:
        for name in ("preview:reader", "preview:subscriber"):
            assert Client().get(reverse(name, args=[token])).status_code == 404, token


def test_once_published_the_link_leads_to_the_public_page_and_its_paywall(
    editor_client, investigation
):
    link = path_of(share(editor_client, investigation))
    investigation.status = "published"
    investigation.save()

    response = Client().get(link + "subscriber/")

    assert response.status_code == 302
    assert response["Location"] == investigation.get_absolute_url()
    public = Client().get(response["Location"])
    assert GATE in public.text
    assert "The evidence only members read." not in public.text


def test_the_link_to_a_deleted_article_is_page_not_found(editor_client):
    article = ArticleFactory(headline="Withdrawn after legal advice")
    link = path_of(share(editor_client, article))
    assert Client().get(link).status_code == 302

    article.delete()

    assert Client().get(link).status_code == 404
    assert Client().get(link + "subscriber/").status_code == 404


def test_staff_who_may_not_change_the_article_can_neither_preview_nor_share(
    django_user_model, investigation
):
    viewer = django_user_model.objects.create_user(
        email="intern@newsroom.test", password="x", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    # Their own draft: they see it in the admin, but may not change it.
    Article.objects.filter(pk=investigation.pk).update(created_by=viewer)
    intern = log_in_staff(Client(), viewer)

    assert intern.post(admin_preview(investigation, "preview_link"), {"days": 3}).status_code == 403
    assert intern.get(admin_preview(investigation, "preview_link")).status_code == 403
    assert intern.get(admin_preview(investigation)).status_code == 403
    assert intern.get(admin_preview(investigation, "preview_subscriber")).status_code == 403
    change_page = intern.get(reverse("admin:articles_article_change", args=[investigation.pk]))
    assert change_page.status_code == 200
    assert "Share preview link" not in change_page.text
    assert not LogEntry.objects.exists()


def test_readers_and_visitors_are_sent_to_log_in(reader, investigation):
    subscriber = Client()
    subscriber.force_login(make_subscriber())

    for client in (Client(), subscriber):
        response = client.get(admin_preview(investigation, "preview_subscriber"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_an_unknown_article_is_page_not_found_for_an_editor(editor_client):
    assert editor_client.get("/admin/articles/article/999999/preview/").status_code == 404
    assert editor_client.get("/admin/articles/article/nonsense/preview/share/").status_code == 404


def test_the_article_page_in_the_admin_offers_the_preview_tools(editor_client, investigation):
    html = editor_client.get(reverse("admin:articles_article_change", args=[investigation.pk])).text

    assert f'<li><a href="{admin_preview(investigation)}">Preview as reader</a></li>' in html
    assert "Preview as subscriber</a></li>" in html
    assert "Share preview link</a></li>" in html
    add_page = editor_client.get(reverse("admin:articles_article_add")).text
    assert "Preview as reader" not in add_page
