"""Where a render's time goes: cProfile over the home page with every cache off.

    python bench/profile_render.py [--articles 10000] [--renders 200] [--page /en/]

Uses the database bench/run.py seeds (run it once first) and the settings of
its "cache off" row (bench/nocache_settings.py: every cache alias a
DummyCache, no page kept), with debug off and production middleware, and
requests the page through Django's full request handler `--renders` times in
this process after a few unprofiled ones (template loading, connections),
then `--renders` times more under cProfile. Writes the 40 costliest
functions by their own time and by cumulative time to bench/profile-home.txt
(or --out), with the mean time a request took with and without the profiler.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

# bench/ is first on sys.path when a script in it runs.
from databases import ensure_database
from run import database_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=200)
    # An edition's own address: "/" answers with a redirect to one.
    parser.add_argument("--page", default="/en/")
    parser.add_argument(
        "--member",
        action="store_true",
        help="as bench/run.py's subscriber, with the caches on (their kept page)",
    )
    parser.add_argument(
        "--miss",
        action="store_true",
        help="caches on, a new address every time (an anonymous page-cache miss)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "profile-home.txt"))
    args = parser.parse_args()

    url = database_url(args.articles)
    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=(
            "newsroom.settings" if args.member or args.miss else "bench.nocache_settings"
        ),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        STATIC_ROOT=tempfile.mkdtemp(prefix="newsroom-profile-static-"),
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)

    client = Client(HTTP_HOST="127.0.0.1")
    if args.member:
        from run import SUBSCRIBER_EMAIL

        from paywall.models import User

        client.force_login(User.objects.get(email=SUBSCRIBER_EMAIL))
    for _ in range(5):
        assert client.get(args.page).status_code == 200
    separator = "&" if "?" in args.page else "?"

    # Misses never asked before, in this run or an earlier one.
    run = time.time_ns()

    def requests(first):
        for number in range(first, first + args.renders):
            client.get(f"{args.page}{separator}miss={run}-{number}" if args.miss else args.page)

    # Unprofiled first: the profiler slows the template engine's many small
    # calls more than the database's few long ones.
    started = time.perf_counter()
    requests(0)
    plain = (time.perf_counter() - started) / args.renders * 1000
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    requests(args.renders)
    profiler.disable()
    mean = (time.perf_counter() - started) / args.renders * 1000

    out = io.StringIO()
    out.write(
        f"{args.renders} requests for {args.page}, "
        + (
            "a subscriber's, caches on"
            if args.member
            else "a new address each, caches on"
            if args.miss
            else "every cache off (nocache_settings)"
        )
        + f", {plain:.1f} ms each unprofiled, {mean:.1f} ms under the profiler "
        f"(python bench/profile_render.py {' '.join(sys.argv[1:])}).\n"
    )
    for order in ("tottime", "cumulative"):
        out.write(f"\n=== the 40 costliest by {order} ===\n")
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(40)
    Path(args.out).write_text(out.getvalue())
    shutil.rmtree(os.environ["STATIC_ROOT"], ignore_errors=True)
    print(f"{plain:.1f} ms a render ({mean:.1f} ms profiled); written to {args.out}")


if __name__ == "__main__":
    main()
