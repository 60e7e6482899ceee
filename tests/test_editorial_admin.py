"""Editors write, publish and organise the news in the admin."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Section, Status
from paywall.access import Access
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    article_form,
    image_bytes,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def png_header_only(width, height):
    """A PNG that claims to be `width` × `height` without holding the pixels:
    what a decompression bomb looks like to a server that opens it."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


def test_the_editor_list_add_and_change_pages_load(editor_client, politics):
    article = ArticleFactory(section=politics, authors=[AuthorFactory()])

    assert editor_client.get(CHANGELIST).status_code == 200
    add_page = editor_client.get(ADD)
    assert add_page.status_code == 200
    assert "django_prose_editor" in add_page.text
    change_page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change_page.status_code == 200
    assert article.headline in change_page.text


def test_an_editor_writes_and_publishes_a_story(editor_client, editor, client, politics):
    economy = SectionFactory(name="Economy", slug="economy")
    author = AuthorFactory(name="Anna Kovalenko")

    response = editor_client.post(
        ADD, article_form(politics, also_in=[economy.pk, politics.pk], authors=[author.pk])
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "lukasenka-meets-with-us-envoy"
    assert article.published_at is not None
    assert article.created_by == editor and article.last_edited_by == editor
    assert list(article.sections.all()) == [economy]
    assert sorted(article.tags.names()) == ["Diplomacy", "USA"]
    home = client.get(reverse("articles:home")).text
    assert "Łukašenka meets with US envoy" in home
    assert "Politics</a>, <a" in home and "Economy</a>" in home


def test_a_body_with_script_and_onclick_is_stored_and_shown_without_them(
    editor_client, client, politics
):
    body = '<p onclick="steal()">Reported facts.</p><script>alert(1)</script><p>More.</p>'

    editor_client.post(ADD, article_form(politics, body=body))

    article = Article.objects.get()
    assert "onclick" not in article.body and "<script" not in article.body
    html = client.get(article.get_absolute_url()).text
    assert "Reported facts." in html
    assert "steal()" not in html and "alert(1)" not in html


def test_the_change_list_shows_scheduled_articles_plainly(editor_client, politics):
    ArticleFactory(headline="Embargoed report", section=politics, scheduled=True)

    html = editor_client.get(CHANGELIST).text

    assert "Scheduled for" in html


def test_editors_search_headline_dek_and_body(editor_client, politics):
    ArticleFactory(headline="Nothing special", body="<p>A rare word: potash.</p>", section=politics)
    ArticleFactory(headline="Other story", section=politics)

    html = editor_client.get(CHANGELIST, {"q": "potash"}).text

    assert "Nothing special" in html and "Other story" not in html


def test_editors_filter_by_any_section(editor_client, politics):
    security = SectionFactory(name="Security", slug="security")
    ArticleFactory(headline="Also in security", section=politics, also_in=[security])
    ArticleFactory(headline="Politics only", section=politics)

    html = editor_client.get(CHANGELIST, {"section": security.pk}).text

    assert "Also in security" in html and "Politics only" not in html


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("publish_now", "status", Status.PUBLISHED),
        ("unpublish", "status", Status.UNPUBLISHED),
        ("mark_plus", "access", Access.PLUS),
        ("mark_free", "access", Access.FREE),
    ],
)
def test_bulk_actions(editor_client, politics, action, field, value):
    articles = [
        # Only what is live can be taken off the site.
        ArticleFactory(section=politics, draft=action != "unpublish"),
        ArticleFactory(section=politics, gated=True),
    ]

    response = editor_client.post(
        CHANGELIST, {"action": action, "_selected_action": [a.pk for a in articles]}, follow=True
    )

    assert response.status_code == 200
    for article in articles:
        article.refresh_from_db()
        assert getattr(article, field) == value
    if action == "publish_now":
        assert all(a.is_published for a in articles)


def test_deleting_a_section_with_articles_is_refused_with_an_explanation(editor_client, politics):
    ArticleFactory(headline="Still in politics", section=politics)
    url = reverse("admin:articles_section_delete", args=[politics.pk])

    page = editor_client.get(url)
    assert "cannot be deleted" in page.text
    assert "Move these articles to another section first" in page.text

    editor_client.post(url, {"post": "yes"})
    assert Section.objects.filter(pk=politics.pk).exists()


def test_a_section_that_is_only_a_secondary_home_is_protected_too(editor_client, politics):
    security = SectionFactory(name="Security", slug="security")
    ArticleFactory(section=politics, also_in=[security])

    response = editor_client.post(
        reverse("admin:articles_section_changelist"),
        {"action": "delete_selected", "_selected_action": [security.pk], "post": "yes"},
    )

    assert "cannot be deleted" in response.text
    assert Section.objects.filter(pk=security.pk).exists()


def test_an_empty_section_can_be_deleted(editor_client):
    empty = SectionFactory(name="Empty", slug="empty")

    editor_client.post(reverse("admin:articles_section_delete", args=[empty.pk]), {"post": "yes"})

    assert not Section.objects.filter(pk=empty.pk).exists()


def test_a_lead_image_is_uploaded_with_its_alt_text(editor_client, politics, settings):
    upload = SimpleUploadedFile("lead.jpg", image_bytes(300, 200), content_type="image/jpeg")

    response = editor_client.post(
        ADD,
        article_form(politics, lead_image=upload, lead_image_alt="Protesters with flags"),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.lead_image_width, article.lead_image_height) == (300, 200)
    assert (settings.MEDIA_ROOT / article.lead_image.name).exists()


def test_a_photo_is_stored_upright_and_without_where_and_on_what_it_was_taken(
    editor_client, politics, settings
):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: the camera was held sideways
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 12.0), 3: "E", 4: (27.0, 33.0, 5.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("source.jpg", buffer.getvalue(), content_type="image/jpeg")

    editor_client.post(
        ADD, article_form(politics, lead_image=upload, lead_image_alt="A street in Minsk")
    )

    article = Article.objects.get()
    stored = (settings.MEDIA_ROOT / article.lead_image.name).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (200, 300)
    assert (article.lead_image_width, article.lead_image_height) == (200, 300)


def stored_files(settings):
    return (
        [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
        if settings.MEDIA_ROOT.exists()
        else []
    )


@pytest.mark.parametrize(
    ("filename", "content", "limits", "message"),
    [
        ("notes.txt", b"just some text", {}, "not an image we can read"),
        ("anim.gif", image_bytes(10, 10, "GIF"), {}, "GIF images are not accepted"),
        (
            "huge.jpg",
            image_bytes(300, 200),
            {"NEWSROOM_IMAGE_MAX_BYTES": 100},
            "images may be at most",
        ),
        (
            "wide.png",
            image_bytes(300, 200, "PNG"),
            {"NEWSROOM_IMAGE_MAX_PIXELS": 50_000},
            "300 × 200 pixels",
        ),
        ("bomb.png", png_header_only(10_000, 10_000), {}, "too many pixels to be processed safely"),
        (
            "bigger-bomb.png",
            png_header_only(30_000, 30_000),
            {},
            "too many pixels to be processed safely",
        ),
    ],
)
def test_refused_images_get_a_readable_error_and_nothing_is_stored(
    editor_client, politics, settings, filename, content, limits, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    upload = SimpleUploadedFile(filename, content)

    response = editor_client.post(
        ADD, article_form(politics, lead_image=upload, lead_image_alt="An image")
    )

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["lead_image"])
    assert not Article.objects.exists()
    assert stored_files(settings) == []


def test_a_lead_image_needs_alt_text(editor_client, politics):
    upload = SimpleUploadedFile("lead.jpg", image_bytes(), content_type="image/jpeg")

    response = editor_client.post(ADD, article_form(politics, lead_image=upload))

    assert response.status_code == 200
    assert "Describe the lead image" in str(response.context["adminform"].form.errors)


def test_tag_suggestions_offer_existing_tags(editor_client, politics):
    ArticleFactory(section=politics, tags=["Political prisoners", "Politics of memory"])

    response = editor_client.get(
        reverse("admin:articles_article_tag_suggestions"), {"term": "polit"}
    )

    assert set(response.json()["tags"]) == {"Political prisoners", "Politics of memory"}


def test_tag_suggestions_are_for_staff_only(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:articles_article_tag_suggestions"), {"term": "a"})

    assert response.status_code == 302


def test_view_on_site_appears_only_for_live_articles(editor_client, politics):
    live = ArticleFactory(section=politics)
    draft = ArticleFactory(section=politics, draft=True)

    live_page = editor_client.get(reverse("admin:articles_article_change", args=[live.pk]))
    draft_page = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    assert "View on site" in live_page.text
    assert "View on site" not in draft_page.text


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("live", "Live story"), ("scheduled", "Tomorrow's story"), ("draft", "Unfinished story")],
)
def test_editors_filter_by_publication_state(editor_client, politics, choice, expected):
    ArticleFactory(headline="Live story", section=politics)
    ArticleFactory(headline="Tomorrow's story", section=politics, scheduled=True)
    ArticleFactory(headline="Unfinished story", section=politics, draft=True)

    response = editor_client.get(CHANGELIST, {"publication": choice})

    shown = [article.headline for article in response.context["cl"].result_list]
    assert shown == [expected]
