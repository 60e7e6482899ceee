"""Pictures, pull quotes and embeds in an article's body.

An editor puts a library picture, a pull quote and a Telegram post in a
story. Readers see the picture as renditions and the post as a placeholder
that loads nothing from Telegram until they ask; feed readers get a plain
picture and a link. Whatever is pasted into a block, the server keeps only
the block's own markup.
"""

import re

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import blocks
from articles.embeds import recognise
from articles.models import Article, Image
from tests.factories import ArticleFactory, SectionFactory, article_form, image_bytes

pytestmark = pytest.mark.django_db

TELEGRAM = "https://t.me/nexta_live/12345"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
EMBED_FRAME = reverse("articles:embed")


def picture(**fields):
    return Image.objects.create(
        file=SimpleUploadedFile("bus.jpg", image_bytes(1200, 800), content_type="image/jpeg"),
        **{
            "alt": "A night bus at a stop",
            "caption": "The last bus",
            "credit": "Nasta Zacharevič",
            **fields,
        },
    )


def figure(image, alt="", caption="", credit=""):
    attributes = f' data-alt="{alt}"' if alt else ""
    attributes += f' data-credit="{credit}"' if credit else ""
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="body-image" data-image="{image.pk}"{attributes}>{caption}</figure>'


def embed(url):
    return f'<figure class="embed"><a href="{url}">{url}</a></figure>'


PULL_QUOTE = (
    '<blockquote class="pull-quote"><p>Four routes for a city of two million</p></blockquote>'
)


def every_block(image):
    return (
        "<p>Minsk will run four night bus routes.</p>"
        + figure(image, alt="Drivers at the depot", caption="At the depot")
        + PULL_QUOTE
        + embed(TELEGRAM)
        + embed(YOUTUBE)
        + "<p>Shift workers said the change adds an hour.</p>"
    )


def srcs(html):
    """Every address the page would load by itself: src, srcset, href of
    stylesheets, data of objects. Links a reader may follow do not count."""
    found = re.findall(r'\s(?:src|srcset|data)="([^"]*)"', html)
    found += re.findall(r'<link[^>]*href="([^"]*)"', html)
    return found


# What the sanitiser keeps -----------------------------------------------------


def test_each_block_survives_the_sanitiser_as_the_editor_wrote_it():
    image = picture()
    body = every_block(image)
    article = ArticleFactory(body=body)
    article.refresh_from_db()
    assert article.body == body


XSS = {
    "image: handlers and styles": (
        '<figure class="body-image" data-image="{pk}" onmouseover="alert(1)" '
        'style="background:url(javascript:alert(1))"><figcaption>x</figcaption></figure>'
    ),
    "image: script in the caption": (
        '<figure class="body-image" data-image="{pk}"><figcaption>'
        "<script>alert(1)</script><img src=x onerror=alert(1)></figcaption></figure>"
    ),
    "image: quotes out of the alt text": (
        '<figure class="body-image" data-image="{pk}" data-alt="&quot;><script>alert(1)</script>">'
        "</figure>"
    ),
    "image: an id that is not a number": (
        '<figure class="body-image" data-image="1 onerror=alert(1)"></figure>'
    ),
    "image: an <img> smuggled in": (
        '<figure class="body-image" data-image="{pk}"><img src="https://evil.example/x.png" '
        'onerror="alert(1)"></figure>'
    ),
    "pull quote: handlers and other classes": (
        '<blockquote class="pull-quote evil" onclick="alert(1)"><p onmouseover="alert(1)">'
        "Q</p><script>alert(1)</script></blockquote>"
    ),
    "embed: a javascript: link": (
        '<figure class="embed"><a href="javascript:alert(1)">click</a></figure>'
    ),
    "embed: an iframe pasted in": (
        '<figure class="embed"><iframe src="https://evil.example/"></iframe>'
        '<a href="https://t.me/nexta_live/1">x</a></figure>'
    ),
    "embed: a provider's name in another host's link": (
        '<figure class="embed"><a href="https://evil.example/?u=https://t.me/nexta_live/1">x</a>'
        "</figure>"
    ),
    "embed: quotes out of the link": (
        '<figure class="embed"><a href="https://t.me/nexta_live/1&quot;><script>alert(1)'
        '</script>">x</a></figure>'
    ),
    "embed: a data: link": (
        '<figure class="embed"><a href="data:text/html,<script>alert(1)</script>">x</a></figure>'
    ),
}


@pytest.mark.parametrize("payload", XSS.values(), ids=XSS.keys())
def test_no_payload_in_any_block_reaches_a_page_or_a_feed(client, payload):
    image = picture()
    article = ArticleFactory(body=payload.format(pk=image.pk) + "<p>After.</p>")

    page = client.get(article.get_absolute_url()).content.decode()
    story = page.split('class="story__body"', 1)[1].split("</article>", 1)[0]
    # The feed's item text, as a feed reader unescapes it once from the XML.
    raw_feed = client.get(reverse("feeds:latest-rss")).content
    feed = feedparser.parse(raw_feed, sanitize_html=False).entries[0].description
    for html in (story, feed):
        lowered = html.lower()
        assert "<script" not in lowered  # a payload may survive only as escaped text
        assert not re.search(r"<[^>]+\son\w+\s*=", lowered), "an event handler"
        assert not re.search(r"<[^>]+(href|src|style)=\"[^\"]*javascript:", lowered)
        assert "<iframe" not in lowered and "data:text/html" not in " ".join(srcs(html))
        assert "evil.example" not in " ".join(srcs(html))
    assert "After." in story


def test_the_admin_form_refuses_an_embed_it_cannot_show(editor_client):
    section = SectionFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(section, body="<p>Text.</p>" + embed("https://evil.example/video/1")),
    )
    assert response.status_code == 200
    assert "cannot be embedded" in str(response.context["adminform"].form.errors)
    assert not Article.objects.exists()


def test_the_admin_form_keeps_every_block(editor_client):
    image = picture()
    section = SectionFactory()
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form(section, body=every_block(image))
    )
    assert response.status_code == 302
    assert Article.objects.get().body == every_block(image)


# What readers see --------------------------------------------------------------


def test_a_library_picture_in_the_body_is_served_as_renditions(client):
    image = picture()
    article = ArticleFactory(body=every_block(image))

    html = client.get(article.get_absolute_url()).content.decode()
    body_figure = html.split('<figure class="body-image">', 1)[1].split("</figure>", 1)[0]
    assert "<picture>" in body_figure
    assert 'type="image/avif"' in body_figure and 'type="image/webp"' in body_figure
    assert re.search(r'srcset="[^"]*480w', body_figure)
    assert 'alt="Drivers at the depot"' in body_figure  # the editor's words win
    assert "At the depot" in body_figure
    assert "Nasta Zacharevič" in body_figure  # the library's credit fills the gap
    assert 'width="1200" height="800"' in body_figure


def test_a_picture_removed_from_the_library_leaves_no_hole(client):
    image = picture()
    article = ArticleFactory(body=figure(image) + "<p>Text.</p>")
    image.delete()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "body-image" not in html
    assert "Text." in html


def test_an_embed_is_a_placeholder_that_loads_nothing_from_its_provider(client):
    image = picture()
    article = ArticleFactory(body=every_block(image))

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "Telegram post" in html and "YouTube video" in html
    assert "Load the Telegram post" in html
    assert "<iframe" not in html
    for address in srcs(html):
        assert "t.me" not in address and "youtube" not in address, address
    # The page may frame only itself; the frame it opens on a click is ours.
    policy = response["Content-Security-Policy"]
    assert "frame-src 'self'" in policy and "t.me" not in policy
    assert f'data-embed-frame="{EMBED_FRAME}?url=https%3A%2F%2Ft.me%2Fnexta_live%2F12345"' in html
    assert f'<a href="{TELEGRAM}" rel="noopener noreferrer">' in html


def test_the_embed_frame_lets_in_only_its_provider_and_only_inside_the_site(client):
    response = client.get(EMBED_FRAME, {"url": TELEGRAM})
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-src https://t.me;" in policy + ";"
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Robots-Tag"] == "noindex"
    assert 'src="https://t.me/nexta_live/12345?embed=1"' in response.content.decode()

    video = client.get(EMBED_FRAME, {"url": YOUTUBE})
    assert "frame-src https://www.youtube-nocookie.com" in video["Content-Security-Policy"]
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in video.content.decode()

    # The next page has the site's policy again: the frame's changed only its own.
    home = client.get("/en/")["Content-Security-Policy"]
    assert "frame-src 'self'" in home and "frame-ancestors 'none'" in home


def test_a_change_to_the_policy_reaches_the_next_page(client, settings):
    assert "img-src 'self' data:" in client.get("/en/")["Content-Security-Policy"]
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = policy
    # (Another page: the first is kept whole, headers and all, until a release.)
    assert "img-src 'self';" in client.get("/ru/")["Content-Security-Policy"] + ";"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://evil.example/",
        "javascript:alert(1)",
        'https://t.me/nexta_live/1"><script>',
        "https://t.me:444/nexta_live/1",
        "https://user@t.me/nexta_live/1",
        "https://t.me/" + "a" * 600,
    ],
)
def test_the_embed_frame_refuses_anything_else(client, url):
    assert client.get(EMBED_FRAME, {"url": url}).status_code == 404


def test_a_null_character_in_the_embed_link_is_a_bad_request(client):
    # As in any query on the site (newsroom's NUL guard): malformed, not unknown.
    assert client.get(EMBED_FRAME, {"url": "https://t.me/nexta_live/1\x00"}).status_code == 400


@pytest.mark.parametrize(
    "url, provider",
    [
        ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube"),
        ("https://vimeo.com/76979871", "vimeo"),
        ("https://t.me/s/nexta_live/12345", "telegram"),
        ("https://x.com/franakviacorka/status/1234567890", "x"),
        ("https://twitter.com/franakviacorka/status/1234567890", "x"),
        ("https://www.instagram.com/p/C1a2b3c4d5/", "instagram"),
        ("https://www.instagram.com/reel/C1a2b3c4d5/", "instagram"),
    ],
)
def test_the_media_a_newsroom_quotes_are_recognised(url, provider):
    found = recognise(url)
    assert found is not None and found.provider.key == provider
    assert found.src.startswith(found.provider.origin + "/")


def test_feed_readers_get_a_plain_picture_and_links(client):
    image = picture()
    ArticleFactory(body=every_block(image))

    feed = feedparser.parse(client.get(reverse("feeds:latest-rss")).content)
    description = feed.entries[0].description
    assert re.search(r'<img [^>]*src="http://testserver/media/renditions/[^"]+\.jpg"', description)
    assert 'alt="Drivers at the depot"' in description
    assert f'Telegram post: <a href="{TELEGRAM}">{TELEGRAM}</a>' in description
    assert "YouTube video: <a" in description
    assert "<button" not in description and "data-embed" not in description


def test_a_gated_teaser_holds_no_block_past_its_paragraphs(client):
    image = picture()
    article = ArticleFactory(gated=True, teaser_paragraphs=1, body=every_block(image))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Minsk will run four night bus routes." in html
    assert "Drivers at the depot" not in html
    assert "Load the Telegram post" not in html
    assert "Four routes for a city" not in html


def test_blocks_cost_one_query_for_all_their_pictures(django_assert_num_queries):
    images = [picture(alt=f"Picture {n}") for n in range(5)]
    html = "".join(figure(image) for image in images)
    with django_assert_num_queries(1):
        rendered = blocks.for_page(html)
    assert rendered.count("<picture>") == 5


# The body editor's picker ----------------------------------------------------


def test_the_picker_finds_library_pictures_by_their_words(editor_client):
    picture(alt="Riot police van", caption="", credit="TUT.BY")
    picture()
    response = editor_client.get(reverse("admin:articles_image_picker"), {"q": "police"})
    assert [i["alt"] for i in response.json()["images"]] == ["Riot police van"]
    assert response.json()["images"][0]["thumbnail"].startswith("/media/renditions/")


def test_a_picture_uploaded_from_the_body_editor_joins_the_library(editor_client):
    url = reverse("admin:articles_image_picker_upload")
    refused = editor_client.post(
        url, {"file": SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")}
    )
    assert refused.status_code == 400 and "alt" in refused.json()["errors"]

    response = editor_client.post(
        url,
        {
            "file": SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg"),
            "alt": "A queue at the border",
        },
    )
    assert response.status_code == 201
    image = Image.objects.get(pk=response.json()["image"]["id"])
    assert image.alt == "A queue at the border"
    thumbnail = editor_client.get(reverse("admin:articles_image_thumb", args=[image.pk]))
    assert thumbnail.status_code == 302
    assert editor_client.get(reverse("admin:articles_image_thumb", args=[999])).status_code == 404


def test_readers_cannot_use_the_picker(client, reader):
    client.force_login(reader)
    response = client.get(reverse("admin:articles_image_picker"))
    assert response.status_code == 302  # to the admin's login


# Mail and the day's files ----------------------------------------------------


def test_a_letter_carries_embeds_as_links_and_pictures_as_one_jpeg():
    from newsletters.models import Kind, Letter, LetterItem, Newsletter
    from newsletters.render import Composer

    image = picture()
    article = ArticleFactory(body=every_block(image))
    with_bodies = Newsletter.objects.exclude(kind=Kind.DIGEST).filter(language="en").first()
    letter = Letter.objects.create(newsletter=with_bodies)
    LetterItem.objects.create(letter=letter, article=article, position=1)

    html = Composer(letter).rendered(False, False).html
    assert f'href="{TELEGRAM}"' in html and "Telegram post" in html
    assert "<button" not in html and "data-embed" not in html and "<iframe" not in html
    assert re.search(r'<img[^>]+src="[^"]*/media/renditions/[^"]+\.jpg"', html)


def test_the_days_file_carries_embeds_as_links_and_fetches_nothing(client):
    from django.utils import timezone

    from tests.test_reach_editions import html_of

    image = picture()
    ArticleFactory(body=every_block(image), published_at=timezone.now())

    html = html_of(client, timezone.localdate()).content.decode()
    assert f'href="{TELEGRAM}"' in html
    assert "data-embed" not in html and "<iframe" not in html
    assert 'src="http' not in html and "/media/renditions/" not in html


def test_only_a_page_with_an_embed_carries_the_script_that_loads_it(client):
    plain = ArticleFactory(body="<p>Just words.</p>")
    with_embed = ArticleFactory(body=embed(TELEGRAM))
    assert "embeds.js" not in client.get(plain.get_absolute_url()).content.decode()
    assert "embeds.js" in client.get(with_embed.get_absolute_url()).content.decode()
