"""Input an attacker chooses is answered with a page, never an error.

Each test here is one finding of the red team's report, kept so it cannot
come back: numbers too large for the database, NUL characters, a truncated
JPEG, the login page's redirect loop. tests/test_url_walk.py looks for the
rest of each class with generated input.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author, Image
from paywall.models import GiftLink
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    article_form,
    image_bytes,
    make_subscriber,
)

pytestmark = pytest.mark.django_db

# The first page number whose offset no longer fits a signed 64-bit integer
# at 20 headlines a page (the red team's 500).
PAST_64_BITS = 2**63 // 20 + 2


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def story(politics):
    author = AuthorFactory(name="Hanna Liubakova", slug="hanna-liubakova")
    return ArticleFactory(section=politics, authors=[author], tags=["Elections"], gated=True)


def member_client():
    client = Client()
    client.force_login(make_subscriber())
    return client


# Numbers too large for the database ---------------------------------------------


@pytest.mark.parametrize("page", [PAST_64_BITS, 2**64, 10**30, 10_000_001])
def test_a_page_number_past_what_the_database_counts_is_not_found_on_every_feed(
    client, story, page
):
    feeds = [
        reverse("articles:home"),
        reverse("articles:section-feed", args=["politics"]),
        reverse("articles:tag-feed", args=["elections"]),
        reverse("articles:author-feed", args=["hanna-liubakova"]),
    ]
    for url in feeds:
        assert client.get(url, {"page": page}).status_code == 404, url
    members_feed = reverse("paywall:plus-feed")
    assert member_client().get(members_feed, {"page": page}).status_code == 404


def test_a_deep_page_within_the_bound_is_still_an_ordinary_not_found(client, story):
    assert client.get(reverse("articles:home"), {"page": 9_999_999}).status_code == 404


# NUL characters ---------------------------------------------------------------------


def test_a_gift_key_with_a_nul_is_refused_not_an_error(client, story):
    response = client.get(f"{story.get_absolute_url()}?gift=abc%00def")

    assert response.status_code == 400
    assert "This request cannot be answered" in response.text


def test_revoking_a_gift_link_whose_address_holds_a_nul_is_not_found(story):
    member = member_client()
    member.post(reverse("paywall:gift-create", args=[story.pk]))
    key = GiftLink.objects.get().key

    response = member.post(f"/plus/gift/{key}%00/revoke/")

    assert response.status_code == 404
    assert GiftLink.objects.get().revoked_at is None


def test_admin_list_filters_and_autocomplete_with_a_nul_are_refused(editor_client, story):
    changelist = reverse("admin:articles_article_changelist")
    assert editor_client.get(f"{changelist}?section__id__exact=%00").status_code == 400
    assert editor_client.get(f"{changelist}?q=a%00b").status_code == 400
    autocomplete = reverse("admin:autocomplete")
    query = "term=%00&app_label=articles&model_name=article&field_name=authors"
    assert editor_client.get(f"{autocomplete}?{query}").status_code == 400


@pytest.mark.parametrize("address", ["/politics/%00/", "/%00/", "/tag/a%00b/", "/plus/%00"])
def test_an_address_holding_a_nul_names_no_page(client, story, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("query", ["q=%00", "page=1%00", "%00=1", "gift=a&gift=%00"])
def test_a_nul_in_a_query_parameter_is_a_bad_request(client, story, query):
    assert client.get(f"{reverse('articles:search')}?{query}").status_code == 400
    assert client.get(f"{story.get_absolute_url()}?{query}").status_code == 400


def test_a_nul_in_a_cookie_is_a_bad_request(client, story):
    # A quoted cookie value may spell a NUL as an octal escape; a session key
    # holding one would reach the sessions table.
    cookie = 'sessionid="abcdefgh\\000ijkl"'
    assert client.get(reverse("articles:home"), HTTP_COOKIE=cookie).status_code == 400


def test_a_nul_in_a_form_field_is_the_forms_own_error(client):
    response = client.post(reverse("paywall:login"), {"username": "a\x00@b.org", "password": "x"})

    assert response.status_code == 200
    assert "Null characters are not allowed" in response.text


# A truncated JPEG -----------------------------------------------------------------


def truncated_jpeg(name):
    """The first half of a valid JPEG: what an interrupted upload leaves."""
    whole = image_bytes(600, 400)
    return SimpleUploadedFile(name, whole[: len(whole) // 2], content_type="image/jpeg")


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


DAMAGED = "This image is damaged or incomplete"


def test_a_truncated_lead_image_is_a_form_error_and_nothing_is_stored(
    editor_client, politics, settings
):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(politics, lead_image=truncated_jpeg("lead.jpg"), lead_image_alt="A march"),
    )

    assert response.status_code == 200
    assert DAMAGED in str(response.context["adminform"].form.errors["lead_image"])
    assert not Article.objects.exists()
    assert stored_files(settings) == []


def test_a_truncated_library_image_is_a_form_error_and_nothing_is_stored(editor_client, settings):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": truncated_jpeg("march.jpg"), "alt": "A march", "caption": "", "credit": ""},
    )

    assert response.status_code == 200
    assert DAMAGED in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_truncated_author_photo_is_a_form_error_and_nothing_is_stored(editor_client, settings):
    response = editor_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Ihar Ilyash", "slug": "ihar-ilyash", "bio": "", "photo": truncated_jpeg("i.jpg")},
    )

    assert response.status_code == 200
    assert DAMAGED in str(response.context["adminform"].form.errors["photo"])
    assert not Author.objects.exists()
    assert stored_files(settings) == []


# The login page's redirect loop -------------------------------------------------------


@pytest.mark.parametrize("next_url", ["/accounts/login/", "/accounts/login/?next=/accounts/login/"])
def test_a_logged_in_reader_sent_to_the_login_page_from_itself_lands_on_the_account_page(
    client, reader, next_url
):
    client.force_login(reader)

    response = client.get(reverse("paywall:login"), {"next": next_url})

    assert response.status_code == 302
    assert response.url == reverse("paywall:account")


def test_a_logged_in_reader_is_still_sent_where_next_says(client, reader, story):
    client.force_login(reader)

    response = client.get(reverse("paywall:login"), {"next": story.get_absolute_url()})

    assert response.url == story.get_absolute_url()
