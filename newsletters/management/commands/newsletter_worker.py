import signal

from django.core.management.base import BaseCommand

from newsletters.delivery import stopping
from newsletters.worker import Ticker, queue_worker


class Command(BaseCommand):
    help = (
        "Run a newsletter worker: takes tasks from the queue (sends, tests), starts due "
        "letters and resumes stalled sends. Run as many as you like, on any host."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id", default=None, help="Unique per worker (default: random)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty queue."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit (no tick)."
        )

    def handle(self, *args, worker_id, interval, batch, **options):
        worker = queue_worker(worker_id=worker_id, interval=interval, batch=batch)
        if not batch:
            Ticker().start()
        worker.configure_signals()

        def stop(signum, frame):
            # A send in progress stops after the current message (its rest
            # stays pending for any worker); then the queue worker exits.
            stopping.set()
            worker.shutdown(signum, frame)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.run()
