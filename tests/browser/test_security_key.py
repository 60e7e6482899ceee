"""An editor puts a security key on their account and then logs in with it:
a real WebAuthn ceremony, against Chromium's virtual authenticator."""

import re

from playwright.sync_api import expect

from articles.models import Article, Status
from security.models import Event, Factor, SecurityEvent
from tests.factories import ArticleFactory
from tests.second_factor import give_app, pass_second_factor

PASSWORD = "correct horse battery"
HEADLINE = "Customs officers quit over the new rules"


def log_in_with_password(page, user):
    page.goto("/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_editor_registers_a_security_key_logs_in_with_it_and_publishes(
    page, newsroom, desk_editor, live_server, settings, screenshot
):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    story = ArticleFactory(headline=HEADLINE, section=newsroom.politics, status=Status.REVIEW)
    # Chromium's virtual authenticator stands in for a key on the USB port:
    # it answers the browser's WebAuthn calls as a real one would.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    # Until now the editor used an authenticator app.
    give_app(desk_editor)
    log_in_with_password(page, desk_editor)
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    pass_second_factor(page, desk_editor)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/accounts/second-factor/")
    page.get_by_role("button", name="Add a security key").click()
    expect(page.get_by_text("Key added")).to_be_visible()
    screenshot(page, "key-added")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    assert SecurityEvent.objects.filter(
        account=desk_editor, kind=Event.FACTOR_ADDED, factor=Factor.KEY
    ).exists()
    # Recovery codes, for the day the key is lost.
    page.get_by_role("button", name="Make recovery codes").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10

    # Log out, and in again: the password, then the key.
    page.goto("/admin/")
    page.get_by_role("button", name="Log out").click()
    log_in_with_password(page, desk_editor)
    screenshot(page, "second-step")
    page.get_by_role("button", name="Use your security key").click()
    # The key's check and the login it finishes run on a busy test machine.
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=15_000)
    login = SecurityEvent.objects.filter(account=desk_editor, kind=Event.LOGIN).first()
    assert login.factor == Factor.KEY

    # And publish.
    page.get_by_role("link", name="Articles", exact=True).click()
    row = page.get_by_role("row").filter(has_text=HEADLINE)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish now")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 article is now live.")).to_be_visible()
    screenshot(page, "published")
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED
    page.goto("/")
    expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
