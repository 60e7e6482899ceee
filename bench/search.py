"""Search over a large archive in PostgreSQL, with and without the GIN indexes.

    python bench/search.py [--articles 100000] [--runs 7]

Seeds the articles into a PostgreSQL database of its own (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/newsroom_bench; created if missing,
reused on later runs), then times the search page's own query (the count and
the first page of results, for an anonymous reader) a few times with the
indexes, and again inside a transaction that drops them and is rolled back.
Prints the median of each and their ratio, both measured in this run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# bench/ is first on sys.path when a script in it runs.
from databases import ensure_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"


def queries():
    """A common word, a mid-frequency pair, a rare word, a Cyrillic one, a
    phrase and an exclusion, drawn from the generator's own vocabulary."""
    from demo.management.commands.generate_articles import vocabulary

    en, _ = vocabulary("en")
    ru, _ = vocabulary("ru")
    return [
        en[0],
        f"{en[200]} {en[300]}",
        en[5000],
        ru[400],
        f'"{en[1]} {en[2]}"',
        f"{en[150]} -{en[3]}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key"),
    )
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles.models import Article

    call_command("migrate", verbosity=0)
    missing = args.articles - Article.objects.count()
    if missing > 0:
        print(f"Seeding {missing} articles (once; later runs reuse them)…")
        call_command("generate_articles", missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    total = Article.objects.count()

    def one_search(query):
        started = time.perf_counter()
        results = Article.objects.search(query, AnonymousUser())
        results.count()
        list(results[:20])
        return time.perf_counter() - started

    searches = queries()

    def measure():
        timings = {}
        for query in searches:
            one_search(query)  # warm the cache: we measure the query, not the disk
            timings[query] = statistics.median(one_search(query) for _ in range(args.runs))
        return timings

    with_index = measure()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX article_search_public_gin, article_search_full_gin")
        without_index = measure()
        transaction.set_rollback(True)

    print(f"\nSearch over {total:,} articles in PostgreSQL, median of {args.runs} runs")
    print(f"{'query':28} {'matches':>8} {'with GIN':>10} {'without':>10} {'ratio':>8}")
    for query in searches:
        fast, slow = with_index[query], without_index[query]
        matches = Article.objects.search(query, AnonymousUser()).count()
        print(
            f"{query:28} {matches:8,} {fast * 1000:8.1f}ms {slow * 1000:8.1f}ms {slow / fast:7.1f}×"
        )


if __name__ == "__main__":
    main()
