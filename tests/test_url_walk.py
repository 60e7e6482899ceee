"""Every address of the site, fed what an attacker would feed it, answers
without a server error.

The walk takes each URL pattern of the configuration, public and admin (new
patterns join by themselves), and asks it with generated path segments and
query parameters: existing objects' keys beside huge and negative numbers,
NULs and other control characters, long strings, broken percent-escapes
(invalid UTF-8), repeated parameters. Each generated request is sent as GET
and as a form POST, as an anonymous reader, a reader, a POZIRK+ member and an
editor. Any 5xx, or any exception escaping a view, fails the walk and
Hypothesis prints the request that did it.

The number of examples per pattern is kept small for CI (which runs this on
SQLite and on PostgreSQL, where NULs and integer ranges bite) and fixed
(derandomized), so a run is reproducible. For a deeper hunt, e.g.
`NEWSROOM_WALK_EXAMPLES=200 NEWSROOM_WALK_RANDOM=1 pytest tests/test_url_walk.py`.
"""

import os
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paywall.models import GiftLink, MemberFeed
from reading.preview import sign_link
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, make_subscriber
from tests.second_factor import log_in_user

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("NEWSROOM_WALK_EXAMPLES", "3"))
WALK = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("NEWSROOM_WALK_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# The patterns ---------------------------------------------------------------------


def _leaves(patterns, prefix=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, (*prefix, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (*prefix, entry.pattern)


def _name(parts):
    return "".join(str(part) for part in parts) or "/"


PATTERNS = list(_leaves(get_resolver().url_patterns))


# What goes into an address ------------------------------------------------------------

# Percent-escapes put into addresses as they are: NUL, newline, escapes that
# are not UTF-8 (a lone continuation byte, a cut-short sequence, an overlong
# "/"), and ones that are no escape at all.
RAW_ESCAPES = ["%00", "%0a", "%0d", "%ff", "%c3", "%c3%28", "%e2%82", "%c0%af", "%", "%zz", "%2f"]
NUMBERS = [
    "0",
    "-1",
    "1",
    "2147483648",
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "9" * 40,
    "9" * 5000,
    "1e309",
    "NaN",
    "1.5",
    "0x10",
    " 1",
]
WORDS = ["", "last", "a" * 300, "a" * 5000, "\x00", "\x00abc", "\r\n", "\x1b[0m", "\u202e", "𝕏"]


def _quoted(strategy):
    return strategy.map(lambda text: quote(text, safe=""))


text_piece = st.one_of(
    _quoted(st.text(st.characters(exclude_categories=["Cs"]), max_size=20)),
    _quoted(st.sampled_from(WORDS)),
    st.sampled_from(NUMBERS),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(RAW_ESCAPES),
)
hostile = st.lists(text_piece, min_size=1, max_size=3).map("".join)
digits = st.one_of(
    st.sampled_from([n for n in NUMBERS if n.isdigit()]),
    st.integers(min_value=0, max_value=2**80).map(str),
)
slugs = st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)


class Known:
    """Keys of objects that exist, so generated addresses also reach deep
    into views (an article's page, an admin change form) and not only 404s."""

    ints = ["1"]
    slugs = ["politics"]
    texts = ["x"]


def _segment(converter):
    if isinstance(converter, IntConverter):
        return st.one_of(st.sampled_from(Known.ints), digits, hostile)
    if isinstance(converter, SlugConverter):
        return st.one_of(st.sampled_from(Known.slugs), slugs, hostile)
    if isinstance(converter, UUIDConverter):
        return st.one_of(st.uuids().map(str), hostile)
    if isinstance(converter, PathConverter):
        return st.one_of(st.sampled_from(Known.ints + Known.texts), hostile)
    return st.one_of(st.sampled_from(Known.texts + Known.slugs), hostile)


ROUTE_PART = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _part(pattern):
    """A strategy for the piece of an address one pattern matches."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        pieces, position = [], 0
        for match in ROUTE_PART.finditer(route):
            pieces.append(st.just(route[position : match.start()]))
            pieces.append(_segment(pattern.converters[match.group(1)]))
            position = match.end()
        pieces.append(st.just(route[position:]))
        return st.tuples(*pieces).map("".join)
    if isinstance(pattern, RegexPattern):
        matching = st.from_regex(pattern.regex, fullmatch=True).map(lambda s: quote(s, safe="/"))
        return st.one_of(matching, hostile)
    if hasattr(pattern, "language_prefix"):  # i18n_patterns
        codes = [f"{code}/" for code, _ in django_settings.LANGUAGES]
        return st.sampled_from(["", *codes])
    return st.just(str(pattern))


def _address(parts):
    return st.tuples(*(_part(part) for part in parts)).map(lambda pieces: "/" + "".join(pieces))


# Names the site's views and the admin read, and any other.
PARAMETERS = [
    "page", "p", "q", "gift", "section", "language", "next", "o", "e", "all", "term",
    "app_label", "model_name", "field_name", "with", "_changelist_filters", "_popup", "_to_field",
    "status__exact", "access__exact", "section__id__exact", "is_staff__exact", "plan__id__exact",
    "published_at__gte", "published_at__lt", "id__in", "state", "page_kind", "utm_source",
    "fbclid", "email", "username", "password", "password1", "password2", "token", "days",
]  # fmt: skip
query = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), hostile), hostile), max_size=5
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))


# Who asks -------------------------------------------------------------------------------


@pytest.fixture
def people(desk_editor):
    """The newsroom's content and the four kinds of visitor, and the keys of
    what exists for generated addresses to use."""
    politics = SectionFactory(name="Politics", slug="politics")
    author = AuthorFactory(name="Hanna Liubakova", slug="hanna-liubakova")
    free = ArticleFactory(section=politics, authors=[author], tags=["Elections"])
    gated = ArticleFactory(section=politics, authors=[author], gated=True)
    draft = ArticleFactory(section=politics, draft=True)
    member = make_subscriber()
    gift = GiftLink.objects.issue(member, gated)
    feed = MemberFeed.objects.for_user(member)
    reader = type(member).objects.create_user(
        email="reader@newsroom.test", password="x", email_confirmed_at=timezone.now()
    )
    history = gated.history.first()
    Known.ints = sorted(
        {str(pk) for pk in (free.pk, gated.pk, draft.pk, member.pk, politics.pk, history.pk)}
    )
    Known.slugs = [politics.slug, free.slug, gated.slug, author.slug, "elections", feed.key]
    Known.texts = [gift.key, sign_link(draft, timezone.now() + timedelta(days=1))]
    return {"anonymous": None, "reader": reader, "member": member, "editor": desk_editor}


def _ask(people, method, address):
    for who, user in people.items():
        client = Client()
        if user is not None:
            log_in_user(client, user)
        if method == "GET":
            response = client.get(address)
        else:
            path, _, body = address.partition("?")
            response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, f"{method} {address} as {who}: {response.status_code}"


@pytest.mark.parametrize("parts", PATTERNS, ids=_name)
def test_no_address_answers_with_a_server_error(people, parts):
    @WALK
    @given(address=_address(parts), params=query, method=st.sampled_from(["GET", "POST"]))
    def walk(address, params, method):
        _ask(people, method, f"{address}?{params}" if params else address)

    walk()
