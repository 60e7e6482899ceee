"""Readers get each picture at the size and in the format their screen and
browser need; the newsroom makes those files once, when the picture is saved."""

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, image_bytes

pytestmark = pytest.mark.django_db

WIDTHS = [480, 800, 1200, 1600]
SOURCE_TYPES = ["image/avif", "image/webp"]


# Helpers


class Pictures(HTMLParser):
    """Every <picture> of a page: its <source>s, its <img>, and the classes of
    the elements it sits in."""

    def __init__(self, html):
        super().__init__()
        self.pictures = []
        self.classes = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.pictures.append({"sources": [], "img": None, "inside": list(self.classes)})
        elif tag == "source" and self.pictures:
            self.pictures[-1]["sources"].append(attrs)
        elif tag == "img" and self.pictures and self.pictures[-1]["img"] is None:
            self.pictures[-1]["img"] = attrs
        if tag not in ("source", "img"):
            self.classes.append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if tag not in ("source", "img") and self.classes:
            self.classes.pop()


def pictures(response):
    assert response.status_code == 200
    return Pictures(response.text).pictures


def only_picture(response):
    found = pictures(response)
    assert len(found) == 1, found
    return found[0]


def candidates(srcset):
    """`srcset` as [(url, width)], checking every candidate has a width descriptor."""
    result = []
    for candidate in srcset.split(","):
        url, descriptor = candidate.split()
        assert descriptor.endswith("w"), candidate
        result.append((url, int(descriptor[:-1])))
    return result


def media_file(url, settings):
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def rendition_files(settings):
    folder = Path(settings.MEDIA_ROOT) / settings.IMAGEKIT_CACHEFILE_DIR
    return sorted(path for path in folder.rglob("*") if path.is_file())


def photo(width=1600, height=1067, name="harbour.jpg", **save_options):
    """A photo as an editor uploads it."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "JPEG", **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def article_with_photo(width=1600, height=1067, **fields):
    return ArticleFactory(
        lead_image=photo(width, height),
        lead_image_alt="Fishing boats in the harbour at dawn",
        lead_image_caption="The harbour before the strike.",
        lead_image_credit="Alena Kuzmič",
        **fields,
    )


def queries_to_render(client, url):
    cache.clear()  # the anonymous page cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Generated once, when the picture is saved


def test_a_new_lead_image_is_made_in_every_width_and_format_its_page_offers(client, settings):
    article = article_with_photo()

    picture = only_picture(client.get(article.get_absolute_url()))

    offered = {
        "image/avif": candidates(picture["sources"][0]["srcset"]),
        "image/webp": candidates(picture["sources"][1]["srcset"]),
        "image/jpeg": candidates(picture["img"]["srcset"]),
    }
    pillow_formats = {"image/avif": "AVIF", "image/webp": "WEBP", "image/jpeg": "JPEG"}
    for mime_type, srcset in offered.items():
        assert [width for _, width in srcset] == WIDTHS
        for url, width in srcset:
            with Image.open(media_file(url, settings)) as rendition:
                assert rendition.format == pillow_formats[mime_type]
                assert rendition.size == (width, round(1067 * width / 1600))
    assert len(rendition_files(settings)) == 12
    # Stable names that say nothing about the picture.
    assert all("harbour" not in url for srcset in offered.values() for url, _ in srcset)


def test_saving_an_article_again_without_a_new_picture_rewrites_nothing(settings):
    article = article_with_photo()
    made_at = {path: path.stat().st_mtime_ns for path in rendition_files(settings)}

    article.headline = "Strike at the harbour enters its second week"
    article.save()
    Article.objects.get(pk=article.pk).save()

    assert {path: path.stat().st_mtime_ns for path in rendition_files(settings)} == made_at


def test_a_picture_without_renditions_gets_them_when_its_article_is_next_saved(settings):
    """Pictures saved before renditions existed, or whose media was lost and
    restored without them, are repaired by the editor's next save."""
    article = article_with_photo()
    for path in rendition_files(settings):
        path.unlink()

    stored = Article.objects.get(pk=article.pk)
    stored.dek = "Dockers have not worked for eight days."
    stored.save()

    assert len(rendition_files(settings)) == 12


def test_a_replaced_picture_gets_its_own_renditions(settings):
    article = article_with_photo()
    first = set(rendition_files(settings))

    article.lead_image = photo(1200, 800, name="pier.jpg")
    article.save()

    new = set(rendition_files(settings)) - first
    assert len(new) == 3 * 3  # 480, 800 and 1200, each in three formats


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [(300, 200, [300]), (1000, 500, [480, 800, 1000]), (2400, 1600, WIDTHS)],
)
def test_pictures_are_never_enlarged(client, settings, width, height, expected):
    article = article_with_photo(width, height)

    picture = only_picture(client.get(article.get_absolute_url()))

    srcset = candidates(picture["img"]["srcset"])
    assert [w for _, w in srcset] == expected
    for url, w in srcset:
        with Image.open(media_file(url, settings)) as rendition:
            assert rendition.width == w <= width
    assert picture["img"]["width"] == str(expected[-1])
    assert picture["img"]["height"] == str(round(height * expected[-1] / width))
    assert len(rendition_files(settings)) == 3 * len(expected)


def test_renditions_carry_no_camera_or_location_metadata(settings):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0110] = "Model X"  # camera model
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 0.0)}  # GPS: near Minsk
    ArticleFactory(
        lead_image=photo(900, 600, exif=exif.tobytes()),
        lead_image_alt="A reporter's photo of the march",
    )

    for path in rendition_files(settings):
        with Image.open(path) as rendition:
            assert not rendition.getexif(), path.name
            assert "xmp" not in rendition.info


# What readers' browsers receive


def test_the_article_page_offers_avif_and_webp_with_a_jpeg_fallback(client):
    article = article_with_photo()

    picture = only_picture(client.get(article.get_absolute_url()))

    assert "story__figure" in picture["inside"]
    assert [source["type"] for source in picture["sources"]] == SOURCE_TYPES
    img = picture["img"]
    sizes = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
    assert all(source["sizes"] == sizes for source in picture["sources"]) and img["sizes"] == sizes
    jpegs = candidates(img["srcset"])
    assert all(url.endswith(".jpg") for url, _ in jpegs)
    assert img["src"] == jpegs[-1][0]  # the largest JPEG for browsers without srcset
    assert (img["width"], img["height"]) == ("1600", "1067")
    assert img["alt"] == "Fishing boats in the harbour at dawn"
    assert img["decoding"] == "async"
    # Seen without scrolling and the page's largest element: fetched first.
    assert "loading" not in img and img["fetchpriority"] == "high"


def test_the_caption_and_credit_stay_under_the_picture(client):
    article = article_with_photo()

    html = client.get(article.get_absolute_url()).text

    figure = html[html.index('<figure class="story__figure">') : html.index("</figure>")]
    assert "</picture>" in figure
    assert "The harbour before the strike." in figure and "Photo: Alena Kuzmič" in figure


def test_the_home_page_lead_story_picture_is_decorative_and_loads_first(client):
    article_with_photo(headline="Strike at the harbour")

    picture = only_picture(client.get(reverse("articles:home")))

    assert "lead-story__image" in picture["inside"]
    img = picture["img"]
    # The headline next to it says it all: the linked picture is skipped by
    # screen readers and keyboards.
    assert img["alt"] == ""
    assert "loading" not in img and img["fetchpriority"] == "high"
    assert [source["type"] for source in picture["sources"]] == SOURCE_TYPES
    assert img["sizes"].endswith("calc(100vw - 2rem)")
    assert [w for _, w in candidates(img["srcset"])] == WIDTHS


def test_a_picture_further_down_a_page_loads_lazily(settings):
    article = article_with_photo()
    template = Template(
        '{% load renditions %}{% picture article.lead_image alt="Boats" sizes="20rem" %}'
    )

    picture = Pictures(template.render(Context({"article": article}))).pictures[0]

    assert picture["img"]["loading"] == "lazy" and "fetchpriority" not in picture["img"]
    assert picture["img"]["sizes"] == "20rem"


def test_a_pozirk_articles_picture_is_shown_to_every_reader(client):
    article = article_with_photo(gated=True)

    response = client.get(article.get_absolute_url())

    assert "The material is available only to POZIRK+" in response.text
    picture = only_picture(response)
    assert picture["img"]["alt"] == "Fishing boats in the harbour at dawn"


def test_an_article_without_a_picture_has_no_picture_element(client):
    article = ArticleFactory()

    assert pictures(client.get(article.get_absolute_url())) == []


# Cost of a page


def test_pictures_add_no_query_to_the_article_page(client):
    section = SectionFactory()
    plain = ArticleFactory(section=section)
    illustrated = article_with_photo(section=section)

    assert queries_to_render(client, illustrated.get_absolute_url()) == queries_to_render(
        client, plain.get_absolute_url()
    )


def test_pictures_add_no_query_to_the_home_page(client):
    home = reverse("articles:home")
    ArticleFactory.create_batch(3)
    plain = ArticleFactory()  # the newest: the lead story
    without_picture = queries_to_render(client, home)

    plain.delete()
    article_with_photo()

    assert pictures(client.get(home))
    assert queries_to_render(client, home) == without_picture


def test_rendering_a_page_never_makes_renditions(client, settings):
    """Pages only compute addresses; making files is for saves and the command."""
    article = article_with_photo()
    for path in rendition_files(settings):
        path.unlink()

    picture = only_picture(client.get(article.get_absolute_url()))

    assert candidates(picture["img"]["srcset"])
    assert rendition_files(settings) == []


# Images from before renditions existed


def test_generate_renditions_makes_what_older_images_lack(client, settings):
    older = article_with_photo()
    # As saved by an older release: no renditions, and no recorded size.
    for path in rendition_files(settings):
        path.unlink()
    Article.objects.filter(pk=older.pk).update(lead_image_width=None, lead_image_height=None)
    output = io.StringIO()

    call_command("generate_renditions", stdout=output)

    assert "1 images checked, 12 renditions written." in output.getvalue()
    older.refresh_from_db()
    assert (older.lead_image_width, older.lead_image_height) == (1600, 1067)
    picture = only_picture(client.get(older.get_absolute_url()))
    for url, _ in candidates(picture["img"]["srcset"]):
        assert media_file(url, settings).exists()

    again = io.StringIO()
    call_command("generate_renditions", stdout=again)
    assert "1 images checked, 0 renditions written." in again.getvalue()


def test_generate_renditions_force_makes_everything_again(settings):
    article_with_photo(800, 600)
    before = {path: path.stat().st_mtime_ns for path in rendition_files(settings)}
    output = io.StringIO()

    call_command("generate_renditions", "--force", stdout=output)

    assert "6 renditions written" in output.getvalue()
    after = {path: path.stat().st_mtime_ns for path in rendition_files(settings)}
    assert after.keys() == before.keys()  # the same names, written over
    assert all(after[path] >= before[path] for path in after)


def test_generate_renditions_reports_an_original_missing_from_storage(settings):
    article = article_with_photo(600, 400)
    (Path(settings.MEDIA_ROOT) / article.lead_image.name).unlink()
    errors = io.StringIO()

    call_command("generate_renditions", stdout=io.StringIO(), stderr=errors)

    assert article.lead_image.name in errors.getvalue()


def test_a_picture_saved_from_a_script_without_a_file_name_still_gets_renditions(client, settings):
    """Django records no size for a ContentFile without a name; the renditions
    need one, so it is read and stored when the picture is saved."""
    from django.core.files.base import ContentFile

    article = ArticleFactory(lead_image_alt="A square in Minsk")
    article.lead_image.save("square.jpg", ContentFile(image_bytes(900, 600)))

    article.refresh_from_db()
    assert (article.lead_image_width, article.lead_image_height) == (900, 600)
    picture = only_picture(client.get(article.get_absolute_url()))
    for url, _ in candidates(picture["img"]["srcset"]):
        assert media_file(url, settings).exists()
