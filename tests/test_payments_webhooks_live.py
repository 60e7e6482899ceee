"""Stripe's webhooks as Stripe sends them: localstripe calls the live test
server, signed with the endpoint's secret, a moment after each change."""

import time

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from payments import billing
from payments.models import CardSubscription, WebhookEvent
from paywall.models import Plan, User
from tests.localstripe import WEBHOOK_SECRET, confirm_card
from tests.test_payments import client_secret


@pytest.fixture
def webhook_to_live_server(stripe_keys, live_server):
    """localstripe's webhook registered to the live server; silenced after
    (it lives as long as the session's localstripe)."""
    endpoint = f"{stripe_keys}/_config/webhooks/newsroom-tests"
    url = live_server.url + reverse("payments:stripe-webhook")
    requests.post(
        endpoint, json={"url": url, "secret": WEBHOOK_SECRET}, timeout=5
    ).raise_for_status()
    yield stripe_keys
    requests.post(
        endpoint, json={"url": url, "secret": WEBHOOK_SECRET, "events": ["never.sent"]}, timeout=5
    ).raise_for_status()


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "localstripe's webhook did not arrive"
        time.sleep(0.2)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks its tables between the live server's "
    "threads, which localstripe's webhooks arrive in at once; .ci/run's PostgreSQL pass runs it",
)
@pytest.mark.django_db(transaction=True)
def test_localstripe_calls_the_site_signed_and_the_site_follows(webhook_to_live_server):
    localstripe = webhook_to_live_server
    stripe_plan = billing.api().Plan.create(
        id=f"pozirk-live-{timezone.now():%H%M%S%f}",
        amount=500,
        currency="eur",
        interval="month",
        product={"name": "POZIRK+ monthly"},
    )
    plan = Plan.objects.create(
        name="POZIRK+ monthly",
        duration_days=30,
        stripe_plan_id=stripe_plan.id,
        price_amount=500,
        price_currency="eur",
    )
    reader = User.objects.create_user(email="live@newsroom.test", password="x")
    client = Client()
    client.force_login(reader)
    url = reverse("payments:join-plan", args=[plan.pk])
    setup_intent = confirm_card(localstripe, client_secret(client.get(url)))
    client.post(url, {"setup_intent": setup_intent})
    card = CardSubscription.objects.get(customer__user=reader)

    wait_for(
        lambda: (
            {"invoice.payment_succeeded", "customer.subscription.created"}
            <= set(WebhookEvent.objects.values_list("type", flat=True))
        )
    )
    assert CardSubscription.objects.get(pk=card.pk).membership_id == card.membership_id

    # The subscription ends at Stripe: Stripe's webhook alone tells the site.
    billing.api().Subscription.cancel(card.stripe_id)
    wait_for(lambda: CardSubscription.objects.get(pk=card.pk).status == "canceled")
