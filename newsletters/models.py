"""Newsletters: who receives which letter, what a letter holds, and the
record of its delivery to each recipient.

A reader is a `Subscriber` only once they have confirmed their address
(double opt-in): until then nothing about them is stored, the confirmation
link carries their choice. Each send writes one `Delivery` row per
recipient; those rows, claimed one at a time by the workers, are what makes
a send exactly-once per recipient and resumable (newsletters/delivery.py).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from articles.models import Article, Language, Pin


class Kind(models.TextChoices):
    DIGEST = "digest", _("Daily digest")
    BREAKING = "breaking", _("Breaking news")
    PLUS = "plus", _("Weekly POZIRK+ letter")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class NewsletterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def automatic(self):
        """Those that go out by themselves at a set time (the digest, the weekly letter)."""
        return self.active().exclude(kind=Kind.BREAKING)


class Newsletter(models.Model):
    """One letter readers can choose: a kind in one edition (language).

    The nine (three kinds × three editions) are made by the migrations;
    editors set their hours here.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("edition"), max_length=2, choices=Language.choices)
    send_time = models.TimeField(
        _("sent at"),
        default="07:00",
        help_text=_("Digest and weekly letter: the local time they go out by themselves."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        default=Weekday.FRIDAY,
        help_text=_("Weekly letter only: the day it goes out."),
    )
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Untick to stop offering it and sending it by itself."),
    )

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["language", "kind"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="newsletter_per_edition")
        ]

    def __str__(self):
        return _("%(kind)s (%(edition)s)") % {
            "kind": self.get_kind_display(),
            "edition": self.get_language_display(),
        }

    @property
    def slug(self):
        return f"{self.kind}-{self.language}"

    def next_issue(self, now=None):
        """When the next automatic letter goes out, and the date it is for:
        today's (or this week's) time if still ahead, else the next one."""
        now = timezone.localtime(now)
        send_at = timezone.make_aware(datetime.combine(now.date(), self.send_time))
        if self.kind == Kind.PLUS:
            send_at += timedelta(days=(self.weekday - now.weekday()) % 7)
            step = timedelta(days=7)
        else:
            step = timedelta(days=1)
        if send_at <= now:
            send_at = timezone.make_aware(datetime.combine((send_at + step).date(), self.send_time))
        return send_at


def new_key():
    return secrets.token_urlsafe(24)


class SubscriberQuerySet(models.QuerySet):
    def of(self, newsletter):
        return self.filter(newsletters=newsletter)


class Subscriber(models.Model):
    """An address that asked for newsletters and confirmed it.

    Only the address, the choices and the consent's date are kept. The key
    is the secret in the one per-reader link a letter carries (unsubscribe
    and manage); an account, if the reader has one and chose from its page,
    is linked so that deleting the account ends the subscription.
    """

    email = models.EmailField(_("email address"), unique=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriber",
    )
    newsletters = models.ManyToManyField(
        Newsletter, verbose_name=_("newsletters"), blank=True, related_name="subscribers"
    )
    discreet = models.BooleanField(
        _("discreet"),
        default=False,
        help_text=_("A neutral sender name and subject line, without the newsroom's name."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("newsletters:manage", kwargs={"key": self.key})


def email_domain(email):
    return email.rpartition("@")[2].lower()[:255]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class LetterQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Status.SCHEDULED, send_at__lte=now or timezone.now())

    def stalled(self, silent_since):
        """Sends whose workers have all gone quiet (killed, host lost)."""
        return self.filter(status=Status.SENDING).filter(
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=silent_since)
        )


class Letter(models.Model):
    """One issue of a newsletter: the day's digest, a breaking alert, the
    week's POZIRK+ letter. Its items are articles in the editors' order."""

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        help_text=_("Left empty: the newsletter's name and the date."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Opens the letter: a line from the editors (for an alert, what is new)."),
    )
    issue_date = models.DateField(
        _("issue of"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The date an automatic letter is for."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-send_at", "-created_at"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            # One automatic letter per newsletter and date, however many
            # workers look for due ones at once.
            models.UniqueConstraint(
                fields=["newsletter", "issue_date"],
                condition=Q(issue_date__isnull=False),
                name="letter_once_per_issue",
            )
        ]

    def __str__(self):
        return self.default_subject() if not self.subject else self.subject

    @property
    def kind(self):
        return self.newsletter.kind

    @property
    def language(self):
        return self.newsletter.language

    @property
    def is_editable(self):
        return self.status in (Status.DRAFT, Status.SCHEDULED)

    def default_subject(self, discreet=False):
        """The subject line, in the letter's edition. Discreet: the kind of
        letter alone, with neither the newsroom's name nor a headline."""
        with override(self.language):
            kind = self.newsletter.get_kind_display()
            if discreet:
                return str(kind)
            when = self.issue_date or timezone.localdate(self.send_at or timezone.now())
            return _("%(site)s: %(kind)s, %(date)s") % {
                "site": settings.SITE_NAME,
                "kind": kind,
                "date": date_format(when, "j E Y" if self.language != "en" else "F j, Y"),
            }

    def subject_for(self, discreet):
        if discreet:
            return self.default_subject(discreet=True)
        return self.subject or self.default_subject()

    def articles(self):
        """The included articles, in the editors' order, as the letter shows them."""
        return [
            item.article
            for item in self.items.filter(included=True)
            .select_related("article__section")
            .order_by("position", "pk")
        ]

    def candidates(self):
        """What the letter builds itself from: the edition's pieces published
        in the day (24 hours) or week before it goes out; POZIRK+ pieces only
        for the weekly letter. The home page's current pins first, in their
        order, then newest first."""
        until = self.send_at or timezone.now()
        span = timedelta(days=7) if self.kind == Kind.PLUS else timedelta(days=1)
        articles = Article.objects.published().in_language(self.language)
        articles = articles.published_between(until - span, until)
        if self.kind == Kind.PLUS:
            articles = articles.plus()
        pinned = {
            article_id: position
            for article_id, position in Pin.objects.current()
            .on_home()
            .filter(article__in=articles)
            .values_list("article_id", "position")
        }
        ordered = sorted(
            articles.order_by("-published_at", "-pk").values_list("pk", flat=True),
            key=lambda pk: (pk not in pinned, pinned.get(pk, 0)),
        )
        return ordered

    def refresh_items(self):
        """Add the pieces published since the letter was built; those an
        editor dropped stay dropped, their order stays theirs."""
        present = set(self.items.values_list("article_id", flat=True))
        last = self.items.aggregate(models.Max("position"))["position__max"] or 0
        new = [pk for pk in self.candidates() if pk not in present]
        LetterItem.objects.bulk_create(
            LetterItem(letter=self, article_id=pk, position=last + i)
            for i, pk in enumerate(new, start=1)
        )
        return len(new)

    def progress(self):
        """Recipients, sent, failed, skipped and remaining, in one query."""
        counts = dict(
            self.deliveries.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        total = sum(counts.values())
        return {
            "recipients": total,
            "sent": counts.get(DeliveryStatus.SENT, 0),
            "failed": counts.get(DeliveryStatus.FAILED, 0),
            "skipped": counts.get(DeliveryStatus.SKIPPED, 0),
            "remaining": counts.get(DeliveryStatus.PENDING, 0),
        }

    def failures_by_domain(self):
        """Failed deliveries by the domain of the address (never the address)."""
        return list(
            self.deliveries.filter(status=DeliveryStatus.FAILED)
            .values("domain", "error")
            .annotate(count=Count("pk"))
            .order_by("-count", "domain")
        )


class LetterItem(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    included = models.BooleanField(
        _("included"), default=True, help_text=_("Untick to drop it from the letter.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["letter", "article"], name="letter_item_once")
        ]

    def __str__(self):
        return str(self.article)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")


class Delivery(models.Model):
    """One letter to one recipient: written when the send starts, claimed by
    one worker at a time, marked sent once the mail server has taken it."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    # Only the domain is kept apart from the subscriber: failures are
    # reported by it, and it outlives an unsubscribed address.
    domain = models.CharField(_("domain"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["letter", "subscriber"], name="delivery_once")
        ]
        indexes = [
            # The workers' claim: the next pending row of a letter, by id.
            models.Index(
                fields=["letter", "id"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.letter_id}/{self.pk}: {self.status}"
