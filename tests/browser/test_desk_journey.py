"""An editor's day at the desk, on a laptop and on a wider screen: the desk,
the review queue, a picture from the library and a Telegram post put into a
reporter's piece, a preview, publication, and the piece on the home page
with its picture and a placeholder that loads nothing from Telegram until a
reader asks. Then the article with every block type passes the Nu HTML
Checker and axe-core."""

import json
import subprocess
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles import workflow
from articles.models import Image, Status
from tests.factories import ArticleFactory, image_bytes

# Their fixtures too, asked for by name below: the checks run as on every page type.
from .test_accessibility import AXE_RUN, axe  # noqa: F401
from .test_valid_html import vnu  # noqa: F401

HEADLINE = "Night buses in Minsk cut to four routes from December, leaving shift workers stranded"
TELEGRAM = "https://t.me/nexta_live/12345"
LAPTOP = {"width": 1280, "height": 800}
WIDE = {"width": 1440, "height": 900}


@pytest.fixture
def library_picture(transactional_db):
    return Image.objects.create(
        file=SimpleUploadedFile("bus.jpg", image_bytes(1200, 800), content_type="image/jpeg"),
        alt="A night bus at a stop on Niezaliežnasci Avenue",
        caption="The last bus of the night",
        credit="Nasta Zacharevič",
    )


@pytest.fixture
def filed_piece(newsroom, reporter):
    article = ArticleFactory(
        draft=True,
        headline=HEADLINE,
        dek="The city transport company cites a shortage of drivers.",
        section=newsroom.politics,
        created_by=reporter,
        body="<p>Minsk will run four night bus routes instead of eleven.</p>",
    )
    workflow.move(article, Status.REVIEW, reporter)
    return article


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width}px wide at {page.viewport_size}"


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def nothing_covers_the_title(page):
    """Bounding boxes: no toolbar button over the page's titles or the headline box."""
    tools = [link.bounding_box() for link in page.locator(".object-tools a").all()]
    assert tools, "the toolbar is missing"
    titles = [
        page.locator("#content h1").bounding_box(),
        page.locator("#content h2").first.bounding_box(),
        page.locator("#id_headline").bounding_box(),
    ]
    for tool in tools:
        for title in titles:
            assert not overlaps(tool, title), (tool, title)
    for i, tool in enumerate(tools):
        for other in tools[i + 1 :]:
            assert not overlaps(tool, other), (tool, other)


@pytest.mark.parametrize("viewport", [LAPTOP, WIDE], ids=["1280x800", "1440x900"])
def test_an_editors_day_from_the_desk_to_the_home_page(
    open_browser,
    new_context,
    live_server,
    editor,
    filed_piece,
    library_picture,
    settings,
    screenshot,
    viewport,
):
    settings.ROOT_URLCONF = "tests.browser.urls"  # pictures are served, as in production
    page = open_browser(editor, viewport=viewport).new_page()

    # The desk: the piece waits in review, with who filed it.
    page.goto("/admin/")
    review = page.get_by_role("region", name="In review")
    expect(review).to_contain_text("filed by reporter@newsroom.test")
    no_sideways_scroll(page)
    screenshot(page, "desk")

    # The review queue, then the piece.
    review.get_by_role("link", name="In review").click()
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("link", name=HEADLINE).click()

    # The writing screen: the headline whole, nothing over it.
    headline = page.locator("#id_headline")
    expect(headline).to_have_value(HEADLINE)
    assert headline.evaluate("box => box.scrollHeight <= box.clientHeight + 1")
    nothing_covers_the_title(page)
    no_sideways_scroll(page)
    body = page.locator(".prose-editor [contenteditable=true]")
    assert body.bounding_box()["height"] >= 300  # room to write
    side = page.locator(".desk-writing__side").bounding_box()
    main = page.locator(".desk-writing__main").bounding_box()
    assert side["x"] >= main["x"] + main["width"]  # the publishing panel beside the text
    screenshot(page, "writing-screen")

    # A picture from the library, after the opening paragraph.
    body.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Image from the library").click()
    dialog = page.locator("dialog")
    dialog.get_by_role("radio", name=library_picture.alt).click()
    expect(dialog.get_by_label("Alt text (required)")).to_have_value(library_picture.alt)
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".ProseMirror .body-image-node img")).to_be_visible()

    # A Telegram post.
    page.get_by_role("button", name="Embed a video or post").click()
    dialog.get_by_label("Address of the video or post").fill(TELEGRAM)
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".ProseMirror .embed-node")).to_contain_text(TELEGRAM)
    page.keyboard.type("Drivers say the cut was announced without warning.")
    expect(page.locator("[data-desk-word-count]")).not_to_have_text("0")
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    screenshot(page, "writing-with-blocks")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The preview: the picture as renditions, the post as a placeholder.
    page.get_by_role("link", name="Preview as reader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.get_by_role("button", name="Load the Telegram post")).to_be_visible()
    page.go_back()

    # Publish now.
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto("/admin/articles/article/")
    row = page.get_by_role("row").filter(has_text=HEADLINE)
    expect(row).to_contain_text("Live")
    no_sideways_scroll(page)
    for link in page.locator("#result_list .field-headline a").all():
        lines = link.evaluate(
            "a => Math.round(a.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(a).lineHeight))"
        )
        assert lines <= 2, link.text_content()
    screenshot(page, "article-list")

    # A reader, in a browser of their own: the home page, then the piece.
    reader = new_context(base_url=live_server.url, viewport=viewport)
    elsewhere = []
    reader.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(live_server.url).netloc
            else None
        ),
    )
    # Nothing may really leave the machine, even after the click.
    reader.route(
        lambda url: urlsplit(url).netloc != urlsplit(live_server.url).netloc,
        lambda route: route.abort(),
    )
    site = reader.new_page()
    site.goto("/")
    site.get_by_role("link", name=HEADLINE).first.click()
    picture = site.locator(".story__body .body-image img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_attribute("alt", library_picture.alt)
    site.wait_for_function(
        "() => document.querySelector('.story__body .body-image img').naturalWidth > 0"
    )
    assert "/media/renditions/" in picture.evaluate("image => image.currentSrc")
    placeholder = site.locator(".story__body .embed")
    expect(placeholder).to_contain_text("Telegram post")
    expect(site.locator("iframe")).to_have_count(0)
    site.wait_for_load_state("networkidle")
    no_sideways_scroll(site)
    screenshot(site, "on-the-site")
    assert elsewhere == [], elsewhere  # nothing from Telegram before the click

    site.get_by_role("button", name="Load the Telegram post").click()
    frame = site.locator(".story__body iframe")
    expect(frame).to_have_attribute("title", "Telegram post")
    assert frame.get_attribute("src").startswith(reverse("articles:embed") + "?url=")
    site.wait_for_timeout(500)
    assert elsewhere and all(urlsplit(url).netloc == "t.me" for url in elsewhere), elsewhere
    screenshot(site, "embed-loaded")


@pytest.fixture
def every_block(newsroom, library_picture):
    return ArticleFactory(
        headline="Every block a story can hold",
        section=newsroom.politics,
        body=(
            "<p>An opening paragraph with <strong>bold</strong>, <em>italic</em> and a "
            '<a href="https://spring96.org/en">link</a>.</p><h2>A subheading</h2>'
            "<ul><li>A list item</li></ul><ol><li>A numbered item</li></ol>"
            "<blockquote><p>A quotation.</p></blockquote>"
            f'<figure class="body-image" data-image="{library_picture.pk}"></figure>'
            '<blockquote class="pull-quote"><p>Four routes for a city of two million</p>'
            "</blockquote><hr>"
            f'<figure class="embed"><a href="{TELEGRAM}">{TELEGRAM}</a></figure>'
            '<figure class="embed"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></figure>"
            '<figure class="embed"><a href="https://x.com/franakviacorka/status/1234567890">'
            "https://x.com/franakviacorka/status/1234567890</a></figure>"
            "<p>A closing paragraph.</p>"
        ),
    )


def test_an_article_with_every_block_is_valid_and_accessible(
    open_browser, every_block, settings, artifacts, request
):
    settings.ROOT_URLCONF = "tests.browser.urls"
    checker, axe_script = request.getfixturevalue("vnu"), request.getfixturevalue("axe")
    found = []
    pages = []
    for scheme in ("light", "dark"):
        page = open_browser(color_scheme=scheme, bypass_csp=True, viewport=LAPTOP).new_page()
        response = page.goto(every_block.get_absolute_url())
        if scheme == "light":
            pages.append(artifacts / "every-block.html")
            pages[-1].write_text(response.text())
        # As for every page type: axe cannot read colours through the section
        # links' edge-shadow gradient, so it checks them against the page.
        page.add_style_tag(content=".section-nav ul { background: none; }")
        page.add_script_tag(path=axe_script)
        found += [
            f"{scheme}: {rule['id']} ({rule['impact']}) {rule['help']}: "
            + ", ".join(" ".join(node["target"]) for node in rule["nodes"])
            for rule in page.evaluate(AXE_RUN)
        ]
        page.screenshot(path=artifacts / f"every-block-{scheme}.png", full_page=True)
    assert not found, "\n".join(found)

    # The frame page, as HTML only: a browser would load Telegram into it.
    pages.append(artifacts / "embed-frame.html")
    pages[-1].write_text(
        Client().get(reverse("articles:embed"), {"url": TELEGRAM}).content.decode()
    )
    checked = subprocess.run(
        ["java", "-jar", checker, "--format", "json", "--stdout", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [
        f"{message.get('lastLine')}: {message['message']}  {message.get('extract', '').strip()}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n".join(errors)


def test_on_a_narrow_screen_the_publishing_panel_goes_below_the_text(
    open_browser, editor, filed_piece
):
    page = open_browser(editor, viewport={"width": 900, "height": 900}).new_page()
    page.goto(f"/admin/articles/article/{filed_piece.pk}/change/")
    expect(page.locator(".prose-editor [contenteditable=true]")).to_be_visible()
    main = page.locator(".desk-writing__main").bounding_box()
    side = page.locator(".desk-writing__side").bounding_box()
    assert side["y"] >= main["y"] + main["height"]
    nothing_covers_the_title(page)
    no_sideways_scroll(page)
