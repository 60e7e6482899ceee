"""Workers: django-tasks' database worker, plus a tick that starts due
letters and resumes stalled sends.

`manage.py newsletter_worker` runs one in production (any number, on any
host sharing the database); the development server runs one in its own
process (`start_embedded`), so the quick start needs nothing else.
"""

import logging
import threading
import time

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from .tasks import QUEUE, tick

logger = logging.getLogger(__name__)


def queue_worker(worker_id=None, interval=1.0, batch=False):
    return Worker(
        queue_names=[QUEUE, "default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )


class Ticker(threading.Thread):
    """Calls delivery.tick() every NEWSLETTERS_TICK_SECONDS until stopped."""

    def __init__(self):
        super().__init__(name="newsletters-tick", daemon=True)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            close_old_connections()
            try:
                tick()
            except Exception:
                # A failed tick (the database restarting…) is tried again next time.
                logger.exception("Newsletter tick failed")
            self.stopped.wait(settings.NEWSLETTERS_TICK_SECONDS)
        connection.close()


def start_embedded():
    """A worker and its tick in daemon threads of this process, once every
    app is loaded: this is called from NewslettersConfig.ready(), while later
    apps are still loading, and Django asks that nothing query before then."""

    def start():
        while not apps.ready:
            time.sleep(0.05)
        Ticker().start()
        queue_worker(worker_id=f"embedded-{get_random_string(8)}").run()

    threading.Thread(target=start, name="newsletters-worker", daemon=True).start()
