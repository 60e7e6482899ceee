"""The newsletters' work on the task queue (django-tasks, its rows in the
database: see README, "Newsletters: for operators"): the tasks, how a send
is queued, and the tick every worker runs."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import delivery
from .models import Letter

QUEUE = "newsletters"


@task(queue_name=QUEUE)
def start_letter(letter_id):
    """ "Send now": write the deliveries, then queue their sending."""
    return start_and_queue(letter_id)


@task(queue_name=QUEUE)
def deliver_letter(letter_id):
    """Send a letter's pending deliveries; returns how many this worker took."""
    return delivery.deliver(letter_id)


@task(queue_name=QUEUE)
def send_test(letter_id, email, plus):
    delivery.send_test(letter_id, email, plus)


def enqueue_delivery(letter_id):
    """Queue the delivery tasks of a send, once its transaction commits:
    several, so that as many workers (on any host) can share it; those that
    find nothing left end at once."""

    def enqueue():
        for _ in range(max(1, settings.NEWSLETTERS_PARALLEL_TASKS)):
            deliver_letter.enqueue(letter_id)

    transaction.on_commit(enqueue)


def start_and_queue(letter_id):
    started = delivery.start(letter_id)
    if started:
        enqueue_delivery(letter_id)
    return started


def retry_failed(letter):
    count = delivery.retry_failed(letter)
    if count:
        enqueue_delivery(letter.pk)
    return count


def tick(now=None):
    """What every worker does every few seconds: prepare the next automatic
    letters, start those that are due, and resume sends left stalled."""
    now = now or timezone.now()
    delivery.ensure_upcoming(now)
    for letter_id in Letter.objects.due(now).values_list("pk", flat=True):
        start_and_queue(letter_id)
    for letter_id in delivery.claim_stalled(now):
        enqueue_delivery(letter_id)
