"""Card payments through Stripe: customers, cards, subscriptions, their sync.

Stripe holds everything about a payer; we ask it. Whatever happens (a reader
joins, a webhook arrives, a reader cancels), the membership is decided from
the subscription's current state as Stripe tells it now, never from the
order events arrive in: an old event cannot resurrect a cancelled membership,
and a paid period is never shortened (`paid_through` only grows).

Only the parts of Stripe's API that localstripe implements are used, so the
test suite runs all of it against a real (fake) server: Customers, Plans,
SetupIntents and PaymentMethods, Subscriptions, Invoices, Events.
"""

import logging
import re
from datetime import UTC, datetime, timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paywall.access import has_plus
from paywall.accounts import AccountNotDeletable
from paywall.models import Plan, Subscription, SubscriptionSource, User

from .models import CardSubscription, StripeCustomer

log = logging.getLogger(__name__)

SETUP_INTENT_ID = re.compile(r"^seti_[A-Za-z0-9]{1,100}$")


class AlreadyMember(Exception):
    """The reader has POZIRK+ or a card subscription Stripe may still charge."""


class CardNotReady(Exception):
    """The card form's SetupIntent is not this reader's, or did not succeed."""


class FirstPaymentFailed(Exception):
    """Stripe could not charge the first invoice; nothing is left to pay."""


def configured():
    """Are card payments on? Both keys must be in the environment."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def api():
    """The stripe library, set up from the settings (read on every call, so a
    change of settings, as in tests, is followed)."""
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE or "https://api.stripe.com"
    stripe.max_network_retries = 2
    return stripe


def _moment(timestamp):
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _id(value):
    """An id from a field Stripe gives as an id or as an expanded object."""
    if value is None or isinstance(value, str):
        return value
    return value.id


# Customers and cards


def customer_for(user):
    """The reader's Stripe customer, made the first time. Stripe is told
    nothing about them but our account number: no email, no name."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = StripeCustomer.objects.filter(user=user).first()
        if existing is not None:
            return existing
        customer = api().Customer.create(
            metadata={"account": str(user.pk)}, idempotency_key=f"customer-{user.pk}"
        )
        return StripeCustomer.objects.create(user=user, customer_id=customer.id)


def start_card_setup(user):
    """A SetupIntent for the card form: its client secret lets Stripe.js send
    the card to Stripe directly; the card never reaches our server."""
    customer = customer_for(user)
    intent = api().SetupIntent.create(
        customer=customer.customer_id, usage="off_session", payment_method_types=["card"]
    )
    return intent.client_secret


def _use_card(customer, setup_intent_id):
    """Make the card the form just set up the customer's card for invoices."""
    if not isinstance(setup_intent_id, str) or not SETUP_INTENT_ID.match(setup_intent_id):
        raise CardNotReady
    try:
        intent = api().SetupIntent.retrieve(setup_intent_id)
    except stripe.InvalidRequestError as error:
        raise CardNotReady from error
    if _id(intent.customer) != customer.customer_id or intent.status != "succeeded":
        raise CardNotReady
    method_id = _id(intent.payment_method)
    method = api().PaymentMethod.retrieve(method_id)
    if _id(method.customer) != customer.customer_id:
        api().PaymentMethod.attach(method_id, customer=customer.customer_id)
    api().Customer.modify(
        customer.customer_id, invoice_settings={"default_payment_method": method_id}
    )
    return method_id


# Joining


def subscribe(user, plan, setup_intent_id):
    """Subscribe the reader to `plan` with the card their form set up, and
    give access at once if Stripe says the first invoice is paid.

    Never twice: the reader's row is locked while we check that they have
    neither POZIRK+ nor a live card subscription and while Stripe creates the
    subscription, so double clicks, two tabs and retried requests find the
    first one. (Stripe's idempotency key guards the same on Stripe's side.)
    A declined card raises stripe.CardError or FirstPaymentFailed and leaves
    no subscription.
    """
    customer = customer_for(user)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if CardSubscription.objects.of(user).live().exists() or has_plus(user):
            raise AlreadyMember
        _use_card(customer, setup_intent_id)
        subscription = api().Subscription.create(
            customer=customer.customer_id,
            items=[{"plan": plan.stripe_plan_id}],
            payment_behavior="error_if_incomplete",
            expand=["latest_invoice"],
            idempotency_key=f"subscribe-{setup_intent_id}",
        )
        if subscription.status == "incomplete":
            # The first charge failed. Stripe (error_if_incomplete) would
            # have refused already; localstripe leaves the subscription
            # waiting for payment, so it is ended here: nothing stays due.
            api().Subscription.cancel(subscription.id)
            raise FirstPaymentFailed
        card = CardSubscription.objects.create(
            customer=customer, stripe_id=subscription.id, plan=plan, status=subscription.status
        )
        apply(card, subscription)
    return card


# Keeping in step with Stripe


def _invoice_subscription_id(invoice):
    subscription = getattr(invoice, "subscription", None)
    if subscription is None:
        parent = getattr(invoice, "parent", None)
        details = getattr(parent, "subscription_details", None) if parent else None
        subscription = getattr(details, "subscription", None) if details else None
    return _id(subscription)


def paid_until(invoice):
    """The end of the period a paid invoice pays for (its subscription line's
    period: an invoice's own period_end is the period before), or None."""
    if invoice is None or isinstance(invoice, str) or invoice.status != "paid":
        return None
    ends = [line.period.end for line in invoice.lines.data if getattr(line, "period", None)]
    return _moment(max(ends)) if ends else None


def access_ends(card):
    """When a card subscription's access ends, from its state at Stripe.

    Paid periods count in full, whatever the state (cancelled at the period's
    end: to the end of what was paid). While Stripe retries a failed renewal
    (past_due) the reader keeps reading for the grace period after it."""
    if card.paid_through is None:
        return None
    if card.status == "past_due":
        return card.paid_through + timedelta(days=settings.POZIRK_PAYMENT_GRACE_DAYS)
    return card.paid_through


def apply(card, subscription, paid_invoice=None):
    """Bring `card` and its membership in line with `subscription` (a Stripe
    Subscription as Stripe gives it now, latest invoice expanded or not).

    Called with the card's row locked (sync, subscribe), so two webhooks for
    the same subscription at once cannot both make a membership."""
    ends = [card.paid_through, paid_until(subscription.latest_invoice), paid_until(paid_invoice)]
    ends = [end for end in ends if end is not None]
    card.paid_through = max(ends) if ends else None
    card.status = subscription.status
    card.cancel_at_period_end = bool(subscription.cancel_at_period_end)
    _follow_plan_change(card, subscription)
    until = access_ends(card)
    if until is not None:
        if card.membership_id is None:
            card.membership = Subscription.objects.create(
                user=card.customer.user,
                plan=card.plan,
                starts_at=min(timezone.now(), until),
                ends_at=until,
                source=SubscriptionSource.PAYMENT,
            )
        elif card.membership.ends_at != until:
            card.membership.ends_at = until
            card.membership.save(update_fields=["ends_at", "updated_at"])
    card.save()
    return card


def _follow_plan_change(card, subscription):
    """If the subscription is now for another of our plans (changed in
    Stripe's dashboard), the membership counts under that plan."""
    try:
        plan_id = _id(subscription["items"].data[0].plan)
    except (KeyError, IndexError, AttributeError, TypeError):
        return
    if not plan_id or plan_id == card.plan.stripe_plan_id:
        return
    plan = Plan.objects.filter(stripe_plan_id=plan_id).first()
    if plan is not None:
        card.plan = plan
        if card.membership_id is not None:
            card.membership.plan = plan
            card.membership.save(update_fields=["plan", "updated_at"])


def sync(stripe_id, paid_invoice=None):
    """Ask Stripe for a subscription and apply it; None if it is not one of ours."""
    with transaction.atomic():
        card = (
            # Only this row is locked (its membership may not exist yet).
            CardSubscription.objects.select_for_update(of=("self",))
            .select_related("customer__user", "membership")
            .filter(stripe_id=stripe_id)
            .first()
        )
        if card is None:
            return None
        subscription = api().Subscription.retrieve(stripe_id, expand=["latest_invoice"])
        return apply(card, subscription, paid_invoice)


def handle_event(event):
    """Act on a verified Stripe event: find the subscription it concerns and
    sync it. What the event says about the subscription is not trusted to be
    current; only Stripe's answer now is."""
    data = event.data.object
    if event.type.startswith("invoice."):
        invoice = api().Invoice.retrieve(data.id, expand=["lines"])
        subscription_id = _invoice_subscription_id(invoice)
        if subscription_id:
            sync(subscription_id, paid_invoice=invoice)
    elif event.type.startswith("customer.subscription."):
        sync(data.id)


# The reader's own changes


def set_cancel_at_period_end(card, cancel):
    """Cancel at the end of the paid period (cancel=True), or resume before it."""
    with transaction.atomic():
        card = CardSubscription.objects.select_for_update().get(pk=card.pk)
        subscription = api().Subscription.modify(
            card.stripe_id, cancel_at_period_end=cancel, expand=["latest_invoice"]
        )
        return apply(card, subscription)


def change_card(card, setup_intent_id):
    """Make a newly set-up card the one Stripe charges; if a renewal failed,
    try it again with the new card at once."""
    _use_card(card.customer, setup_intent_id)
    if card.status == "past_due":
        subscription = api().Subscription.retrieve(card.stripe_id, expand=["latest_invoice"])
        invoice = subscription.latest_invoice
        if invoice is not None and invoice.status == "open":
            try:
                api().Invoice.pay(invoice.id)
            except stripe.CardError:
                log.info("The new card was declined for subscription %s", card.stripe_id)
    return sync(card.stripe_id)


def forget(user):
    """Before an account is deleted: stop its card subscriptions at Stripe and
    delete its Stripe customer, so Stripe neither charges nor keeps it."""
    customer = StripeCustomer.objects.filter(user=user).first()
    if customer is None:
        return
    for card in customer.card_subscriptions.live():
        try:
            api().Subscription.cancel(card.stripe_id)
        except stripe.InvalidRequestError:
            log.info("Subscription %s was already gone at Stripe", card.stripe_id)
    try:
        api().Customer.delete(customer.customer_id)
    except stripe.InvalidRequestError:
        log.info("Customer %s was already gone at Stripe", customer.customer_id)


def unavailable_message():
    return _(
        "We could not reach our payment provider. Nothing was charged; please try again "
        "in a few minutes."
    )


def declined_message(error):
    """What a reader is told when Stripe refuses a card: Stripe's own words."""
    return getattr(error, "user_message", None) or _("Your card was declined.")


def membership_of(user):
    """The reader's live card subscription, if any, with its plan and membership."""
    return (
        CardSubscription.objects.of(user)
        .live()
        .select_related("plan", "membership", "customer")
        .first()
    )


def on_account_deleting(sender, user, **kwargs):
    """paywall.accounts.account_deleting: Stripe must let go of the reader
    before the account goes, or the deletion waits."""
    try:
        forget(user)
    except stripe.StripeError as error:
        log.exception("Stripe failed while forgetting a deleted account")
        raise AccountNotDeletable(
            _(
                "We could not reach our payment provider to stop your card payments, so "
                "nothing was deleted. Please try again in a few minutes."
            )
        ) from error
