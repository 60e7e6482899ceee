"""Where a render's time goes: cProfile over the home page with every cache off.

    python bench/profile_render.py [--articles 10000] [--renders 200] [--page /]

Uses the database bench/run.py seeds (run it once first) and the settings of
its "cache off" row (bench/nocache_settings.py: every cache alias a
DummyCache, no page kept), with debug off and production middleware, and
requests the page through Django's full request handler `--renders` times in
this process after a few unprofiled ones (template loading, connections).
Writes the 40 costliest functions by their own time and by cumulative time to
bench/profile-home.txt (or --out), with the mean time a render took.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
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
    parser.add_argument("--page", default="/")
    parser.add_argument("--out", default=str(ROOT / "bench" / "profile-home.txt"))
    args = parser.parse_args()

    url = database_url(args.articles)
    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.nocache_settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        assert client.get(args.page).status_code == 200
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.renders):
        client.get(args.page)
    profiler.disable()
    mean = (time.perf_counter() - started) / args.renders * 1000

    out = io.StringIO()
    out.write(
        f"{args.renders} renders of {args.page} with every cache off "
        f"(bench/nocache_settings.py), {mean:.1f} ms each under the profiler "
        f"(python bench/profile_render.py --renders {args.renders} --page {args.page}).\n"
    )
    for order in ("tottime", "cumulative"):
        out.write(f"\n=== the 40 costliest by {order} ===\n")
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(40)
    Path(args.out).write_text(out.getvalue())
    print(f"{mean:.1f} ms a render (profiled); written to {args.out}")


if __name__ == "__main__":
    main()
