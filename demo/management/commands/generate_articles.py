"""`manage.py generate_articles N`: a bulk, realistic-looking archive for load tests.

Text is drawn from word lists in the three languages with Zipf's law, so that
searches are as selective as on a real archive. Headlines are drawn word by
word; deks and bodies are made of sentences from a pool drawn the same way,
which keeps a million articles to a minute of Python.

On PostgreSQL the rows travel by COPY: each batch goes into an unlogged
staging table, and a second connection moves it into the articles table
while the next batch is being written, computing the search vectors on the
way (the expressions articles/search.py uses), then links sections, authors
and tags and lists each article in its feeds (articles/listings.py). For a
large run the GIN search indexes are dropped first and built again at the
end, which is many times faster than updating them row by row.
On SQLite (the quick start, tests) the same rows go through bulk_create.
Nothing here is for a real site: the text is filler.
"""

import functools
import itertools
import os
import queue
import random
import sys
import threading
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.sql import Query
from django.utils import timezone

from articles import listings
from articles.changes import announce
from articles.models import (
    Article,
    ArticleSection,
    Author,
    Listing,
    Section,
    Status,
    Tag,
    TaggedArticle,
)
from articles.search import SEARCH_CONFIGS, normalise, refresh_vectors, vectors
from paywall.access import Access

WORDS = {
    "en": (
        "border court ministry factory harvest prisoners sanctions election energy "
        "refinery exports wages pension school hospital railway protest exile "
        "journalist verdict parliament minister budget inflation customs tractor "
        "potash fertiliser grain village city region regime opposition activist"
    ).split(),
    "ru": (
        "граница суд министерство завод урожай заключённые санкции выборы энергия "
        "экспорт зарплата пенсия школа больница железная дорога протест эмиграция "
        "журналист приговор парламент министр бюджет инфляция таможня трактор"
    ).split(),
    "be": (
        "мяжа суд міністэрства завод ураджай палітвязні санкцыі выбары энергія "
        "экспарт заробак пэнсія школа бальніца чыгунка пратэст эміграцыя "
        "журналіст прысуд парлямэнт міністар бюджэт інфляцыя мытня трактар"
    ).split(),
}
SYLLABLES = {
    "en": "ka lo mi ner sto va ri den ul pa tor ge bi zo mar lin ost ek".split(),
    "ru": "ка ло ми нер сто ва ри ден ул па тор ге би зо мар лин ост ек".split(),
    "be": "ка ла мі нер сто ва ры дзен ул па тар ге бі зо мар лін ост эк".split(),
}
LANGUAGE_WEIGHTS = {"en": 6, "ru": 3, "be": 2}
VOCABULARY_SIZE = 12_000
# Sentences per language that deks and bodies are made of.
POOL_SIZE = 20_000
BATCH = 10_000
# Runs at least this large (and at least as large as the table) rebuild the
# GIN indexes at the end instead of updating them for every row.
REBUILD_INDEXES_FROM = 50_000


@functools.cache
def vocabulary(language):
    """Words by frequency rank: the topic words first, then made-up words.

    Drawn with Zipf's law (the n-th word about 1/n as often as the first), as
    in real text: common words are in most articles, rare ones in few, so
    searches are as selective as on a real archive.
    """
    rng = random.Random(language)
    words = list(dict.fromkeys(WORDS[language]))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(SYLLABLES[language]) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.07 for rank in range(len(words))))
    return words, cumulative


@functools.cache
def normalised_vocabulary(language):
    """Each word's search form, computed once: transliterating every article's
    text afresh would cost more than everything else here together."""
    return {word: normalise(word) for word in vocabulary(language)[0]}


def sentence(rng, language, length):
    """A sentence of `length` words and its normalised search form."""
    words, cumulative = vocabulary(language)
    chosen = rng.choices(words, cum_weights=cumulative, k=length)
    text = " ".join(chosen)
    forms = normalised_vocabulary(language)
    return text[0].upper() + text[1:] + ".", " ".join(forms[w] for w in chosen) + "."


@functools.cache
def sentence_pool(language):
    """POOL_SIZE sentences of 6 to 16 words, the same on every run."""
    rng = random.Random(f"pool-{language}")
    return [sentence(rng, language, rng.randint(6, 16)) for _ in range(POOL_SIZE)]


def prose(rng, language, count):
    """`count` sentences from the pool, joined: (text, normalised text)."""
    picked = rng.choices(sentence_pool(language), k=count)
    return " ".join(text for text, _ in picked), " ".join(norm for _, norm in picked)


class Command(BaseCommand):
    help = "Create N published filler articles quickly, for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--gated-share", type=float, default=0.4, help="Share of POZIRK+ articles."
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="Articles per batch.")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="PostgreSQL: connections storing batches (default: one per core).",
        )

    def handle(self, count, seed, gated_share, batch, workers, **options):
        if count < 1:
            raise CommandError("Give a positive number of articles.")
        if batch < 1 or workers < 1:
            raise CommandError("--batch and --workers take positive numbers.")
        if not 0 <= gated_share <= 1:
            raise CommandError("--gated-share is a share between 0 and 1.")
        self.rng = random.Random(seed)
        self.gated_share = gated_share
        self.now = timezone.now()
        self.sections = list(Section.objects.all()) or [
            Section.objects.create(name=name, slug=name.lower(), position=i)
            for i, name in enumerate(["Politics", "Economy", "Security", "Society"])
        ]
        self.authors = list(Author.objects.all()[:50]) or [
            Author.objects.create(name=f"Bench Reporter {i}", slug=f"bench-reporter-{i}")
            for i in range(12)
        ]
        self.tags = [Tag.objects.get_or_create(name=f"Topic {i}")[0] for i in range(40)]
        started = time.monotonic()
        write = self.copy_into_postgres if connection.vendor == "postgresql" else self.bulk_create
        write(count, batch, started, workers)
        # Rows written around the model send no signals: retire cached pages.
        announce()
        elapsed = time.monotonic() - started
        rate = count / elapsed
        self.stdout.write(
            self.style.SUCCESS(f"Created {count:,} articles in {elapsed:.1f} s ({rate:,.0f}/s).")
        )

    # --- what an article is made of ------------------------------------------

    def article(self, number):
        """The field values of filler article `number` (also its id)."""
        rng = self.rng
        language = rng.choices(list(LANGUAGE_WEIGHTS), weights=LANGUAGE_WEIGHTS.values())[0]
        headline, headline_norm = sentence(rng, language, rng.randint(5, 10))
        headline, headline_norm = headline[:-1], headline_norm[:-1]
        dek, dek_norm = prose(rng, language, rng.randint(1, 2))
        paragraphs = [prose(rng, language, rng.randint(3, 5)) for _ in range(rng.randint(4, 7))]
        head, head_norm = f"{headline}\n{dek}\n", f"{headline_norm}\n{dek_norm}\n"
        return {
            "id": number,
            "headline": headline,
            "slug": f"bench-{number}",
            "dek": dek,
            "body": "".join(f"<p>{text}</p>" for text, _ in paragraphs),
            "section_id": rng.choice(self.sections).pk,
            "language": language,
            "access": Access.PLUS if rng.random() < self.gated_share else Access.FREE,
            "status": Status.PUBLISHED,
            # About 200 a day, going back in time.
            "published_at": self.now - timedelta(minutes=number * 7 % 10_000_000),
            "created_at": self.now,
            "updated_at": self.now,
            "search_text_public": head + paragraphs[0][0],
            "search_text_full": head + " ".join(text for text, _ in paragraphs),
            "search_norm_public": head_norm + paragraphs[0][1],
            "search_norm_full": head_norm + " ".join(norm for _, norm in paragraphs),
        }

    def links(self, number):
        """(other sections, authors, tags) of article `number`, as id lists."""
        rng = self.rng
        also_in = [rng.choice(self.sections).pk] if rng.random() < 0.3 else []
        return also_in, [rng.choice(self.authors).pk], [t.pk for t in rng.sample(self.tags, 2)]

    # --- SQLite and other databases: the ORM ---------------------------------

    def bulk_create(self, count, batch, started, workers):
        first = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        through = Article.authors.through
        for start in range(first, first + count, batch):
            numbers = range(start, min(start + batch, first + count))
            with transaction.atomic():
                Article.objects.bulk_create(Article(**self.article(n)) for n in numbers)
                sections, authors, tags = [], [], []
                for n in numbers:
                    also_in, bylines, tagged = self.links(n)
                    sections += [ArticleSection(article_id=n, section_id=s) for s in also_in]
                    authors += [through(article_id=n, author_id=a) for a in bylines]
                    tags += [TaggedArticle(content_object_id=n, tag_id=t) for t in tagged]
                ArticleSection.objects.bulk_create(sections)
                through.objects.bulk_create(authors)
                TaggedArticle.objects.bulk_create(tags)
                listings.relist_range(numbers[0], numbers[-1])
            self.progress(numbers[-1] - first + 1, count, started)
        self.stdout.write("")
        refresh_vectors(Article.objects.filter(pk__gte=first))

    # --- PostgreSQL: COPY, two connections ------------------------------------

    def copy_into_postgres(self, count, batch, started, workers):
        table = Article._meta.db_table
        first = self.reserve_ids(count)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM " + connection.ops.quote_name(table))
            existing = cursor.fetchone()[0]
        rebuild = count >= max(REBUILD_INDEXES_FROM, existing)
        dropped = self.drop_gin_indexes() if rebuild else []
        staging = f"generate_articles_{uuid.uuid4().hex[:12]}"
        batches = queue.Queue(maxsize=workers)
        movers = [Mover(staging, batches) for _ in range(workers)]
        for mover in movers:
            mover.start()

        def stored():
            for mover in movers:
                mover.raise_if_failed()
            return sum(mover.done for mover in movers)

        def hand_over(item):
            while True:
                try:
                    return batches.put(item, timeout=1)
                except queue.Full:
                    stored()  # raises if the movers have failed

        try:
            for start in range(first, first + count, batch):
                numbers = range(start, min(start + batch, first + count))
                rows = [self.article(n) for n in numbers]
                links = [self.links(n) for n in numbers]
                name = f"{staging}_{start}"
                self.copy_to_staging(name, rows)
                hand_over((name, numbers, links))
                self.progress(numbers[-1] - first + 1, count, started, stored())
            for _ in movers:
                hand_over(None)
            while any(mover.is_alive() for mover in movers):
                time.sleep(0.5)
                self.progress(count, count, started, stored())
            self.progress(count, count, started, stored())
        finally:
            for mover in movers:
                mover.stop()
            self.drop_staging(staging)
            if dropped:
                self.stdout.write("\nBuilding the search indexes…")
                build_indexes(dropped)
        self.stdout.write("\nUpdating the planner's statistics…")
        with connection.cursor() as cursor:
            for model in (Article, ArticleSection, Article.authors.through, TaggedArticle, Listing):
                cursor.execute("VACUUM ANALYZE " + connection.ops.quote_name(model._meta.db_table))

    def reserve_ids(self, count):
        """Move the id sequence past `count` new ids and return the first:
        other writers meanwhile get ids after them."""
        table = Article._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                f'SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), '
                f"(SELECT last_value FROM {sequence})) + %s)",
                [sequence, count],
            )
            return cursor.fetchone()[0] - count + 1

    def drop_gin_indexes(self):
        """Drop the articles' GIN indexes; return the statements that make them again."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = %s AND indexdef LIKE '%% USING gin %%'",
                [Article._meta.db_table],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute("DROP INDEX " + connection.ops.quote_name(name))
        return [definition for _, definition in found]

    def copy_to_staging(self, name, rows):
        fields = staged_fields()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE UNLOGGED TABLE {name} (LIKE "{Article._meta.db_table}")')
            with cursor.copy(copy_sql(name, [f.column for f in fields])) as copy:
                for row in rows:
                    copy.write_row([database_value(field, row) for field in fields])

    def drop_staging(self, staging):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE %s", [f"{staging}_%"]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TABLE IF EXISTS {name}")

    def progress(self, made, count, started, moved=None):
        width = 40
        done = int(width * made / count)
        rate = made / max(time.monotonic() - started, 1e-6)
        stored = "" if moved is None else f", {moved:,} stored"
        sys.stdout.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {made:,}/{count:,} written{stored} "
            f"({rate:,.0f} articles/s)"
        )
        sys.stdout.flush()


def build_indexes(definitions):
    """Run each CREATE INDEX statement on a connection of its own, at once."""
    errors = []

    def build(definition):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(definition)
        except Exception as error:  # raised below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    builders = [threading.Thread(target=build, args=[d]) for d in definitions]
    for builder in builders:
        builder.start()
    for builder in builders:
        builder.join()
    if errors:
        raise CommandError(f"Building a search index failed: {errors[0]}") from errors[0]


def staged_fields():
    """The article fields staged, in table order: every one the model has
    except the search vectors, which are computed on the way in."""
    computed = set(vectors("en"))
    return [f for f in Article._meta.concrete_fields if f.name not in computed]


def database_value(field, row):
    """What the database stores for `field` of an article built by
    Command.article(): its value there, or the model's default."""
    value = row[field.attname] if field.attname in row else field.get_default()
    return field.get_db_prep_save(value, connection)


def copy_sql(name, columns):
    """The COPY statement of table `name` with `columns`."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    return f"COPY {connection.ops.quote_name(name)} ({quoted}) FROM STDIN"


class Mover(threading.Thread):
    """Moves staged batches into the articles table on a connection of its
    own (Django gives each thread one), computing the search vectors, then
    links each batch's sections, authors and tags. Computing the vectors is
    most of a run's work: one mover per core."""

    def __init__(self, staging, batches):
        super().__init__(daemon=True)
        self.staging, self.batches = staging, batches
        self.done = 0
        self.error = None
        self._halt = threading.Event()

    def run(self):
        try:
            while not self._halt.is_set():
                item = self.batches.get()
                if item is None:
                    return
                self.move(*item)
        except Exception as error:  # reported by the main thread
            self.error = error
        finally:
            connection.close()

    def stop(self):
        """Stop after the batch at hand (the queue is emptied for it)."""
        self._halt.set()
        while self.is_alive():
            try:
                self.batches.get_nowait()
            except queue.Empty:
                pass
            self.join(timeout=0.5)

    def raise_if_failed(self):
        if self.error is not None:
            raise CommandError(f"Storing a batch failed: {self.error}") from self.error

    def move(self, name, numbers, links):
        table = Article._meta.db_table
        columns = [f.column for f in staged_fields()]
        quoted = ", ".join(f'"{table}"."{c}"' for c in columns)
        targets = ", ".join(connection.ops.quote_name(c) for c in columns)
        query = Query(Article)
        compiler = query.get_compiler(connection=connection)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            for language in SEARCH_CONFIGS:
                computed, params = [], []
                for field, expression in vectors(language).items():
                    sql, expression_params = compiler.compile(
                        expression.resolve_expression(query, allow_joins=False)
                    )
                    computed.append((field, sql))
                    params += expression_params
                # The staging table takes the articles table's name, so that
                # the compiled expressions' column references find its rows.
                cursor.execute(
                    f'INSERT INTO "{table}" ({targets}, {", ".join(f for f, _ in computed)}) '
                    f"SELECT {quoted}, {', '.join(sql for _, sql in computed)} "
                    f'FROM {name} AS "{table}" WHERE "{table}"."language" = %s',
                    [*params, language],
                )
            cursor.execute(f"DROP TABLE {name}")
            self.link(cursor, numbers, links)
            listings.relist_range(numbers[0], numbers[-1])
        self.done += len(numbers)

    @staticmethod
    def link(cursor, numbers, links):
        through = Article.authors.through
        tables = [
            (ArticleSection, ["article_id", "section_id"]),
            (through, ["article_id", "author_id"]),
            (TaggedArticle, ["content_object_id", "tag_id"]),
        ]
        for position, (model, fields) in enumerate(tables):
            columns = [model._meta.get_field(f.removesuffix("_id")).column for f in fields]
            with cursor.copy(copy_sql(model._meta.db_table, columns)) as copy:
                for number, linked in zip(numbers, links, strict=True):
                    for other in linked[position]:
                        copy.write_row((number, other))
