"""Editors keep uploaded pictures in a library, with their words, and reuse them."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as Pillow

from articles.models import Article, Image
from tests.factories import ArticleFactory, SectionFactory, article_form, image_bytes

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:articles_image_changelist")
LIBRARY_ADD = reverse("admin:articles_image_add")
ARTICLE_ADD = reverse("admin:articles_article_add")


# Helpers


def upload(name="protest.jpg", width=1200, height=800, image_format="JPEG"):
    return SimpleUploadedFile(
        name, image_bytes(width, height, image_format), content_type="image/jpeg"
    )


def library_image(editor_client, **fields):
    """A picture an editor put in the library through the admin."""
    data = {
        "file": upload(),
        "alt": "Women in white with flowers on Independence Avenue",
        "caption": "The Sunday march, August 2020.",
        "credit": "Nasta Zacharevič",
        **fields,
    }
    response = editor_client.post(LIBRARY_ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Image.objects.latest("pk")


def form_errors(response):
    assert response.status_code == 200
    return str(response.context["adminform"].form.errors)


def stored_files(settings, folder):
    root = Path(settings.MEDIA_ROOT) / folder
    return sorted(path for path in root.rglob("*") if path.is_file())


def rendition_count(settings):
    return len(stored_files(settings, settings.IMAGEKIT_CACHEFILE_DIR))


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


# The library itself


def test_an_editor_adds_a_picture_to_the_library(editor_client, editor, settings):
    image = library_image(editor_client)

    assert image.uploaded_by == editor
    assert (image.width, image.height) == (1200, 800)
    assert image.file.name.startswith("library/")
    assert rendition_count(settings) == 3 * 3  # 480, 800, 1200 in AVIF, WebP, JPEG
    listing = editor_client.get(LIBRARY).text
    assert "Women in white with flowers" in listing and "Nasta Zacharevič" in listing
    assert f'src="{settings.MEDIA_URL}{settings.IMAGEKIT_CACHEFILE_DIR}/' in listing
    change_page = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    assert change_page.status_code == 200


def test_the_library_is_searched_by_its_words(editor_client):
    library_image(editor_client)
    library_image(editor_client, alt="A riot police van", caption="", credit="TUT.BY")

    response = editor_client.get(LIBRARY, {"q": "zacharevič"})

    assert [image.alt for image in response.context["cl"].result_list] == [
        "Women in white with flowers on Independence Avenue"
    ]


def test_a_library_picture_needs_alt_text(editor_client, settings):
    response = editor_client.post(
        LIBRARY_ADD, {"file": upload(), "alt": "", "caption": "A march", "credit": ""}
    )

    assert "This field is required." in str(response.context["adminform"].form.errors["alt"])
    assert not Image.objects.exists()
    assert stored_files(settings, "library") == []


def test_the_library_refuses_what_the_lead_image_field_refuses(editor_client):
    response = editor_client.post(
        LIBRARY_ADD,
        {"file": upload("anim.gif", 10, 10, "GIF"), "alt": "An animation"},
    )

    assert "GIF images are not accepted" in form_errors(response)
    assert not Image.objects.exists()


def test_the_library_counts_the_articles_using_each_picture_in_constant_queries(
    editor_client,
):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(LIBRARY)
        assert response.status_code == 200
        return len(captured), response

    used = library_image(editor_client)
    ArticleFactory.create_batch(2, library_image=used)
    editor_client.get(LIBRARY)  # the device's last-seen time is refreshed on the first page
    few, _ = queries()

    for _ in range(5):
        ArticleFactory(library_image=library_image(editor_client))
    many, response = queries()

    assert many == few
    counts = {image.pk: image.article_count for image in response.context["cl"].result_list}
    assert counts[used.pk] == 2


# From an article to the library


def test_a_new_lead_image_joins_the_library_without_a_second_copy(
    editor_client, editor, politics, settings
):
    response = editor_client.post(
        ARTICLE_ADD,
        article_form(
            politics,
            lead_image=upload("march.jpg"),
            lead_image_alt="Marchers crossing the bridge",
            lead_image_caption="Sunday, Niamiha.",
            lead_image_credit="Nasta Zacharevič",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    image = Image.objects.get()
    assert article.library_image == image
    assert image.file.name == article.lead_image.name
    assert (image.alt, image.caption, image.credit) == (
        "Marchers crossing the bridge",
        "Sunday, Niamiha.",
        "Nasta Zacharevič",
    )
    assert image.uploaded_by == editor
    assert (image.width, image.height) == (1200, 800)
    assert len(stored_files(settings, "lead")) == 1
    assert stored_files(settings, "library") == []
    assert rendition_count(settings) == 9


def test_a_lead_image_upload_still_needs_alt_text(editor_client, politics, settings):
    response = editor_client.post(
        ARTICLE_ADD, article_form(politics, lead_image=upload(), lead_image_alt="")
    )

    assert "Describe the lead image for readers who cannot see it." in form_errors(response)
    assert not Article.objects.exists() and not Image.objects.exists()
    assert rendition_count(settings) == 0


# From the library to an article


def test_a_library_picture_becomes_a_new_articles_lead_image_with_its_words(
    editor_client, client, politics, settings
):
    image = library_image(editor_client)
    renditions_before = rendition_count(settings)

    response = editor_client.post(ARTICLE_ADD, article_form(politics, library_image=image.pk))

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert article.library_image == image
    assert article.lead_image.name == image.file.name  # the same file, not a copy
    assert (article.lead_image_width, article.lead_image_height) == (1200, 800)
    assert (article.lead_image_alt, article.lead_image_caption, article.lead_image_credit) == (
        image.alt,
        image.caption,
        image.credit,
    )
    assert len(stored_files(settings, "library")) == 1 and stored_files(settings, "lead") == []
    assert rendition_count(settings) == renditions_before  # shared, not made again
    html = client.get(article.get_absolute_url()).text
    assert "<picture>" in html
    assert 'alt="Women in white with flowers on Independence Avenue"' in html
    assert "The Sunday march, August 2020." in html and "Photo: Nasta Zacharevič" in html


def test_words_written_for_the_article_win_over_the_librarys(editor_client, politics):
    image = library_image(editor_client)

    editor_client.post(
        ARTICLE_ADD,
        article_form(
            politics,
            library_image=image.pk,
            lead_image_caption="Two years on, the same avenue is empty on Sundays.",
        ),
    )

    article = Article.objects.get()
    assert article.lead_image_caption == "Two years on, the same avenue is empty on Sundays."
    assert article.lead_image_alt == image.alt and article.lead_image_credit == image.credit


def test_choosing_another_library_picture_brings_its_own_words(editor_client, politics):
    first = library_image(editor_client)
    second = library_image(
        editor_client,
        file=upload("court.jpg", 900, 600),
        alt="A defendant in a cage in a courtroom",
        caption="The verdict.",
        credit="",
    )
    editor_client.post(ARTICLE_ADD, article_form(politics, library_image=first.pk))
    article = Article.objects.get()
    change = reverse("admin:articles_article_change", args=[article.pk])

    response = editor_client.post(
        change,
        article_form(
            politics,
            library_image=second.pk,
            lead_image_alt=article.lead_image_alt,
            lead_image_caption=article.lead_image_caption,
            lead_image_credit=article.lead_image_credit,
        ),
    )

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.lead_image.name == second.file.name
    assert (article.lead_image_width, article.lead_image_height) == (900, 600)
    assert (article.lead_image_alt, article.lead_image_caption, article.lead_image_credit) == (
        "A defendant in a cage in a courtroom",
        "The verdict.",
        "",
    )


def test_an_upload_wins_over_a_library_choice(editor_client, politics):
    chosen = library_image(editor_client)

    editor_client.post(
        ARTICLE_ADD,
        article_form(
            politics,
            library_image=chosen.pk,
            lead_image=upload("fresh.jpg", 640, 480),
            lead_image_alt="A fresh picture",
        ),
    )

    article = Article.objects.get()
    assert article.lead_image.name != chosen.file.name
    assert article.library_image != chosen
    assert article.library_image.file.name == article.lead_image.name
    assert article.library_image.alt == "A fresh picture"


def test_removing_the_lead_image_also_removes_the_library_link(editor_client, politics):
    image = library_image(editor_client)
    editor_client.post(ARTICLE_ADD, article_form(politics, library_image=image.pk))
    article = Article.objects.get()

    editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            politics,
            library_image=image.pk,
            **{"lead_image-clear": "on"},
            lead_image_alt=article.lead_image_alt,
        ),
    )

    article.refresh_from_db()
    assert not article.lead_image and article.library_image is None
    assert Image.objects.filter(pk=image.pk).exists()  # the library keeps it


def test_the_article_form_finds_library_pictures_by_their_words(editor_client):
    image = library_image(editor_client)
    library_image(editor_client, alt="A riot police van", caption="", credit="")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "library_image",
            "term": "sunday march",
        },
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(image.pk)]


def test_library_renditions_are_real_pictures(editor_client, settings):
    library_image(editor_client)

    for path in stored_files(settings, settings.IMAGEKIT_CACHEFILE_DIR):
        with Pillow.open(io.BytesIO(path.read_bytes())) as rendition:
            assert rendition.format in {"AVIF", "WEBP", "JPEG"}
            assert rendition.width in {480, 800, 1200}
