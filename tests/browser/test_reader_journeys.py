"""Readers and subscribers in a real browser: what they click, what they see."""

import re

from django.core import mail
from playwright.sync_api import expect

from .conftest import PASSWORD

GATE = "The material is available only to POZIRK+"


def test_a_reader_browses_meets_the_gate_signs_up_and_confirms(page, newsroom, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", name="Opposition leaders meet in Vilnius")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("navigation", name="Sections", exact=True).get_by_role(
        "link", name="Politics"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politics")
    screenshot(page, "section")

    page.get_by_role("link", name="Opposition leaders meet in Vilnius").click()
    story = page.locator(".story__body")
    expect(story).to_contain_text("The leaders met for six hours.")
    expect(story.get_by_role("heading", name="What they agreed")).to_be_visible()
    expect(page.locator(".gate")).to_have_count(0)
    screenshot(page, "free-article")

    page.get_by_role("link", name="Inside the regional purge").click()
    gate = page.get_by_role("complementary", name=GATE)
    expect(gate).to_be_visible()
    expect(story).to_contain_text("The purge began in the spring.")
    expect(story).not_to_contain_text("Members read who signed the orders.")
    screenshot(page, "gate")

    gate.get_by_role("link", name="Subscribe to POZIRK+").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("new.reader@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    screenshot(page, "signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    screenshot(page, "check-your-email")

    (message,) = mail.outbox
    assert message.to == ["new.reader@example.org"]
    page.goto(re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group())

    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("status")).to_have_text("Your email address is confirmed. Welcome.")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("You do not have POZIRK+.")).to_be_visible()
    screenshot(page, "account")


def test_a_subscriber_logs_in_from_the_gate_reads_and_gives_an_article(
    page, open_browser, newsroom, subscriber, screenshot
):
    page.goto(newsroom.gated.get_absolute_url())
    page.get_by_role("complementary", name=GATE).get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(subscriber.email)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "login")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(re.escape(newsroom.gated.get_absolute_url()) + "$"))
    story = page.locator(".story__body")
    expect(story).to_contain_text("Members read who signed the orders.")
    expect(page.locator(".gate")).to_have_count(0)
    screenshot(page, "unlocked-article")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="POZIRK+").click()
    expect(page).to_have_url(re.compile(r"/plus/$"))
    members_feed = page.get_by_role("region", name="Headlines")
    expect(members_feed.get_by_role("link", name="Inside the regional purge")).to_be_visible()
    expect(members_feed.get_by_role("link", name="How the sanctions are evaded")).to_be_visible()
    expect(
        members_feed.get_by_role("link", name="Opposition leaders meet in Vilnius")
    ).to_have_count(0)
    screenshot(page, "members-feed")

    members_feed.get_by_role("link", name="Inside the regional purge").click()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Gift this article").click()
    # Back on the article, the new link in a field, with a button to copy it.
    expect(page).to_have_url(re.compile(re.escape(newsroom.gated.get_absolute_url()) + "#"))
    expect(page.locator(".messages")).to_contain_text("Gift link created.")
    field = page.get_by_label("Your gift link")
    gift_url = field.input_value()
    assert re.fullmatch(r"https?://[^/]+/en/.+\?gift=\S+", gift_url)
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#new-gift-link-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == gift_url
    screenshot(page, "gift-link")

    friend = open_browser().new_page()
    friend.goto(gift_url)
    expect(friend.get_by_role("note")).to_contain_text("A POZIRK+ member has shared this article")
    expect(friend.locator(".story__body")).to_contain_text("Members read who signed the orders.")
    expect(friend.locator(".gate")).to_have_count(0)
    screenshot(friend, "friend-reads-the-gift")

    friend.goto(newsroom.other_gated.get_absolute_url())
    expect(friend.get_by_role("complementary", name=GATE)).to_be_visible()
    expect(friend.locator(".story__body")).not_to_contain_text("how the money moves")
    screenshot(friend, "friend-meets-the-gate-elsewhere")
