"""Joining POZIRK+ by card, against localstripe (a stateful fake Stripe
server the suite runs): the join page, the card form's SetupIntent, the first
invoice, renewals, failed payments and their grace, cancelling and resuming,
changing card, deleting an account, and Stripe's signed webhooks."""

import re
from datetime import timedelta

import pytest
import stripe
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from payments import billing
from payments.models import CardSubscription, StripeCustomer, WebhookEvent
from paywall.models import Plan, Subscription, SubscriptionSource
from tests.factories import ArticleFactory
from tests.localstripe import (
    FAILING_CARD,
    confirm_card,
    deliver,
    post_event,
    recorded_events,
    stripe_get,
)
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

CANARY = "CANARY-the-rest-of-the-story"
JOIN = reverse("payments:join")


@pytest.fixture
def plans(stripe_keys):
    """POZIRK+ monthly and yearly, each tied to a plan made in Stripe, their
    prices copied by sync_plans as an operator would."""
    suffix = timezone.now().strftime("%H%M%S%f")
    made = []
    for name, days, interval, amount in (
        ("POZIRK+ monthly", 30, "month", 500),
        ("POZIRK+ yearly", 365, "year", 5000),
    ):
        stripe_plan = billing.api().Plan.create(
            id=f"pozirk-{interval}-{suffix}",
            amount=amount,
            currency="eur",
            interval=interval,
            product={"name": name},
        )
        made.append(
            Plan.objects.create(name=name, duration_days=days, stripe_plan_id=stripe_plan.id)
        )
    call_command("sync_plans", stdout=open("/dev/null", "w"))
    return [Plan.objects.get(pk=plan.pk) for plan in made]


@pytest.fixture
def monthly(plans):
    return plans[0]


@pytest.fixture
def gated():
    return ArticleFactory(
        gated=True, body=f"<p>The teaser paragraph.</p><p>{CANARY} and the rest.</p>"
    )


@pytest.fixture
def reader_client(client, reader):
    reader.email_confirmed_at = timezone.now()
    reader.save()
    client.force_login(reader)
    return client


def client_secret(response):
    return re.search(r'data-client-secret="([^"]+)"', response.text).group(1)


def join(client, localstripe, plan, card=None, next_url=""):
    """What a reader does: open the plan's card form, type the card (Stripe.js
    sends it to Stripe), and submit the form."""
    url = reverse("payments:join-plan", args=[plan.pk])
    form = client.get(url)
    assert form.status_code == 200
    setup_intent = confirm_card(
        localstripe, client_secret(form), **({"number": card} if card else {})
    )
    return client.post(url, {"setup_intent": setup_intent, "next": next_url}), setup_intent


def card_of(user):
    return CardSubscription.objects.select_related("membership").get(customer__user=user)


def test_without_stripe_keys_the_join_page_offers_codes_and_a_contact_address(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.POZIRK_CONTACT_EMAIL = "plus@newsroom.test"
    Plan.objects.create(name="POZIRK+ monthly", duration_days=30, stripe_plan_id="price_x")

    page = client.get(JOIN)

    assert page.status_code == 200
    assert "Redeem a code" in page.text
    assert "mailto:plus@newsroom.test" in page.text
    assert "Pay by card" not in page.text
    assert client.get(reverse("payments:join-plan", args=[1])).status_code == 302


def test_the_gate_the_header_and_the_about_page_lead_to_the_join_page(client, gated):
    article = client.get(gated.get_absolute_url()).text
    assert f"{JOIN}?next={gated.get_absolute_url()}" in article.replace("%2F", "/")
    assert f'href="{JOIN}"' in client.get("/").text
    assert f'href="{JOIN}"' in client.get(reverse("paywall:plus-about")).text


def test_plans_show_the_price_stripe_charges_and_only_the_join_pages_load_stripe_js(
    client, plans, localstripe
):
    page = client.get(JOIN)

    assert "POZIRK+ monthly" in page.text and "5.00 EUR every 30 days" in page.text
    assert "50.00 EUR every 365 days" in page.text
    assert localstripe not in page["Content-Security-Policy"]
    form = client.get(reverse("payments:join-plan", args=[plans[0].pk]))
    # Logged out: an account first, and back to this plan after.
    assert "Create an account" in form.text and localstripe not in form.text


def test_a_logged_out_reader_signs_up_and_comes_back_to_the_plan_they_chose(client, monthly):
    plan_url = reverse("payments:join-plan", args=[monthly.pk]) + "?next=/politics/story/"
    page = client.get(plan_url)
    signup = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page.text).group(1)

    form = client.get(signup.replace("&amp;", "&"))
    client.post(
        signup.replace("&amp;", "&"),
        {
            "email": "new.reader@newsroom.test",
            "password1": "a long reader passphrase",
            "password2": "a long reader passphrase",
            "next": re.search(r'name="next" value="([^"]+)"', form.text).group(1),
        },
    )
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/confirm/\S+/)", message.body).group(1)
    landed = client.get(link)

    assert landed.status_code == 302
    assert landed["Location"] == plan_url
    assert "data-client-secret" in client.get(landed["Location"]).text


def test_a_reader_joins_by_card_and_reads_at_once(
    reader_client, reader, monthly, gated, localstripe
):
    assert CANARY not in reader_client.get(gated.get_absolute_url()).text
    form = reader_client.get(reverse("payments:join-plan", args=[monthly.pk]))
    # Stripe.js is allowed on this page, and only here.
    assert f"{localstripe}/js.stripe.com/v3/" in form.text
    assert localstripe in form["Content-Security-Policy"]

    response, _ = join(reader_client, localstripe, monthly, next_url=gated.get_absolute_url())

    assert response.status_code == 302 and response["Location"] == gated.get_absolute_url()
    assert CANARY in reader_client.get(gated.get_absolute_url()).text
    card = card_of(reader)
    membership = card.membership
    assert membership.source == SubscriptionSource.PAYMENT and membership.plan == monthly
    at_stripe = stripe_get(localstripe, f"/v1/subscriptions/{card.stripe_id}")
    assert at_stripe["status"] == "active"
    assert membership.ends_at == card.paid_through
    assert int(card.paid_through.timestamp()) == at_stripe["current_period_end"]
    # The account page shows the plan, its price and the next renewal.
    account = reader_client.get(reverse("paywall:account")).text
    assert "POZIRK+ monthly" in account and "5.00 EUR" in account and "Next renewal" in account


def test_what_we_store_is_stripe_ids_and_paid_periods(reader_client, reader, monthly, localstripe):
    join(reader_client, localstripe, monthly)

    customer = StripeCustomer.objects.get(user=reader)
    at_stripe = stripe_get(localstripe, f"/v1/customers/{customer.customer_id}")
    assert at_stripe["email"] is None and at_stripe["name"] is None
    stored = [
        str(value)
        for model in (StripeCustomer, CardSubscription)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert not any("4242" in value or "@" in value for value in stored)


def test_a_reader_is_never_charged_twice(reader_client, reader, monthly, plans, localstripe):
    first, setup_intent = join(reader_client, localstripe, monthly)
    assert first.status_code == 302

    url = reverse("payments:join-plan", args=[monthly.pk])
    retried = reader_client.post(url, {"setup_intent": setup_intent}, follow=True)
    other_tab = reader_client.post(
        reverse("payments:join-plan", args=[plans[1].pk]), {"setup_intent": setup_intent}
    )

    assert "You have POZIRK+" in other_tab.text
    assert "already" in retried.text
    customer = StripeCustomer.objects.get(user=reader).customer_id
    subscriptions = stripe_get(localstripe, "/v1/subscriptions", customer=customer, status="all")
    assert len(subscriptions["data"]) == 1
    assert Subscription.objects.filter(user=reader).count() == 1
    # The join page itself says so and offers nothing to buy.
    assert "You already have POZIRK+" in reader_client.get(JOIN).text


def test_a_declined_card_is_said_so_and_leaves_nothing_to_pay(
    reader_client, reader, monthly, gated, localstripe
):
    response, _ = join(reader_client, localstripe, monthly, card=FAILING_CARD)

    assert response.status_code == 400
    assert "declined" in response.text
    assert CANARY not in reader_client.get(gated.get_absolute_url()).text
    assert not CardSubscription.objects.filter(customer__user=reader).exists()

    again, _ = join(reader_client, localstripe, monthly)
    assert again.status_code == 302
    assert CANARY in reader_client.get(gated.get_absolute_url()).text


def test_a_forged_setup_intent_subscribes_no_one(reader_client, monthly, localstripe):
    url = reverse("payments:join-plan", args=[monthly.pk])
    reader_client.get(url)
    for forged in ["", "seti_doesnotexist", "'; drop table", "seti_" + "x" * 500]:
        response = reader_client.post(url, {"setup_intent": forged})
        assert response.status_code == 400
        assert "not confirmed" in response.text
    assert not CardSubscription.objects.exists()


def test_access_from_the_first_invoice_counts_once_whether_the_request_or_webhook_comes_first(
    client, reader_client, reader, monthly, localstripe
):
    join(reader_client, localstripe, monthly)
    card = card_of(reader)

    for event_type in ("invoice.payment_succeeded", "customer.subscription.created"):
        assert deliver(client, localstripe, event_type, card.stripe_id).status_code == 200

    assert Subscription.objects.filter(user=reader).count() == 1
    assert card_of(reader).membership.ends_at == card.membership.ends_at


def test_a_replayed_webhook_changes_nothing(client, reader_client, reader, monthly, localstripe):
    join(reader_client, localstripe, monthly)
    card = card_of(reader)
    (event,) = recorded_events(localstripe, "customer.subscription.created", card.stripe_id)

    first = post_event(client, event)
    card.membership.ends_at = timezone.now() + timedelta(days=1)
    card.membership.save()
    replay = post_event(client, event)

    assert first.text == "ok" and replay.text == "already handled"
    assert WebhookEvent.objects.filter(event_id=event["id"]).count() == 1
    assert card_of(reader).membership.ends_at == card.membership.ends_at


@pytest.mark.parametrize("how", ["forged", "stale", "unsigned", "garbage"])
def test_forged_stale_and_unsigned_webhooks_are_refused(client, stripe_keys, how):
    event = {"id": "evt_forged", "object": "event", "type": "invoice.paid", "data": {}}
    if how == "forged":
        response = post_event(client, event, secret="whsec_not_ours")
    elif how == "stale":
        response = post_event(client, event, timestamp=timezone.now().timestamp() - 600)
    elif how == "unsigned":
        response = client.post("/plus/stripe/webhook/", event, content_type="application/json")
    else:
        response = client.post(
            "/plus/stripe/webhook/",
            b"\xff\x00not json",
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=00",
        )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_renewal_extends_the_membership_to_the_end_of_the_paid_period(
    client, reader_client, reader, monthly, localstripe
):
    join(reader_client, localstripe, monthly)
    card = card_of(reader)
    period_end = card.paid_through
    # As things stood a month ago: paid until today, renewal due.
    CardSubscription.objects.filter(pk=card.pk).update(paid_through=period_end - timedelta(days=30))
    Subscription.objects.filter(pk=card.membership_id).update(
        ends_at=period_end - timedelta(days=30)
    )

    # Stripe charges the renewal and tells us.
    invoice = billing.api().Invoice.create(
        customer=card.customer.customer_id, subscription=card.stripe_id
    )
    assert billing.api().Invoice.pay(invoice.id).status == "paid"
    assert deliver(client, localstripe, "invoice.payment_succeeded", invoice.id).status_code == 200

    card = card_of(reader)
    assert card.paid_through == period_end
    assert card.membership.ends_at == period_end
    assert Subscription.objects.filter(user=reader).count() == 1


def test_a_failed_payment_gives_a_grace_period_then_access_ends(
    client, reader_client, reader, plans, gated, localstripe, settings
):
    settings.POZIRK_PAYMENT_GRACE_DAYS = 3
    monthly, yearly = plans
    join(reader_client, localstripe, monthly)
    # The reader's card now fails (set through the change-card form).
    form = reader_client.get(reverse("payments:change-card"))
    failing = confirm_card(localstripe, client_secret(form), number=FAILING_CARD)
    changed = reader_client.post(reverse("payments:change-card"), {"setup_intent": failing})
    assert changed.status_code == 302
    card = card_of(reader)
    yesterday = timezone.now() - timedelta(days=1)
    CardSubscription.objects.filter(pk=card.pk).update(paid_through=yesterday)
    Subscription.objects.filter(pk=card.membership_id).update(ends_at=yesterday)

    # Stripe charges the subscription and the card fails: it is past due.
    # (localstripe marks a subscription past due when a charge it makes for
    # the subscription itself fails, as on a change of plan in Stripe's
    # dashboard; a renewal does the same at Stripe.)
    item = stripe_get(localstripe, f"/v1/subscriptions/{card.stripe_id}")["items"]["data"][0]
    billing.api().Subscription.modify(
        card.stripe_id, items=[{"id": item["id"], "plan": yearly.stripe_plan_id}]
    )
    assert stripe_get(localstripe, f"/v1/subscriptions/{card.stripe_id}")["status"] == "past_due"
    assert deliver(client, localstripe, "invoice.created", card.stripe_id).status_code == 200

    card = card_of(reader)
    assert card.status == "past_due" and card.plan == yearly
    assert card.membership.ends_at == yesterday + timedelta(days=3)
    assert CANARY in reader_client.get(gated.get_absolute_url()).text
    assert "Your last payment failed" in reader_client.get(reverse("paywall:account")).text
    assert "In the grace period" in admin_revenue_page(client)

    # Stripe gives up and cancels the subscription: access ends with what was paid.
    billing.api().Subscription.cancel(card.stripe_id)
    deleted = deliver(client, localstripe, "customer.subscription.deleted", card.stripe_id)
    assert deleted.status_code == 200
    assert card_of(reader).membership.ends_at == yesterday
    assert CANARY not in reader_client.get(gated.get_absolute_url()).text

    # An old event arriving late asks Stripe again, and resurrects nothing.
    late = recorded_events(localstripe, "customer.subscription.created", card.stripe_id)[-1]
    assert post_event(client, late).status_code == 200
    assert card_of(reader).membership.ends_at == yesterday
    assert CANARY not in reader_client.get(gated.get_absolute_url()).text


def admin_revenue_page(client):
    from django.contrib.auth.models import Group

    from paywall.models import User

    manager = User.objects.create_user(
        email="members.desk@newsroom.test", password="x", is_staff=True
    )
    manager.groups.add(Group.objects.get(name="Subscriptions manager"))
    log_in_staff(client, manager)
    page = client.get(reverse("admin:payments_revenue"))
    assert page.status_code == 200
    assert 'data-revenue="grace">1<' in page.text
    client.logout()
    return page.text


def test_a_member_cancels_at_the_end_of_the_period_and_resumes_before_it(
    client, reader_client, reader, monthly, gated, localstripe
):
    join(reader_client, localstripe, monthly)
    card = card_of(reader)
    cancel = reverse("payments:cancel")

    confirmation = reader_client.get(cancel)
    assert "Cancel at the end of the paid period" in confirmation.text
    reader_client.post(cancel)

    at_stripe = stripe_get(localstripe, f"/v1/subscriptions/{card.stripe_id}")
    assert at_stripe["cancel_at_period_end"] is True
    assert CANARY in reader_client.get(gated.get_absolute_url()).text
    assert "will not renew" in reader_client.get(reverse("paywall:account")).text

    reader_client.post(reverse("payments:resume"))
    at_stripe = stripe_get(localstripe, f"/v1/subscriptions/{card.stripe_id}")
    assert at_stripe["cancel_at_period_end"] is False
    assert "Next renewal" in reader_client.get(reverse("paywall:account")).text

    # Cancelled again, and the period ends: Stripe deletes the subscription.
    reader_client.post(cancel)
    billing.api().Subscription.cancel(card.stripe_id)
    deliver(client, localstripe, "customer.subscription.deleted", card.stripe_id)
    card = card_of(reader)
    assert card.status == "canceled"
    # Access to the end of what was paid.
    assert card.membership.ends_at == card.paid_through > timezone.now()


def test_a_member_changes_card(reader_client, reader, monthly, localstripe):
    join(reader_client, localstripe, monthly)
    customer = StripeCustomer.objects.get(user=reader).customer_id
    before = stripe_get(localstripe, f"/v1/customers/{customer}")["invoice_settings"]

    form = reader_client.get(reverse("payments:change-card"))
    assert localstripe in form["Content-Security-Policy"]
    new_card = confirm_card(localstripe, client_secret(form))
    response = reader_client.post(reverse("payments:change-card"), {"setup_intent": new_card})

    assert response.status_code == 302
    after = stripe_get(localstripe, f"/v1/customers/{customer}")["invoice_settings"]
    new_method = stripe_get(localstripe, f"/v1/setup_intents/{new_card}")["payment_method"]
    assert after["default_payment_method"] == new_method != before["default_payment_method"]


def test_deleting_an_account_cancels_the_subscription_and_deletes_the_customer(
    reader_client, reader, monthly, localstripe
):
    reader.set_password("correct horse battery")
    reader.save()
    reader_client.force_login(reader)
    join(reader_client, localstripe, monthly)
    card = card_of(reader)
    customer_id, subscription_id = card.customer.customer_id, card.stripe_id

    response = reader_client.post(
        reverse("paywall:delete-account"), {"password": "correct horse battery"}
    )

    assert response.status_code == 200
    assert stripe_get(localstripe, f"/v1/subscriptions/{subscription_id}")["status"] == "canceled"
    with pytest.raises(stripe.InvalidRequestError):
        billing.api().Customer.retrieve(customer_id)
    assert not StripeCustomer.objects.exists() and not CardSubscription.objects.exists()
    (left,) = Subscription.objects.all()
    assert left.user is None and left.source == SubscriptionSource.PAYMENT


def test_an_account_is_not_deleted_while_stripe_cannot_be_reached(
    reader_client, reader, monthly, localstripe, settings
):
    reader.set_password("correct horse battery")
    reader.save()
    reader_client.force_login(reader)
    join(reader_client, localstripe, monthly)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = reader_client.post(
        reverse("paywall:delete-account"), {"password": "correct horse battery"}, follow=True
    )

    assert "nothing was deleted" in response.text
    assert StripeCustomer.objects.filter(user=reader).exists()


def test_when_stripe_is_unreachable_the_reader_is_asked_to_try_again(
    reader_client, monthly, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    response = reader_client.get(reverse("payments:join-plan", args=[monthly.pk]))

    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "try again" in response.text


def test_sync_plans_copies_prices_from_stripe(plans):
    monthly, yearly = plans
    assert (monthly.price_amount, monthly.price_currency) == (500, "eur")
    assert (yearly.price_amount, yearly.price_currency) == (5000, "eur")
