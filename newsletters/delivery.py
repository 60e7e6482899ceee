"""Sending a letter: exactly once per recipient, resumable, at a set rate.

A send starts by writing one Delivery row per recipient (`start`). Workers
then claim the rows one at a time (`deliver`): each claim is a transaction
that locks the row with SELECT … FOR UPDATE SKIP LOCKED, hands the message
to the mail server, marks the row sent and commits. So:

- two workers never take the same row (the second skips a locked one);
- a worker killed while it holds a row dies with its transaction: the row is
  pending again at once, and the next worker sends it;
- a row is marked sent in the same transaction that held it while the mail
  server took the message, so a resumed send never repeats one.

SMTP itself leaves one gap no database can close: a worker killed after the
server said "250 OK" and before its commit reached the database (a window of
one round trip to the database) left a message delivered but still pending,
and it goes again. Such a repeat carries the same Message-ID as the first,
which mail clients fold into one.

While a send runs, its workers note the time (`heartbeat_at`) every few
seconds; a send whose workers have all gone quiet is handed to the queue
again by the next worker's tick (tasks.py).
"""

import logging
import smtplib
import threading
import time
from datetime import timedelta

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from paywall.access import plus_at_q

from .models import Delivery, DeliveryStatus, Letter, Newsletter, Status, Subscriber, email_domain
from .render import Composer, unsubscribe_url

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2
# Set when the worker is asked to stop (SIGTERM from systemd): a send in
# progress is left after the current message, for another worker to resume.
stopping = threading.Event()
# Consecutive failures to reach the mail server before a worker leaves the
# send to a later tick (the server is down, not one address).
CONNECTION_FAILURES = 3


def start(letter_id):
    """Begin sending a draft or scheduled letter: its deliveries written for
    every current subscriber, the letter marked as sending (tasks.py then
    queues the work). False if it was already started (by another worker's
    tick), or had nothing to send."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(skip_locked=True)
            .select_related("newsletter")
            .filter(pk=letter_id, status__in=[Status.DRAFT, Status.SCHEDULED])
            .first()
        )
        if letter is None:
            return False
        if letter.issue_date:
            # An automatic letter builds itself up to the moment it goes out.
            letter.refresh_items()
        now = timezone.now()
        if not letter.items.filter(included=True).exists():
            letter.status = Status.CANCELLED
            letter.finished_at = now
            letter.save(update_fields=["status", "finished_at"])
            return False
        recipients = Subscriber.objects.of(letter.newsletter).values_list("pk", "email")
        Delivery.objects.bulk_create(
            (
                Delivery(letter=letter, subscriber_id=pk, domain=email_domain(email))
                for pk, email in recipients.iterator(chunk_size=5000)
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
        letter.status = Status.SENDING
        letter.send_at = letter.send_at or now
        letter.started_at = letter.heartbeat_at = now
        letter.save(update_fields=["status", "send_at", "started_at", "heartbeat_at"])
    return True


@transaction.atomic
def retry_failed(letter):
    """Make the failed deliveries of a letter pending again, and the letter
    sending; returns how many."""
    count = letter.deliveries.filter(status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, error="", not_before=None
    )
    if count:
        Letter.objects.filter(pk=letter.pk).update(
            status=Status.SENDING, finished_at=None, heartbeat_at=timezone.now()
        )
    return count


class RateLimit:
    """At most `per_second` messages a second, across every worker sharing
    the cache (Redis in production): each message takes a slot in the
    current window, and a full window is waited out. Should the cache fail,
    each worker keeps the limit alone."""

    def __init__(self, per_second):
        self.per_second = per_second
        self.window = max(1.0, 1.0 / per_second) if per_second > 0 else 0
        self.allowance = max(1, round(per_second * self.window)) if per_second > 0 else 0
        self._local = {}

    def _take(self, slot):
        key = f"newsletters:rate:{slot}"
        try:
            cache.add(key, 0, timeout=int(self.window) + 5)
            return cache.incr(key)
        except Exception:  # the cache is down: count in this process
            self._local = {slot: self._local.get(slot, 0) + 1}
            return self._local[slot]

    def wait(self):
        if not self.per_second:
            return
        while True:
            now = time.time()
            slot = int(now // self.window)
            if self._take(slot) <= self.allowance:
                return
            time.sleep((slot + 1) * self.window - now)


def _still_subscribed(letter):
    return Exists(
        Subscriber.newsletters.through.objects.filter(
            subscriber=OuterRef("subscriber"), newsletter=letter.newsletter_id
        )
    )


def _smtp_outcome(error):
    """(permanent?, short reason) for a refusal by the mail server; the
    reason names the code, never the address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, _ = next(iter(error.recipients.values()), (0, b""))
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    elif isinstance(error, AnymailRecipientsRefused):
        return True, "refused by the provider"
    else:
        code = 0
    return 500 <= code < 600, f"SMTP {code}"


class Sender:
    """One worker's share of one send."""

    def __init__(self, letter):
        self.letter = letter
        self.composer = Composer(letter)
        self.rate = RateLimit(settings.NEWSLETTERS_RATE_PER_SECOND)
        self.connection = None
        self.on_connection = 0
        self.cursor = 0
        self.beat = 0.0

    def _connection(self):
        if self.connection is None or self.on_connection >= settings.NEWSLETTERS_BATCH_SIZE:
            self._close()
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
            self.on_connection = 0
        self.on_connection += 1
        return self.connection

    def _close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                logger.warning("Closing the mail connection failed", exc_info=True)
            self.connection = None

    def _heartbeat(self):
        if time.monotonic() - self.beat >= HEARTBEAT_SECONDS:
            Letter.objects.filter(pk=self.letter.pk).update(heartbeat_at=timezone.now())
            self.beat = time.monotonic()

    def _claim(self, now):
        return (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(letter=self.letter, status=DeliveryStatus.PENDING, pk__gt=self.cursor)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .annotate(
                plus=plus_at_q(now, "subscriber__user"),
                subscribed=_still_subscribed(self.letter),
            )
            .select_related("subscriber")
            .order_by("pk")
            .first()
        )

    def send_one(self):
        """Claim the next pending delivery, send it and record the outcome,
        in one transaction. False when none is left to claim."""
        with transaction.atomic():
            now = timezone.now()
            delivery = self._claim(now)
            if delivery is None and self.cursor:
                # Rows before the cursor: released by a worker that died, or
                # due again after a "try later".
                self.cursor = 0
                delivery = self._claim(now)
            if delivery is None:
                return False
            self.cursor = delivery.pk
            subscriber = delivery.subscriber
            if subscriber is None or not delivery.subscribed:
                # Unsubscribed since the send began: unsubscribing takes effect at once.
                delivery.status = DeliveryStatus.SKIPPED
                delivery.save(update_fields=["status"])
                return True
            self.rate.wait()
            message = self.composer.message(
                to=subscriber.email,
                unsubscribe=unsubscribe_url(subscriber, self.letter.newsletter),
                plus=delivery.plus,
                discreet=subscriber.discreet,
                message_key=f"{self.letter.pk}:{delivery.pk}",
            )
            delivery.attempts += 1
            try:
                self._connection().send_messages([message])
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError,
                AnymailRecipientsRefused,
            ) as error:
                permanent, reason = _smtp_outcome(error)
                delivery.error = reason
                if permanent or delivery.attempts >= settings.NEWSLETTERS_MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                else:
                    delivery.not_before = now + timedelta(minutes=5 * delivery.attempts)
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
            delivery.save(update_fields=["status", "attempts", "error", "not_before", "sent_at"])
            return True

    def run(self):
        sent = failures = 0
        try:
            while not stopping.is_set():
                self._heartbeat()
                try:
                    if not self.send_one():
                        break
                    sent += 1
                    failures = 0
                except (OSError, smtplib.SMTPException):
                    # The server is unreachable or dropped us: the row's
                    # transaction was rolled back, so it is still pending.
                    logger.warning("Mail server unavailable", exc_info=True)
                    self._close()
                    failures += 1
                    if failures >= CONNECTION_FAILURES:
                        return sent
                    time.sleep(failures)
        finally:
            self._close()
        finish_if_done(self.letter)
        return sent


def finish_if_done(letter):
    """Mark a send finished once no delivery is left pending."""
    pending = Delivery.objects.filter(letter=OuterRef("pk"), status=DeliveryStatus.PENDING)
    return (
        Letter.objects.filter(pk=letter.pk, status=Status.SENDING)
        .filter(~Exists(pending))
        .update(status=Status.SENT, finished_at=timezone.now())
    )


def deliver(letter_id):
    """A delivery task: send the letter's pending deliveries until none is left."""
    letter = Letter.objects.select_related("newsletter").filter(pk=letter_id).first()
    if letter is None or letter.status != Status.SENDING:
        return 0
    return Sender(letter).run()


def send_test(letter_id, email, plus):
    """One message of a letter to an editor, as a member or a free reader
    would get it; its unsubscribe link leads nowhere."""
    letter = Letter.objects.select_related("newsletter").get(pk=letter_id)
    message = Composer(letter).message(
        to=email,
        unsubscribe=f"{settings.NEWSROOM_SITE_URL}/",
        plus=plus,
        discreet=False,
    )
    message.subject = f"[TEST] {message.subject}"
    message.send()


def ensure_upcoming(now):
    """Each automatic newsletter has its next letter waiting, scheduled for
    its hour and built from the pieces published so far: editors find it
    in the admin to reorder, trim, reschedule or cancel."""
    for newsletter in Newsletter.objects.automatic():
        send_at = newsletter.next_issue(now)
        issue_date = timezone.localdate(send_at)
        if Letter.objects.filter(newsletter=newsletter, issue_date=issue_date).exists():
            continue
        try:
            with transaction.atomic():
                letter = Letter.objects.create(
                    newsletter=newsletter,
                    issue_date=issue_date,
                    status=Status.SCHEDULED,
                    send_at=send_at,
                )
                letter.refresh_items()
        except IntegrityError:
            # Another worker's tick made it first.
            continue


def claim_stalled(now):
    """The sends whose workers have all gone quiet, each claimed for this
    caller (its heartbeat renewed), so one worker's tick resumes it, not
    every one's."""
    silent_since = now - timedelta(seconds=settings.NEWSLETTERS_STALL_SECONDS)
    claimed = []
    for letter_id in Letter.objects.stalled(silent_since).values_list("pk", flat=True):
        if Letter.objects.stalled(silent_since).filter(pk=letter_id).update(heartbeat_at=now):
            logger.info("Resuming the stalled send of letter %s", letter_id)
            claimed.append(letter_id)
    return claimed
