"""What paying for POZIRK+ leaves in our database: as little as will do.

For a card: the Stripe customer and subscription ids, Stripe's word for the
subscription's state and the end of the last period paid. No card, name,
address or email: Stripe holds those, and the reader is known to Stripe only
by an id. For an access code: a keyed digest of it, its batch and whether it
was used, never by whom.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paywall.models import Plan, Subscription

# Stripe's subscription states after which it never charges again.
ENDED_STATES = ("canceled", "incomplete_expired")


class StripeCustomer(models.Model):
    """A reader's customer id at Stripe (created the first time they join).

    Deleted with the account, after the customer is deleted at Stripe
    (payments/apps.py listens to paywall.accounts.account_deleting)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    customer_id = models.CharField(_("Stripe customer id"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Stripe customer")
        verbose_name_plural = _("Stripe customers")

    def __str__(self):
        return self.customer_id


class CardSubscriptionQuerySet(models.QuerySet):
    def live(self):
        """Subscriptions Stripe may still charge: a reader with one is never
        offered a second."""
        return self.exclude(status__in=ENDED_STATES)

    def in_grace(self, moment=None):
        """Renewals that failed, whose reader still reads while Stripe retries."""
        moment = moment or timezone.now()
        return self.filter(status="past_due", membership__ends_at__gt=moment)

    def of(self, user):
        return self.filter(customer__user=user)


class CardSubscription(models.Model):
    """A reader's card subscription at Stripe and the membership it pays for.

    Stripe is asked for the subscription's state whenever anything happens
    (payments.billing.sync); this row keeps only what the site needs to show
    and to grant access: the state, whether it ends at the period's end, and
    the end of the last period paid. `membership` is the POZIRK+ subscription
    (paywall) that gives access, made when the first invoice is paid.
    """

    customer = models.ForeignKey(
        StripeCustomer, on_delete=models.CASCADE, related_name="card_subscriptions"
    )
    stripe_id = models.CharField(_("Stripe subscription id"), max_length=255, unique=True)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT)
    membership = models.OneToOneField(
        Subscription,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card",
    )
    status = models.CharField(_("state at Stripe"), max_length=20)
    cancel_at_period_end = models.BooleanField(_("ends with the period paid"), default=False)
    paid_through = models.DateTimeField(_("paid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CardSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("card subscription")
        verbose_name_plural = _("card subscriptions")

    def __str__(self):
        return self.stripe_id

    @property
    def is_live(self):
        return self.status not in ENDED_STATES

    @property
    def in_grace(self):
        return self.status == "past_due"


class WebhookEvent(models.Model):
    """A Stripe event already handled: its id, so a replay changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.type} {self.event_id}"


class CodeBatchQuerySet(models.QuerySet):
    def with_counts(self):
        """Each batch with how many codes it has and how many were redeemed,
        counted in the list's own query."""
        return self.select_related("plan").annotate(
            num_codes=models.Count("codes"),
            num_redeemed=models.Count("codes", filter=models.Q(codes__redeemed_at__isnull=False)),
        )


class CodeBatch(models.Model):
    """Access codes made together, e.g. "sold via bank transfer, May".

    The codes themselves are shown once, when the batch is made; only their
    keyed digests are kept (payments/codes.py)."""

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        help_text=_("The membership a code gives; it counts under this plan."),
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        null=True,
        blank=True,
        help_text=_("How many days a code gives. Empty: the plan's duration."),
    )
    size = models.PositiveSmallIntegerField(_("number of codes"))
    expires_at = models.DateTimeField(
        _("redeem before"),
        null=True,
        blank=True,
        help_text=_("Optional. Codes not redeemed by then stop working."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where the codes go, e.g. “sold via bank transfer”. Never a reader's name."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = CodeBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("batch of access codes")
        verbose_name_plural = _("batches of access codes")

    def __str__(self):
        return self.note or f"Batch {self.pk}"

    @property
    def duration_days(self):
        return self.days or self.plan.duration_days

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()


class AccessCode(models.Model):
    """One code of a batch, as its keyed digest; redeemed once."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")

    def __str__(self):
        return f"Code {self.pk} of {self.batch}"
