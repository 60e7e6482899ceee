"""An editor at the desk: writes, schedules, previews and publishes a story
in the admin."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import image_bytes
from tests.second_factor import give_app, pass_second_factor

HEADLINE = "Court jails three journalists in Homiel"


def test_an_editor_writes_schedules_and_publishes_a_story(
    page, newsroom, editor, settings, screenshot
):
    settings.ROOT_URLCONF = "tests.browser.urls"  # the lead image is served, as in production

    give_app(editor)
    page.goto("/admin/")
    page.get_by_label("Email address").fill(editor.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, editor)
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name="Add article").click()

    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Dek").fill("The three worked for independent outlets.")

    body = page.locator(".prose-editor [contenteditable=true]")
    body.click()
    page.keyboard.type("The verdict was read in an almost empty room.")
    page.keyboard.press("Enter")
    page.locator(".prose-menubar__selected").click()  # the block-type menu: "paragraph"
    page.get_by_role("button", name="Heading 2").click()
    page.keyboard.type("What the court heard")
    page.keyboard.press("Enter")
    page.keyboard.type("The charge was ")
    page.keyboard.press("Control+B")
    page.keyboard.type("extremism")
    page.keyboard.press("Control+B")
    page.keyboard.type(". Read the statement")
    for _ in "the statement":
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="insert link").click()
    page.get_by_label("URL").fill("https://spring96.org/en")
    page.get_by_role("button", name="Update").click()

    page.locator(".field-section .select2-selection").click()
    page.keyboard.type("Politics")
    page.get_by_role("option", name="Politics").click()

    page.get_by_label("Lead image:").set_input_files(
        files=[{"name": "court.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(1200, 675)}]
    )
    page.get_by_label("Alt text").fill("The court building in Homiel")

    tomorrow = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Status").select_option("published")
    page.locator("[name=published_at_0]").fill(tomorrow.strftime("%Y-%m-%d"))
    page.locator("[name=published_at_1]").fill(tomorrow.strftime("%H:%M:%S"))
    screenshot(page, "writing")
    page.get_by_role("button", name="Save", exact=True).click()

    row = page.get_by_role("row").filter(has_text=HEADLINE)
    expect(row).to_contain_text("Scheduled for")
    screenshot(page, "scheduled")
    page.goto("/")
    expect(page.get_by_role("link", name=HEADLINE)).to_have_count(0)

    page.go_back()
    row.get_by_role("link", name=HEADLINE).click()
    page.get_by_role("link", name="Preview as reader").click()
    banner = page.get_by_role("region", name=re.compile("Preview — not published"))
    expect(banner).to_contain_text("Scheduled for")
    expect(banner).to_contain_text("as a free reader")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    screenshot(page, "preview-as-reader")
    banner.get_by_role("link", name="As a POZIRK+ subscriber").click()
    expect(banner).to_contain_text("as a POZIRK+ subscriber")
    expect(page.locator(".story__body strong")).to_have_text("extremism")
    screenshot(page, "preview-as-subscriber")

    page.goto("/admin/articles/article/")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish now")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 article is now live.")).to_be_visible()
    screenshot(page, "published")

    page.goto("/")
    page.get_by_role("link", name=HEADLINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    story = page.locator(".story__body")
    expect(story.get_by_role("heading", level=2, name="What the court heard")).to_be_visible()
    expect(story.locator("strong")).to_have_text("extremism")
    expect(story.get_by_role("link", name="the statement")).to_have_attribute(
        "href", "https://spring96.org/en"
    )
    lead_image = page.get_by_role("img", name="The court building in Homiel")
    expect(lead_image).to_be_visible()
    # The browser picks one of the renditions made when the image was saved.
    assert lead_image.evaluate("image => image.naturalWidth") > 0
    assert "/media/renditions/" in lead_image.evaluate("image => image.currentSrc")
    expect(page).to_have_url(re.compile(r"/politics/court-jails-three-journalists-in-homiel/$"))
    screenshot(page, "on-the-site")
