import secrets
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: editors, reporters and readers.

    Readers may be persecuted for reading us, so an account holds only what
    logging in needs: an email address, a password hash and an optional
    display name. No username, no real name, no address.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("Optional. How the newsroom addresses this person."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the editorial admin."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick instead of deleting the account to stop all logins."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        _("email confirmed at"),
        null=True,
        blank=True,
        help_text=_("Readers' accounts are inactive until the address is confirmed."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # One account per mailbox, however the address is capitalised.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]


class PlanQuerySet(models.QuerySet):
    def sold_by_card(self):
        """The offered plans readers can pay for by card: each has a Stripe
        plan and a price copied from it."""
        return self.filter(is_active=True, price_amount__isnull=False).exclude(stripe_plan_id="")


class Plan(models.Model):
    """What a subscription grants and for how long, e.g. "POZIRK+ monthly"."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    duration_days = models.PositiveSmallIntegerField(
        _("duration in days"),
        validators=[MinValueValidator(1)],
        help_text=_("How long one grant of this plan lasts; extending adds this much."),
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to stop granting this plan.")
    )
    stripe_plan_id = models.CharField(
        _("Stripe plan or price id"),
        max_length=100,
        blank=True,
        help_text=_(
            "The recurring plan or price in Stripe that readers pay for this plan by card, "
            "e.g. price_1Px… Empty: not sold by card. The price below is copied from Stripe "
            "by manage.py sync_plans."
        ),
    )
    price_amount = models.PositiveIntegerField(
        _("price"),
        null=True,
        blank=True,
        help_text=_("In the currency's smallest unit (cents), as Stripe charges it."),
    )
    price_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Lower case, e.g. eur.")
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["duration_days", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name

    @property
    def duration(self):
        return timedelta(days=self.duration_days)

    @property
    def price(self):
        """The price as a number in the currency's main unit (12.50), or None."""
        if self.price_amount is None:
            return None
        return Decimal(self.price_amount) / 100


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class SubscriptionSource(models.TextChoices):
    MANUAL = "manual", _("Staff grant")
    GIFT = "gift", _("Gift")
    PAYMENT = "payment", _("Card payment")
    CODE = "code", _("Access code")


class SubscriptionQuerySet(models.QuerySet):
    def covering(self, moment):
        """Subscriptions in force at `moment`: from starts_at (inclusive) to
        ends_at (exclusive), so one ending at 12:00:00 still covers 11:59:59
        and no longer covers 12:00:00. Expiry is a comparison, not a job."""
        return self.filter(
            status=SubscriptionStatus.ACTIVE, starts_at__lte=moment, ends_at__gt=moment
        )

    def current(self):
        return self.covering(timezone.now())

    def expiring_within(self, days):
        now = timezone.now()
        return self.covering(now).filter(ends_at__lte=now + timedelta(days=days))

    def expired(self):
        return self.filter(status=SubscriptionStatus.ACTIVE, ends_at__lte=timezone.now())

    def upcoming(self):
        return self.filter(status=SubscriptionStatus.ACTIVE, starts_at__gt=timezone.now())

    def cancelled(self):
        return self.filter(status=SubscriptionStatus.CANCELLED)


class Subscription(models.Model):
    """A grant of POZIRK+ to a reader for a period.

    When a reader deletes their account the row stays with no reader and no
    note: the newsroom keeps its counts, not the person.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="subscriptions",
    )
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("ends at"),
        blank=True,
        help_text=_("Exclusive. Left empty, the plan's duration from the start."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
        help_text=_("Cancel to end access at once; expiry needs no change here."),
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=SubscriptionSource.choices,
        default=SubscriptionSource.MANUAL,
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("For staff. Never store payment details here.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["user", "status", "ends_at"], name="subscription_cover_idx"),
        ]

    def __str__(self):
        who = self.user.email if self.user_id else _("deleted reader")
        return f"{self.plan} — {who}"

    def save(self, *args, **kwargs):
        if self.ends_at is None and self.plan_id:
            self.ends_at = self.starts_at + self.plan.duration
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.ends_at is None and self.plan_id and self.starts_at:
            self.ends_at = self.starts_at + self.plan.duration
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    @property
    def state(self):
        now = timezone.now()
        if self.status == SubscriptionStatus.CANCELLED:
            return _("Cancelled")
        if self.ends_at <= now:
            return _("Expired")
        if self.starts_at > now:
            return _("Starts later")
        return _("Active")


def valid_until(user, moment=None):
    """When the reader's POZIRK+ access runs out, following back-to-back
    subscriptions (a renewal that starts when the last one ends); None if
    they have no access at `moment`."""
    moment = moment or timezone.now()
    until = None
    for starts_at, ends_at in (
        Subscription.objects.filter(user=user, status=SubscriptionStatus.ACTIVE, ends_at__gt=moment)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    ):
        if starts_at <= (until or moment):
            until = max(until or ends_at, ends_at)
        elif until is not None:
            break
    return until


def new_gift_key():
    return secrets.token_urlsafe(18)


class GiftLinkLimitReached(Exception):
    pass


class GiftLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def created_this_month(self, user):
        start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return self.filter(created_by=user, created_at__gte=start)

    def issue(self, user, article):
        """A new link, unless the subscriber has used this month's allowance.

        The subscriber's row is locked while counting, so two requests at
        once cannot both take the last link of the month.
        """
        limit = settings.POZIRK_GIFT_LINKS_PER_MONTH
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()
            if self.created_this_month(user).count() >= limit:
                raise GiftLinkLimitReached(limit)
            now = timezone.now()
            return self.create(
                article=article,
                created_by=user,
                created_at=now,
                expires_at=now + timedelta(days=settings.POZIRK_GIFT_LINK_DAYS),
            )


class GiftLink(models.Model):
    """A subscriber's link that opens one POZIRK+ article in full for anyone.

    The key is random and unguessable; nothing about who opened it is kept.
    """

    key = models.CharField(max_length=32, unique=True, default=new_gift_key, editable=False)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="gift_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gift_links"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GiftLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("gift link")
        verbose_name_plural = _("gift links")

    def __str__(self):
        return f"Gift link for “{self.article}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}?{urlencode({'gift': self.key})}"

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


def new_feed_key():
    return secrets.token_urlsafe(24)


class MemberFeedQuerySet(models.QuerySet):
    def for_user(self, user):
        """The member's private feed, given an address the first time it is asked for."""
        return self.get_or_create(user=user)[0]

    def rotate(self, user):
        """A new address for the member's feed; the old one stops working at once."""
        return self.update_or_create(
            user=user, defaults={"key": new_feed_key(), "created_at": timezone.now()}
        )[0]


class MemberFeed(models.Model):
    """A POZIRK+ member's private RSS/Atom address, with full texts.

    The key in the address is the only credential a feed reader can carry:
    random, unguessable, replaced on request. It opens the feed only while
    the member has POZIRK+ (see feeds.feeds.MemberFeed).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_feed"
    )
    key = models.CharField(max_length=64, unique=True, default=new_feed_key, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = MemberFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("member feed")
        verbose_name_plural = _("member feeds")

    def __str__(self):
        return f"Private feed of {self.user}"

    def get_absolute_url(self):
        return reverse("feeds:member-rss", kwargs={"key": self.key})


class UserSession(models.Model):
    """A logged-in device, so a reader can see and end their sessions.

    Only a coarse device description ("Firefox on Android") and times are
    kept: no IP address, no full user-agent string.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    device = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("device session")
        verbose_name_plural = _("device sessions")

    def __str__(self):
        return f"{self.device or 'Unknown device'} ({self.user})"
