"""Joining POZIRK+: by card (Stripe) or with an access code; the card
membership's own pages (cancel, resume, change card); Stripe's webhook."""

import logging
from urllib.parse import urlsplit

import stripe
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from paywall.access import has_plus
from paywall.models import Plan, valid_until
from paywall.views import next_page

from . import billing, codes
from .forms import RedeemForm
from .models import WebhookEvent

log = logging.getLogger(__name__)


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow_stripe_js(response):
    """Let this one response load Stripe.js and let it talk to Stripe: the
    only pages of the site that load anything from another host."""
    origin = _origin(settings.STRIPE_JS_URL)
    hosts = [origin]
    if origin == "https://js.stripe.com":
        # Stripe.js calls Stripe's API and shows the card fields (and 3-D
        # Secure) in frames of its own.
        hosts += ["https://api.stripe.com", "https://hooks.stripe.com"]
    response._csp_update = {"script-src": [origin], "connect-src": hosts, "frame-src": hosts}
    return response


def _unavailable(request, status=503):
    response = render(
        request,
        "payments/unavailable.html",
        {"message": billing.unavailable_message()},
        status=status,
    )
    response["Retry-After"] = "60"
    return response


def join(request):
    """The plans with their prices, access codes, and who to write to."""
    user = request.user
    return render(
        request,
        "payments/join.html",
        {
            "card_payments": billing.configured(),
            "plans": Plan.objects.sold_by_card() if billing.configured() else [],
            "has_plus": has_plus(user),
            "valid_until": valid_until(user) if user.is_authenticated else None,
            "contact_email": settings.POZIRK_CONTACT_EMAIL,
            "next": next_page(request),
        },
    )


def join_plan(request, plan_id):
    """The card form for one plan (GET), and the subscription it asks for (POST)."""
    if not billing.configured():
        return redirect("payments:join")
    plan = get_object_or_404(Plan.objects.sold_by_card(), pk=plan_id)
    next_url = next_page(request)
    context = {"plan": plan, "next": next_url}
    user = request.user
    if not user.is_authenticated:
        here = request.get_full_path()
        return render(request, "payments/join_account_first.html", {**context, "here": here})
    if has_plus(user) or billing.membership_of(user) is not None:
        return render(request, "payments/already_member.html", context)
    if request.method == "POST":
        return _subscribe(request, plan, next_url, context)
    return _card_form(request, "payments/join_plan.html", context)


def _card_form(request, template, context, error="", status=200):
    try:
        client_secret = billing.start_card_setup(request.user)
    except stripe.StripeError:
        log.exception("Stripe refused a SetupIntent")
        return _unavailable(request)
    response = render(
        request,
        template,
        {
            **context,
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "error": error,
        },
        status=status,
    )
    return allow_stripe_js(response)


def _subscribe(request, plan, next_url, context):
    try:
        billing.subscribe(request.user, plan, request.POST.get("setup_intent"))
    except billing.AlreadyMember:
        messages.info(request, _("You already have POZIRK+. Nothing more was charged."))
    except billing.CardNotReady:
        error = _("Your card was not confirmed. Please enter it again.")
        return _card_form(request, "payments/join_plan.html", context, error, status=400)
    except stripe.CardError as declined:
        error = billing.declined_message(declined)
        return _card_form(request, "payments/join_plan.html", context, error, status=400)
    except billing.FirstPaymentFailed:
        error = _("Your card was declined. Nothing was charged; please try another card.")
        return _card_form(request, "payments/join_plan.html", context, error, status=400)
    except stripe.StripeError:
        log.exception("Stripe failed while subscribing a reader")
        return _unavailable(request)
    else:
        messages.success(request, _("Welcome to POZIRK+. Thank you for paying for our reporting."))
    return redirect(next_url or "paywall:account")


@login_required
def cancel(request):
    """Cancel at the end of the paid period, after a confirmation."""
    card = billing.membership_of(request.user)
    if card is None or card.cancel_at_period_end:
        return redirect("paywall:account")
    if request.method == "POST":
        try:
            billing.set_cancel_at_period_end(card, True)
        except stripe.StripeError:
            log.exception("Stripe failed while cancelling")
            return _unavailable(request)
        messages.success(
            request,
            _("Your membership is cancelled: you read POZIRK+ until the end of the paid period."),
        )
        return redirect("paywall:account")
    return render(request, "payments/cancel.html", {"card": card})


@login_required
@require_POST
def resume(request):
    """Undo a cancellation before the paid period ends."""
    card = billing.membership_of(request.user)
    if card is not None and card.cancel_at_period_end:
        try:
            billing.set_cancel_at_period_end(card, False)
        except stripe.StripeError:
            log.exception("Stripe failed while resuming")
            return _unavailable(request)
        messages.success(request, _("Your membership goes on: it renews as before."))
    return redirect("paywall:account")


@login_required
def change_card(request):
    """A new card for the renewals, through the same Stripe.js form."""
    card = billing.membership_of(request.user)
    if card is None:
        return redirect("paywall:account")
    context = {"card": card, "plan": card.plan}
    if request.method == "POST":
        try:
            billing.change_card(card, request.POST.get("setup_intent"))
        except billing.CardNotReady:
            error = _("Your card was not confirmed. Please enter it again.")
            return _card_form(request, "payments/change_card.html", context, error, status=400)
        except stripe.StripeError:
            log.exception("Stripe failed while changing a card")
            return _unavailable(request)
        messages.success(request, _("Your new card will be charged from now on."))
        return redirect("paywall:account")
    return _card_form(request, "payments/change_card.html", context)


def _locked_out(request, credentials):
    # django-axes's middleware turns this into its lockout page (429).
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return HttpResponse(status=429)


@login_required
def redeem(request):
    """Redeem an access code. Wrong codes count as failed logins do, per
    account and per address, so guessing is stopped by the same lockout."""
    form = RedeemForm(request.POST or None)
    credentials = {"username": f"access-code:{request.user.pk}"}
    status = 200
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        if form.is_valid():
            try:
                membership = codes.redeem(request.user, form.cleaned_data["code"])
            except codes.CodeRefused as refusal:
                form.add_error("code", str(refusal))
            else:
                messages.success(
                    request,
                    _("Your code is redeemed: POZIRK+ until %(date)s.")
                    % {
                        "date": formats.date_format(
                            timezone.localtime(membership.ends_at), "DATE_FORMAT"
                        )
                    },
                )
                return redirect(next_page(request) or "paywall:account")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        status = 400
    return render(
        request, "payments/redeem.html", {"form": form, "next": next_page(request)}, status=status
    )


@csrf_exempt
@require_POST
def webhook(request):
    """Stripe's events, verified by their signature and acted on once each.

    A forged, stale or unsigned event is a 400. The event's id is stored in
    the same transaction as what it changes: a replay finds it and changes
    nothing; a failure (Stripe unreachable) stores nothing, and Stripe sends
    the event again later."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return HttpResponseBadRequest("Webhooks are not configured.")
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), secret
        )
        event_id, event_type = str(event.id), str(event.type)
    except (ValueError, TypeError, KeyError, AttributeError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("Bad signature or payload.")
    try:
        with transaction.atomic():
            _, new = WebhookEvent.objects.get_or_create(
                event_id=event_id[:255], defaults={"type": event_type[:100]}
            )
            if new:
                billing.handle_event(event)
    except stripe.StripeError:
        log.exception("Stripe failed while handling event %s", event_id)
        response = HttpResponse("Try again later.", status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse("ok" if new else "already handled")
