"""What the pages cost with a small archive and a large one, measured in one run.

    python bench/scale.py [--small 10000] [--large 1000000] [--runs 7] [--write]

Seeds two PostgreSQL databases with `manage.py generate_articles` (the
first time only; a million takes some ten minutes): newsroom_bench_10k and
newsroom_bench_1000k, or BENCH_SMALL_URL / BENCH_LARGE_URL. Then, for each
database in a process of its own, renders every page below through Django's
test client with production settings and no cache at all (every request a
full render from the database), and prints the median time of each page
and the share of it spent in SQL, with the ratio of the large archive to
the small one. Deep pages (page 5,000 of a section) exist only in the large
archive: their ratio is to the first page of the small one.

--write puts the table into bench/RESULTS.md under "Scale".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# bench/ is first on sys.path when a script in it runs.
from databases import ensure_database
from results import RESULTS, write_section

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"


def database_url(articles, variable):
    if os.environ.get(variable):
        return os.environ[variable]
    suffix = f"{articles // 1000}k" if articles % 1000 == 0 else str(articles)
    return f"{BASE_URL}_{suffix}"


def pages():
    """(label, path, compared with) for every page measured; paths need the
    database to fill them in (a live article's address, this month)."""
    from django.utils import timezone

    from articles.models import Article, Author, Section, Tag
    from demo.management.commands.generate_articles import vocabulary
    from paywall.access import Access

    en, _ = vocabulary("en")
    ru, _ = vocabulary("ru")
    live = Article.objects.published().order_by("-published_at", "-pk")
    section = Section.objects.active().order_by("position").first()
    tag = Tag.objects.order_by("name").first()
    author = Author.objects.order_by("name").first()
    free = live.filter(access=Access.FREE).select_related("section").first()
    gated = live.filter(access=Access.PLUS).select_related("section").first()
    month = timezone.localtime(live.first().published_at)
    return [
        ("home", "/", None),
        ("home, page 2", "/?page=2", None),
        ("section", section.get_absolute_url(), None),
        ("section, page 100", f"{section.get_absolute_url()}?page=100", None),
        ("section, page 5,000", f"{section.get_absolute_url()}?page=5000", "section"),
        ("tag", tag.get_absolute_url(), None),
        ("tag, page 1,000", f"{tag.get_absolute_url()}?page=1000", "tag"),
        ("author", author.get_absolute_url(), None),
        ("author, page 2,000", f"{author.get_absolute_url()}?page=2000", "author"),
        ("free article", free.get_absolute_url(), None),
        ("gated article", gated.get_absolute_url(), None),
        (f"search: the commonest word ({en[0]})", f"/search/?q={en[0]}", None),
        (f"search: a common word ({en[30]})", f"/search/?q={en[30]}", None),
        (f"search: a mid-frequency word ({en[300]})", f"/search/?q={en[300]}", None),
        (f"search: a rare word ({en[5000]})", f"/search/?q={en[5000]}", None),
        (f"search: Cyrillic ({ru[40]})", f"/search/?q={ru[40]}", None),
        (f"search: a phrase ({en[1]} {en[2]})", f'/search/?q="{en[1]}+{en[2]}"', None),
        ("RSS: latest", "/feeds/rss/", None),
        ("RSS: section", f"/feeds/section/{section.slug}/rss/", None),
        ("sitemap index", "/sitemap.xml", None),
        ("sitemap: this month", f"/sitemap-articles-{month:%Y-%m}.xml", None),
        ("news sitemap", "/sitemap-news.xml", None),
    ]


def worker(url, runs):
    """Time every page against the database `url`; print JSON."""
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.nocache_settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="ERROR",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    # Templates need the static files' manifest with debug off; the plain
    # storage needs none and names files the same way otherwise.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    sql_seconds = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - started

    client = Client()
    results = {"articles": Article.objects.count(), "pages": {}}
    with connection.execute_wrapper(timed):
        for label, path, _ in pages():
            status = client.get(path).status_code  # warm: the database's cache, not its disk
            totals, sqls = [], []
            for _ in range(runs):
                sql_seconds[0] = 0.0
                started = time.perf_counter()
                client.get(path)
                totals.append(time.perf_counter() - started)
                sqls.append(sql_seconds[0])
            results["pages"][label] = {
                "path": path,
                "status": status,
                "ms": statistics.median(totals) * 1000,
                "sql_ms": statistics.median(sqls) * 1000,
            }
    print("SCALEJSON " + json.dumps(results))


def measure(url, runs):
    result = subprocess.run(
        [sys.executable, __file__, "--worker", url, "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("SCALEJSON ")), None)
    if line is None:
        raise SystemExit(f"Measuring {url} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(line.removeprefix("SCALEJSON "))


def seed(url, articles):
    """Migrate and fill `url` up to `articles` (once; later runs reuse it)."""
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="true",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    count_articles = "from articles.models import Article; print(Article.objects.count())"
    count = subprocess.run(
        [*manage, "shell", "-c", count_articles],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    missing = articles - int(count.split()[-1])
    if missing > 0:
        print(f"Seeding {missing:,} articles into {url.rsplit('/', 1)[-1]} (once)…", flush=True)
        subprocess.run([*manage, "generate_articles", str(missing)], env=env, check=True, cwd=ROOT)


def table(small, large, order):
    lines = [
        f"| page | {small['articles']:,} articles | SQL | {large['articles']:,} articles "
        "| SQL | large ÷ small |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, compared_with in order:
        big, little = large["pages"][label], small["pages"][label]
        if little["status"] != 200:  # a deep page the small archive does not have
            little = None
        base = small["pages"][compared_with] if compared_with else little
        cells = [f"{little['ms']:.1f} ms", f"{little['sql_ms']:.1f} ms"] if little else ["—", "—"]
        ratio = f"{big['ms'] / base['ms']:.2f}×" if base else "—"
        if compared_with:
            ratio += f" (vs {compared_with} page 1)"
        status = "" if big["status"] == 200 else f" ({big['status']})"
        lines.append(
            f"| {label} | {cells[0]} | {cells[1]} | {big['ms']:.1f} ms{status} "
            f"| {big['sql_ms']:.1f} ms | {ratio} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.runs)

    urls = {
        "small": database_url(args.small, "BENCH_SMALL_URL"),
        "large": database_url(args.large, "BENCH_LARGE_URL"),
    }
    for size, url in urls.items():
        pg_version = ensure_database(url)
        seed(url, getattr(args, size))
    small = measure(urls["small"], args.runs)
    large = measure(urls["large"], args.runs)
    # The labels in order, with the page each deep page is compared with.
    order = [(label, compared) for label, _, compared in labels_of(large)]
    report = table(small, large, order)
    print(report)
    if args.write:
        command = "python bench/scale.py " + " ".join(sys.argv[1:])
        write_section(
            "## Scale",
            "\n".join(
                [
                    "## Scale",
                    "",
                    f"Command: `{command}` on {datetime.now(UTC):%Y-%m-%d}, PostgreSQL "
                    f"{pg_version}, {os.cpu_count()} cores. Median of {args.runs} renders "
                    "of each page through Django's test client, production settings, no "
                    "cache at all (every request renders from the database); *SQL* is the "
                    "part of it spent in queries.",
                    "",
                    report,
                    "",
                ]
            ),
        )
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}.")


def labels_of(result):
    """The page list as the worker measured it: (label, path, compared with)."""
    compared = {
        "section, page 5,000": "section",
        "tag, page 1,000": "tag",
        "author, page 2,000": "author",
    }
    return [(label, page["path"], compared.get(label)) for label, page in result["pages"].items()]


if __name__ == "__main__":
    main()
