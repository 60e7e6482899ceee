"""`manage.py generate_articles N`: bulk, realistic-looking archive for load tests.

Articles are built in memory from word lists in the three languages, written
with bulk inserts in batches, their sections, authors and tags linked in bulk,
and their search documents filled in as they are built; on PostgreSQL the
vectors are computed afterwards by a few set-based UPDATEs. Nothing here is
for a real site: the text is filler.
"""

import functools
import itertools
import random
import sys
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import (
    Access,
    Article,
    ArticleSection,
    Author,
    Section,
    Status,
    Tag,
    TaggedArticle,
)
from articles.search import normalise, refresh_vectors

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
VOCABULARY_SIZE = 12_000
BATCH = 2000


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
    """A sentence and its normalised search form."""
    words, cumulative = vocabulary(language)
    chosen = rng.choices(words, cum_weights=cumulative, k=length)
    text = " ".join(chosen)
    forms = normalised_vocabulary(language)
    return text[0].upper() + text[1:] + ".", " ".join(forms[w] for w in chosen) + "."


class Command(BaseCommand):
    help = "Create N published filler articles quickly, for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--gated-share", type=float, default=0.4, help="Share of POZIRK+ articles."
        )

    def handle(self, count, seed, gated_share, **options):
        if count < 1:
            raise CommandError("Give a positive number of articles.")
        rng = random.Random(seed)
        sections = list(Section.objects.all()) or [
            Section.objects.create(name=name, slug=name.lower(), position=i)
            for i, name in enumerate(["Politics", "Economy", "Security", "Society"])
        ]
        authors = list(Author.objects.all()[:50]) or [
            Author.objects.create(name=f"Bench Reporter {i}", slug=f"bench-reporter-{i}")
            for i in range(12)
        ]
        tags = [Tag.objects.get_or_create(name=f"Topic {i}")[0] for i in range(40)]
        start_pk = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        now = timezone.now()
        started = time.monotonic()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                articles = [
                    self.build(rng, start_pk + made + i, sections, now, gated_share)
                    for i in range(size)
                ]
                created = Article.objects.bulk_create(articles)
                self.link(rng, created, sections, authors, tags)
            made += size
            self.progress(made, count, started)
        self.stdout.write("\nComputing search vectors…")
        refresh_vectors(Article.objects.filter(pk__gte=start_pk))
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created {count} articles in {elapsed:.1f} s."))

    def build(self, rng, number, sections, now, gated_share):
        language = rng.choices(["en", "ru", "be"], weights=[6, 3, 2])[0]
        headline, headline_norm = sentence(rng, language, rng.randint(5, 10))
        headline = headline[:-1]
        dek, dek_norm = sentence(rng, language, rng.randint(12, 20))
        paragraphs, paragraphs_norm = zip(
            *(sentence(rng, language, rng.randint(25, 50)) for _ in range(rng.randint(4, 8))),
            strict=True,
        )
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        head, head_norm = f"{headline}\n{dek}\n", f"{headline_norm}\n{dek_norm}\n"
        public, full = head + paragraphs[0], head + " ".join(paragraphs)
        return Article(
            headline=headline,
            slug=f"bench-{number}",
            dek=dek,
            body=body,
            section=rng.choice(sections),
            language=language,
            access=Access.PLUS if rng.random() < gated_share else Access.FREE,
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=number * 7 % 10_000_000),
            search_text_public=public,
            search_text_full=full,
            search_norm_public=head_norm + paragraphs_norm[0],
            search_norm_full=head_norm + " ".join(paragraphs_norm),
        )

    def link(self, rng, articles, sections, authors, tags):
        ArticleSection.objects.bulk_create(
            ArticleSection(article=a, section=rng.choice(sections))
            for a in articles
            if rng.random() < 0.3
        )
        through = Article.authors.through
        through.objects.bulk_create(
            through(article_id=a.pk, author_id=rng.choice(authors).pk) for a in articles
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=a, tag=tag)
            for a in articles
            for tag in rng.sample(tags, 2)
        )

    def progress(self, made, count, started):
        width = 40
        done = int(width * made / count)
        rate = made / max(time.monotonic() - started, 1e-6)
        sys.stdout.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {made}/{count} ({rate:,.0f} articles/s)"
        )
        sys.stdout.flush()
