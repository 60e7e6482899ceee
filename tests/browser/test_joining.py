"""A reader joins POZIRK+ by card in a real browser: the card form is
localstripe's stand-in for Stripe.js, loaded on that page alone."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from payments import billing
from paywall.models import Plan

from .conftest import PASSWORD

GATE = "The material is available only to POZIRK+"


def test_a_reader_meets_the_gate_signs_up_joins_by_card_and_reads_in_full(
    new_context, live_server, newsroom, stripe_keys, screenshot
):
    localstripe = stripe_keys
    stripe_plan = billing.api().Plan.create(
        id=f"pozirk-browser-{timezone.now():%H%M%S%f}",
        amount=500,
        currency="eur",
        interval="month",
        product={"name": "POZIRK+ monthly"},
    )
    Plan.objects.create(
        name="POZIRK+ monthly",
        duration_days=30,
        stripe_plan_id=stripe_plan.id,
        price_amount=500,
        price_currency="eur",
    )
    context = new_context(base_url=live_server.url)
    elsewhere = []
    context.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc != urlsplit(live_server.url).netloc
            and elsewhere.append((request.frame.url, request.url))
        ),
    )
    console = []
    context.on("console", lambda message: console.append(message.text))
    page = context.new_page()

    page.goto(newsroom.gated.get_absolute_url())
    gate = page.get_by_role("complementary", name=GATE)
    gate.get_by_role("link", name="Subscribe to POZIRK+").click()
    expect(page.get_by_text("5.00 EUR every 30 days")).to_be_visible()
    screenshot(page, "join")
    page.get_by_role("link", name="Choose POZIRK+ monthly").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("card.reader@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group())

    # Back on the plan, with the card form.
    expect(page.get_by_role("heading", name="POZIRK+ monthly")).to_be_visible()
    card = page.locator("[data-card-element]")
    card.get_by_placeholder("number").fill("4242424242424242")
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10115")
    screenshot(page, "card-form")
    page.get_by_role("button", name="Pay and join").click()

    expect(page).to_have_url(re.compile(re.escape(newsroom.gated.get_absolute_url()) + "$"))
    expect(page.get_by_role("status")).to_contain_text("Welcome to POZIRK+")
    expect(page.locator(".story__body")).to_contain_text("Members read who signed the orders.")
    expect(page.locator(".gate")).to_have_count(0)
    screenshot(page, "reading-in-full")

    # Only the card form's page spoke to another host, and only to Stripe's stand-in.
    assert elsewhere, "the card form loaded nothing from Stripe"
    for page_url, url in elsewhere:
        assert url.startswith(localstripe), url
        assert "/plus/join/" in page_url, page_url
    assert not [text for text in console if "Content Security Policy" in text]
    context.close()
