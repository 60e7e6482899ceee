"""Workers as production runs them: separate processes sharing PostgreSQL,
taking a send from the queue and handing mail to a real SMTP server.

A worker killed outright (SIGKILL, as the OOM killer or a lost host would)
in the middle of handing a message over loses nobody and sends nobody
twice: another worker, started afterwards, resumes the send where it
stopped. Two workers sharing one send never take the same recipient.

Runs only on PostgreSQL (CI's second pass): several processes share the
queue and the deliveries, which SQLite's in-memory test database cannot.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.utils import timezone

from newsletters import tasks
from newsletters.models import (
    DeliveryStatus,
    Kind,
    Letter,
    LetterItem,
    Newsletter,
    Status,
    Subscriber,
)
from tests.factories import ArticleFactory
from tests.servers import PROJECT

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="workers in several processes share PostgreSQL; CI's PostgreSQL pass runs this",
    ),
    pytest.mark.django_db(transaction=True),  # the workers see committed data only
]


def database_url():
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(smtp_port, **extra):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DJANGO_LOG_LEVEL": "WARNING",
        "NEWSLETTERS_TICK_SECONDS": "0.5",
        "NEWSLETTERS_STALL_SECONDS": "2",
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["CACHE_KEY_PREFIX"] = settings.CACHES["default"].get("KEY_PREFIX", "")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start_worker(env, log):
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "newsletter_worker", "--interval", "0.2"],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}")


def a_send(count):
    """A breaking alert to `count` subscribers, started: its deliveries
    written and its task queued, as "Send now" leaves it."""
    alerts = Newsletter.objects.get(kind=Kind.BREAKING, language="en")
    for i in range(count):
        Subscriber.objects.create(email=f"reader{i:03}@example.org").newsletters.add(alerts)
    letter = Letter.objects.create(newsletter=alerts, send_at=timezone.now())
    LetterItem.objects.create(letter=letter, article=ArticleFactory(), position=1)
    assert tasks.start_and_queue(letter.pk)
    return letter


def test_a_killed_worker_loses_nobody_and_a_new_one_resumes_without_repeats(smtp_server, tmp_path):
    inbox, port = smtp_server
    env = worker_env(port, NEWSLETTERS_RATE_PER_SECOND=20, NEWSLETTERS_PARALLEL_TASKS=1)
    letter = a_send(30)
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    recipients = Counter()

    def kill_mid_message(address):
        # The 11th recipient: the worker has said who the message is for
        # and holds that delivery's row; it dies before the message is handed over.
        recipients[address] += 1
        if sum(recipients.values()) == 11 and first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)

    inbox.on_recipient = kill_mid_message
    try:
        wait_until(lambda: first.poll() is not None, what="the first worker to be killed")
        assert first.returncode == -signal.SIGKILL
        assert len(inbox.messages) == 10
        letter.refresh_from_db()
        assert letter.status == Status.SENDING
        wait_until(
            lambda: (
                letter.deliveries.filter(status=DeliveryStatus.SENT).count() == 10
                and letter.deliveries.filter(status=DeliveryStatus.PENDING).count() == 20
            ),
            timeout=10,
            what="the killed worker's open delivery to be released",
        )

        inbox.on_recipient = None
        second = start_worker(env, log)
        try:
            wait_until(
                lambda: Letter.objects.get(pk=letter.pk).status == Status.SENT,
                what=f"the send to be resumed and finished:\n{log.read_text()}",
            )
        finally:
            stop(second)
    finally:
        stop(first)

    received = Counter(message.to for message in inbox.messages)
    assert len(received) == 30, "nobody lost"
    assert set(received.values()) == {1}, "nobody twice"
    assert letter.progress() == {
        "recipients": 30, "sent": 30, "failed": 0, "skipped": 0, "remaining": 0,
    }  # fmt: skip


def test_two_workers_share_one_send_and_never_take_the_same_recipient(smtp_server, tmp_path):
    inbox, port = smtp_server
    env = worker_env(port, NEWSLETTERS_RATE_PER_SECOND=0, NEWSLETTERS_PARALLEL_TASKS=2)
    letter = a_send(120)
    log = tmp_path / "workers.log"
    workers = [start_worker(env, log), start_worker(env, log)]
    try:
        wait_until(
            lambda: Letter.objects.get(pk=letter.pk).status == Status.SENT,
            what=f"the send to finish:\n{log.read_text() if log.exists() else ''}",
        )
    finally:
        for worker in workers:
            stop(worker)
    received = Counter(message.to for message in inbox.messages)
    assert len(received) == 120
    assert set(received.values()) == {1}


def test_a_worker_stopped_by_systemd_leaves_its_send_for_another(smtp_server, tmp_path):
    """SIGTERM (systemctl stop, a release) ends a send after the message in
    hand, not after the whole send; the rest goes out with the next worker."""
    inbox, port = smtp_server
    env = worker_env(port, NEWSLETTERS_RATE_PER_SECOND=5, NEWSLETTERS_PARALLEL_TASKS=1)
    letter = a_send(40)
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    try:
        wait_until(lambda: len(inbox.messages) >= 5, what="the first messages")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=10) == 0, "a clean exit"
        # Left after the message in hand: the send (8 s at 5 a second) is unfinished.
        assert letter.deliveries.filter(status=DeliveryStatus.PENDING).exists()
        second = start_worker(env, log)
        try:
            wait_until(
                lambda: Letter.objects.get(pk=letter.pk).status == Status.SENT,
                what=f"the send to finish:\n{log.read_text()}",
            )
        finally:
            stop(second)
    finally:
        stop(first)
    received = Counter(message.to for message in inbox.messages)
    assert len(received) == 40
    assert set(received.values()) == {1}
