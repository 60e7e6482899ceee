"""Full-text search over articles, honest about the paywall.

Each article keeps two searchable documents: a *public* one (headline, dek and
the teaser readers without access see) and a *full* one (headline, dek and the
whole body). A reader's query runs against the full document of the articles
paywall.access lets them read, and against the public document of the rest,
so a POZIRK+ article is never found by words only its gated body holds.

On PostgreSQL both documents are stored tsvectors with GIN indexes, built in
the article's language configuration (russian, english; simple for
Belarusian, which PostgreSQL lacks) plus a transliterated copy, and queried
with websearch syntax ("a phrase", -exclusion). SQLite, for the quick start,
searches transliterated, lower-cased copies of the same documents, so
"Лукашэнка" matches however it is capitalised and "lukasenka" finds
"Łukašenka".
"""

import re
from html import escape

from anyascii import anyascii
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, connections, transaction
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from paywall.access import has_plus, readable_q

MAX_QUERY_LENGTH = 200
# Relevance is ranked among the newest this-many matches. Ranking every match
# of a word found in half the archive would cost seconds; a news search cares
# more for this month's reports than for the best match of ten years ago.
RANKED_CANDIDATES = 1000
# How common a term is, is told by the newest SAMPLE articles: in a tenth of
# them or more (DENSE_SHARE), its newest matches are near at hand.
SAMPLE = 1000
DENSE_SHARE = 0.1
# The newest articles searched through the indexes first: a term less
# common than that (RANKED_CANDIDATES matches among WINDOW articles) is rare
# enough to search for in the whole archive.
WINDOW = 100_000
SNIPPET_WORDS = 32
# PostgreSQL text search configuration per article language.
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "be": "simple"}

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text):
    """Lower-case ASCII: 'Łukašenka' and 'LUKASENKA' both become 'lukasenka'."""
    return anyascii(text or "").lower()


def clean_query(text):
    """The query as typed, without control characters (PostgreSQL refuses NUL)."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def parse(text):
    """Websearch-style terms: (included, excluded), each a list of normalised
    words or phrases. Unbalanced quotes are read as plain words."""
    included, excluded = [], []
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        phrase = match.group(2) if match.group(2) is not None else match.group(4)
        words = _WORD.findall(normalise(phrase))
        if not words or phrase.lower() == "or":
            continue
        (excluded if negated else included).append(" ".join(words))
    return included, excluded


def documents(article):
    """The (public, full) plain-text documents of an article, before indexing."""
    head = f"{article.headline}\n{article.dek}\n"
    public = head + strip_tags(article.teaser_html())
    full = head + strip_tags(article.body_html())
    return public, full


def index_fields(article):
    """The article's stored search documents: plain text (what PostgreSQL
    indexes) and its transliterated, lower-cased copy (what SQLite matches)."""
    public, full = documents(article)
    return {
        "search_text_public": public,
        "search_text_full": full,
        "search_norm_public": normalise(public),
        "search_norm_full": normalise(full),
    }


def vectors(language):
    """The expressions of an article's two stored tsvectors, in `language`'s
    configuration: {field: expression}. Weights: headline A, dek B, body C,
    the transliterated copy D."""
    config = SEARCH_CONFIGS[language]

    def vector(text_field, norm_field):
        return (
            SearchVector("headline", weight="A", config=config)
            + SearchVector("dek", weight="B", config=config)
            + SearchVector(text_field, weight="C", config=config)
            + SearchVector(norm_field, weight="D", config="simple")
        )

    return {
        "search_vector_public": vector("search_text_public", "search_norm_public"),
        "search_vector_full": vector("search_text_full", "search_norm_full"),
    }


def refresh_vectors(queryset):
    """Rebuild the stored tsvectors of `queryset` in one UPDATE per language."""
    if connection.vendor != "postgresql":
        return
    for language in SEARCH_CONFIGS:
        queryset.filter(language=language).update(**vectors(language))


def _postgres_match(query):
    tsquery = (
        SearchQuery(query, search_type="websearch", config="english")
        | SearchQuery(query, search_type="websearch", config="russian")
        | SearchQuery(query, search_type="websearch", config="simple")
        | SearchQuery(normalise(query), search_type="websearch", config="simple")
    )
    return (
        Q(search_vector_full=tsquery),
        Q(search_vector_public=tsquery),
        SearchRank(F("search_vector_full"), tsquery),
        SearchRank(F("search_vector_public"), tsquery),
    )


def _fallback_match(query):
    included, excluded = parse(query)
    full, public, in_headline = Q(), Q(), Q()
    for word in _WORD.findall(query):
        # Approximate: SQLite compares case-insensitively in ASCII only.
        in_headline |= Q(headline__icontains=word)
    for term in included:
        full &= Q(search_norm_full__contains=term)
        public &= Q(search_norm_public__contains=term)
    for term in excluded:
        full &= ~Q(search_norm_full__contains=term)
        public &= ~Q(search_norm_public__contains=term)
    # Relevance without an index: the headline first, then what everyone sees
    # (dek, teaser), then the depths of the body.
    rank = Case(
        When(in_headline, then=Value(3.0)), When(public, then=Value(2.0)), default=Value(1.0)
    )
    return full, public, rank, rank


def _newest(matches):
    """The (pk, published_at) of the newest RANKED_CANDIDATES of `matches`."""
    return matches.order_by("-published_at", "-pk").values_list("pk", "published_at")[
        :RANKED_CANDIDATES
    ]


def _starts(alias, live_times):
    """When the newest WINDOW and the newest SAMPLE live articles begin (None
    where the archive is smaller), read in one round trip."""
    parts = [
        live_times.using(alias)[count - 1 : count].query.get_compiler(alias).as_sql()
        for count in (WINDOW, SAMPLE)
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _ in parts),
            [param for _, params in parts for param in params],
        )
        return cursor.fetchone()


def _postgres_candidates(queryset, arms, matches, live_times):
    """The ids of the newest RANKED_CANDIDATES matches, found at a cost that
    does not grow with the archive (see search()).

    The newest SAMPLE articles tell how common the term is. A dense term's
    newest matches are found by walking the date index, testing each
    article; any other's through the GIN indexes alone, each way a reader can
    match kept apart (`arms`), so that no article's stored vector is read to
    test it again: first among the newest WINDOW articles, then, if they hold
    too few, in the whole archive, where the term is then rare."""
    alias = queryset.db
    start, sample_start = _starts(alias, live_times)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        # Bitmaps of the GIN and date indexes only, kept exact in memory: the
        # newest SAMPLE articles are counted without reading their vectors
        # (which testing each of them would: most of a search's cost).
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
            "SET LOCAL work_mem = '64MB'"
        )
        sample = matches if sample_start is None else matches.filter(published_at__gte=sample_start)
        if sample.count() >= SAMPLE * DENSE_SHARE:
            cursor.execute(
                "SET LOCAL enable_indexscan = on; SET LOCAL enable_seqscan = on; "
                "SET LOCAL enable_bitmapscan = off"
            )
            return _ids(_newest(matches))
        windows = [start, None] if start is not None else [None]
        for begins in windows:
            newest = []
            for arm in arms:
                within = queryset.filter(arm)
                if begins is not None:
                    within = within.filter(published_at__gte=begins)
                newest.append(_newest(within))
            if len(newest) > 1:
                # The arms (disjoint) in one round trip, merged by the database.
                newest = [
                    newest[0]
                    .union(*newest[1:], all=True)
                    .order_by("-published_at", "-pk")[:RANKED_CANDIDATES]
                ]
            found = _ids(newest[0])
            if len(found) >= RANKED_CANDIDATES:
                break
    return found


def _ids(newest):
    """The ids of `newest` (rows of _newest), without turning each one's
    publication time into a datetime on the way: only which they are counts."""
    sql, params = newest.query.get_compiler(newest.db).as_sql()
    with connections[newest.db].cursor() as cursor:
        cursor.execute(f"SELECT pk FROM ({sql}) AS newest", params)
        return [pk for (pk,) in cursor.fetchall()]


def search(queryset, query, user, live_times):
    """(`queryset` narrowed to matches of `query` for `user`, best first; how
    many they are, where that is known without counting them, else None).
    `live_times`: the times of the live articles, newest first, read from an
    index (ArticleQuerySet.search passes the home feed's listings).

    Readable articles match on their full document, the others on their
    public one only; among the newest RANKED_CANDIDATES matches, relevance
    first, then the newest. On PostgreSQL finding those matches costs about
    the same in an archive of a million as in one of ten thousand
    (_postgres_candidates); SQLite, for the quick start, walks the archive.
    """
    if not parse(query)[0]:
        return queryset.none(), 0
    matcher = _postgres_match if connection.vendor == "postgresql" else _fallback_match
    full, public, full_rank, public_rank = matcher(query)
    readable = readable_q(user)
    matches = queryset.filter((readable & full) | (~readable & public))
    if connection.vendor == "postgresql":
        arms = [full] if has_plus(user) else [readable & full, ~readable & public]
        candidates = _postgres_candidates(queryset, arms, matches, live_times)
        # One array rather than a thousand parameters, each of which the
        # driver would otherwise parse and quote.
        among = Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (candidates,)))
        # The page's count: the candidates are matches, each once.
        found = len(candidates)
    else:
        among = Q(pk__in=matches.order_by("-published_at", "-pk").values("pk")[:RANKED_CANDIDATES])
        found = None
    return (
        queryset.filter(among)
        .annotate(
            rank=Case(
                When(readable, then=full_rank), default=public_rank, output_field=FloatField()
            )
        )
        .order_by("-rank", "-published_at", "-pk"),
        found,
    )


def snippet(article, query):
    """A short passage around the first match, terms marked with <mark>.

    It is cut from what this reader may read: the stored plain text of the
    whole article when it is unlocked for them, otherwise of its headline,
    dek and teaser only (`snippet_text`, loaded by ArticleQuerySet.search),
    the headline left out (it is shown above the passage).
    """
    words = article.snippet_text.split()[len(article.headline.split()) :]
    terms = [term for phrase in parse(query)[0] for term in phrase.split()]

    def matches(word):
        bare = normalise(word)
        return any(term in bare for term in terms)

    first = _first_match(words, terms, matches)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    # The standard library's escape, as Django's is, without its check of
    # every argument for lazy text (these are plain strings).
    marked = [f"<mark>{escape(w)}</mark>" if matches(w) else escape(w) for w in window]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(prefix + " ".join(marked) + suffix)


def _first_match(words, terms, matches):
    """The index of the first of `words` holding one of `terms` (0 if none):
    found in the passage transliterated at once rather than word by word,
    unless transliterating moved the boundaries between words."""
    bare = normalise(" ".join(words))
    if len(bare.split()) != len(words):
        return next((i for i, word in enumerate(words) if matches(word)), 0)
    found = [at for at in (bare.find(term) for term in terms) if at >= 0]
    if not found:
        return 0
    at = min(found)
    before = len(bare[:at].split())
    # A term found inside a word: that word is the last one counted.
    return before - 1 if at and not bare[at - 1].isspace() else before
