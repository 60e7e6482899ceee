"""Newsletter throughput: digests rendered and handed to a local SMTP server.

    python bench/newsletters.py [--messages 100000] [--workers 1 2] [--write]

Seeds a PostgreSQL database of its own (BENCH_NEWSLETTERS_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/newsroom_bench_newsletters;
created if missing, reused on later runs) with that many subscribers of the
daily digest, spread over the three editions, a third of them POZIRK+
members, and the day's pieces in each edition (some POZIRK+). It starts an
SMTP server on a free local port in a process of its own (aiosmtpd, which
accepts and counts), then for each worker count: writes the three editions'
digests afresh, starts that many `manage.py newsletter_worker` processes
with no rate limit, and times from the first task to the last delivery.

Prints messages per second in all and per worker, and the scaling from one
worker to two. Every message is rendered for its reader (member or not,
discreet or not: a third are discreet) and handed over SMTP, one
transaction per message, exactly as in production. The SMTP server, the
workers and PostgreSQL share this machine's cores.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# bench/ is first on sys.path when a script in it runs.
from databases import ensure_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_newsletters"

SINK = """
import asyncio, signal, sys
from aiosmtpd.controller import Controller

class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 OK"

# Blocked before the server's thread starts, so the signals wait for sigwait.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
print(Count.received, flush=True)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(count):
    """`count` digest subscribers over three editions, a third members."""
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article, Section, Status
    from newsletters.models import Kind, Newsletter, Subscriber
    from paywall.access import Access
    from paywall.models import Plan, Subscription, User

    have = Subscriber.objects.count()
    if have >= count:
        return
    plan, _ = Plan.objects.get_or_create(name="POZIRK+ monthly", defaults={"duration_days": 30})
    digests = list(Newsletter.objects.filter(kind=Kind.DIGEST).order_by("language"))
    through = Subscriber.newsletters.through
    now = timezone.now()
    batch = 5000
    for start in range(have, count, batch):
        numbers = range(start, min(count, start + batch))
        users = User.objects.bulk_create(
            User(email=f"member{n}@bench.example", password="!", email_confirmed_at=now)
            for n in numbers
            if n % 3 == 0
        )
        Subscription.objects.bulk_create(
            Subscription(
                user=user,
                plan=plan,
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=29),
            )
            for user in users
        )
        members = {user.email: user for user in users}
        subscribers = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"member{n}@bench.example" if n % 3 == 0 else f"reader{n}@bench.example",
                user=members.get(f"member{n}@bench.example"),
                discreet=n % 3 == 1,
            )
            for n in numbers
        )
        through.objects.bulk_create(
            through(subscriber_id=subscriber.pk, newsletter_id=digests[n % 3].pk)
            for n, subscriber in zip(numbers, subscribers, strict=True)
        )
        print(f"  seeded {numbers[-1] + 1:,} subscribers", flush=True)
    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    for language in ("be", "ru", "en"):
        for i in range(12):
            Article.objects.create(
                headline=f"Bench headline {i} ({language}), a day's story of average length",
                dek="Two sentences that tell the reader why this matters. " * 2,
                body="<p>Paragraph.</p>" * 8,
                section=section,
                language=language,
                status=Status.PUBLISHED,
                published_at=now - timedelta(minutes=10 * (i + 1)),
                access=Access.PLUS if i % 4 == 0 else Access.FREE,
            )


def fresh_digests():
    """Today's three digests, built and started (deliveries written)."""
    from django.utils import timezone

    from newsletters import delivery
    from newsletters.models import Kind, Letter, Newsletter

    Letter.objects.all().delete()
    started = time.perf_counter()
    letters = []
    for digest in Newsletter.objects.filter(kind=Kind.DIGEST):
        letter = Letter.objects.create(newsletter=digest, send_at=timezone.now())
        letter.refresh_items()
        assert delivery.start(letter.pk)
        letters.append(letter.pk)
    return letters, time.perf_counter() - started


def run(workers, env):
    from django.conf import settings
    from django.db.models import Count

    from newsletters import tasks
    from newsletters.models import Delivery, DeliveryStatus, Letter, Status

    letters, planning = fresh_digests()
    total = Delivery.objects.filter(letter__in=letters).count()
    settings.NEWSLETTERS_PARALLEL_TASKS = workers
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "newsletter_worker", "--interval", "0.1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    time.sleep(3)  # the workers start (Django, connections) before the clock does
    started = time.perf_counter()
    for letter in letters:
        tasks.enqueue_delivery(letter)
    last = 0
    while Letter.objects.filter(pk__in=letters).exclude(status=Status.SENT).exists():
        time.sleep(1)
        done = Delivery.objects.filter(letter__in=letters, status=DeliveryStatus.SENT).count()
        if done - last >= 10_000:
            print(f"    {done:,} of {total:,}", flush=True)
            last = done
    elapsed = time.perf_counter() - started
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    outcome = dict(
        Delivery.objects.filter(letter__in=letters)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {"messages": total, "seconds": elapsed, "planning": planning, "outcome": outcome}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()

    url = os.environ.get("BENCH_NEWSLETTERS_DATABASE_URL", DEFAULT_URL)
    version = ensure_database(url)
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SECRET_KEY": "bench-only-secret-key",
        "DATABASE_URL": url,
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "NEWSLETTERS_RATE_PER_SECOND": "0",
        "NEWSLETTERS_BATCH_SIZE": "1000",
        "NEWSLETTERS_TICK_SECONDS": "3600",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()
    print(f"Seeding {args.messages:,} subscribers (PostgreSQL {version})…", flush=True)
    seed(args.messages)

    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout.readline().strip() == "ready"
    results = {}
    try:
        for workers in args.workers:
            print(f"  {workers} worker(s)…", flush=True)
            results[workers] = run(workers, env)
            result = results[workers]
            rate = result["messages"] / result["seconds"]
            print(
                f"  {workers} worker(s): {result['messages']:,} messages in "
                f"{result['seconds']:.1f} s = {rate:,.0f}/s, {rate / workers:,.0f}/s per worker "
                f"(deliveries written in {result['planning']:.1f} s; {result['outcome']})",
                flush=True,
            )
    finally:
        sink.send_signal(signal.SIGTERM)
        received = sink.communicate(timeout=30)[0].strip()
    print(f"The SMTP server accepted {received} messages in all.")
    report = ["## Newsletters", ""]
    report.append(
        f"{args.messages:,} daily-digest messages (three editions, a third members, a third "
        f"discreet) rendered and handed over SMTP to a local aiosmtpd server, PostgreSQL "
        f"{version}, on this machine's {os.cpu_count()} cores (workers, server and database "
        "together), no rate limit."
    )
    report.append("")
    report.append("| workers | messages/s | per worker | wall time | deliveries written |")
    report.append("|---|---|---|---|---|")
    for workers, result in results.items():
        rate = result["messages"] / result["seconds"]
        report.append(
            f"| {workers} | {rate:,.0f} | {rate / workers:,.0f} | {result['seconds']:.0f} s "
            f"| {result['planning']:.1f} s |"
        )
    if 1 in results and 2 in results:
        one = results[1]["messages"] / results[1]["seconds"]
        two = results[2]["messages"] / results[2]["seconds"]
        line = f"Scaling from one worker to two: ×{two / one:.2f}."
        print(line)
        report += ["", line]
    if args.write:
        from results import write_section

        write_section("## Newsletters", "\n".join(report))


if __name__ == "__main__":
    main()
