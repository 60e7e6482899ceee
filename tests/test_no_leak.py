"""The gate never leaks: a sentence beyond a gated article's teaser reaches
nobody without access, through any URL the site serves.

URLs are found by walking the URL configuration, not listed by hand, so a
surface added later is walked too. Each is requested with query variants, as
an anonymous reader, a registered reader, a lapsed subscriber and a visitor
dressed up as a search engine's crawler, after a member has walked them all
so that the pages kept for POZIRK+ readers are there to be (wrongly) served.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone, translation

from paywall.models import GiftLink, MemberFeed, Plan, Subscription, User
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

CANARY = "Zebra-canary-7f3c: the minister's second ledger"
QUERY_VARIANTS = [
    "",
    "?page=2",
    "?format=json",
    "?amp",
    "?amp=1",
    "?output=amp",
    "?print=1",
    # Search for words only the gated body holds.
    "?q=second+ledger",
    "?q=Zebra-canary-7f3c",
]
EDITION_VARIANTS = ["", "?page=2", "?q=Zebra-canary-7f3c"]
CRAWLER = {
    "HTTP_USER_AGENT": ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    "HTTP_REFERER": "https://www.google.com/",
    "HTTP_X_FORWARDED_FOR": "66.249.66.1",
    "HTTP_FROM": "googlebot(at)googlebot.com",
}
_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def walk(patterns, prefix=""):
    """Every URL pattern in the configuration, as the full route text that
    leads to it (path() routes and re_path() regexes alike)."""
    for entry in patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def fill(route, candidates):
    """Every concrete path for `route`, with each parameter taking each of its
    candidate values (unknown parameters get a placeholder)."""
    names = _ROUTE_PARAM.findall(route) + _REGEX_PARAM.findall(route)
    template = _REGEX_PARAM.sub(lambda m: "{" + m.group(1) + "}", route)
    template = _ROUTE_PARAM.sub(lambda m: "{" + m.group(1) + "}", template)
    for values in itertools.product(*(candidates.get(n, ["x"]) for n in names)):
        yield "/" + template.format(**dict(zip(names, values, strict=True)))


@pytest.fixture
def newsroom():
    """A gated article with the canary beyond its teaser, reachable from every
    feed: two sections, a tag, an author; plus a free one and a second gated one."""
    politics = SectionFactory(name="Politics", slug="politics")
    security = SectionFactory(name="Security", slug="security")
    author = AuthorFactory(name="Anna Kovalenko", slug="anna-kovalenko")
    gated = ArticleFactory(
        headline="The minister's ledgers",
        dek="What the documents show.",
        body=f"<p>The teaser paragraph.</p><p>{CANARY}</p><p>Closing.</p>",
        section=politics,
        also_in=[security],
        authors=[author],
        tags=["Corruption", "Ministries"],
        gated=True,
    )
    other_gated = ArticleFactory(
        headline="Another gated piece", section=security, tags=["Corruption"], gated=True
    )
    free = ArticleFactory(headline="A free piece", section=politics, tags=["Corruption"])
    ArticleFactory.create_batch(25, section=politics, tags=["Corruption"], authors=[author])

    plan = Plan.objects.create(name="POZIRK+ monthly", duration_days=30)
    member = User.objects.create_user(
        email="member@newsroom.test", password="x", email_confirmed_at=timezone.now()
    )
    Subscription.objects.create(user=member, plan=plan, starts_at=timezone.now() - timedelta(1))
    gift_for_other = GiftLink.objects.issue(member, other_gated)
    gift = GiftLink.objects.issue(member, gated)
    # A private feed address whose owner's POZIRK+ has run out.
    lapsed_member = User.objects.create_user(
        email="lapsed-member@newsroom.test", password="x", email_confirmed_at=timezone.now()
    )
    Subscription.objects.create(
        user=lapsed_member,
        plan=plan,
        starts_at=timezone.now() - timedelta(days=40),
        ends_at=timezone.now() - timedelta(days=10),
    )
    lapsed_feed = MemberFeed.objects.for_user(lapsed_member)
    return {
        "gated": gated,
        "free": free,
        "member": member,
        "plan": plan,
        "gift": gift,
        "gift_for_other": gift_for_other,
        "candidates": {
            "slug": [politics.slug, "corruption", author.slug, gated.slug],
            "section": [politics.slug, security.slug],
            "article_id": [gated.pk],
            "object_id": [gated.pk],
            "pk": [gated.pk],
            "key": [gift.key, lapsed_feed.key],
            "token": ["forged-token"],
            "uidb64": ["MQ"],
            "app_label": ["articles", "paywall"],
            "model_name": ["article"],
            "content_type_id": [1],
            "url": ["anything/"],
            "year": [f"{timezone.localtime(gated.published_at):%Y}"],
            "month": [f"{timezone.localtime(gated.published_at):%m}"],
            # The daily edition files of the gated piece's day.
            "day": [timezone.localtime(gated.published_at).date().isoformat()],
            "format": ["html", "epub"],
        },
    }


def every_url(candidates):
    """Concrete paths for every pattern in the URL configuration that resolve
    back to a view (a candidate may not fit a pattern's converter), in every
    edition: the reader's pages once under each prefix (/be/, /ru/, /en/,
    /be-latn/)."""
    urls = set()
    for edition, _ in settings.LANGUAGES:
        with translation.override(edition):
            for route in walk(get_resolver().url_patterns):
                for path in fill(route, candidates):
                    try:
                        resolve(path)
                    except Resolver404:
                        continue
                    urls.add(path)
    return sorted(urls)


def readers_without_access(newsroom):
    registered = User.objects.create_user(
        email="registered@newsroom.test", password="x", email_confirmed_at=timezone.now()
    )
    lapsed = User.objects.create_user(
        email="lapsed@newsroom.test", password="x", email_confirmed_at=timezone.now()
    )
    Subscription.objects.create(
        user=lapsed,
        plan=newsroom["plan"],
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=30),
    )
    anonymous, crawler = Client(), Client(**CRAWLER)
    logged_registered, logged_lapsed = Client(), Client()
    logged_registered.force_login(registered)
    logged_lapsed.force_login(lapsed)
    return {
        "anonymous": anonymous,
        "registered": logged_registered,
        "lapsed subscriber": logged_lapsed,
        "spoofed crawler": crawler,
    }


def test_the_canary_reaches_no_reader_without_access_through_any_url(newsroom):
    urls = every_url(newsroom["candidates"])
    gated_url = newsroom["gated"].get_absolute_url()
    assert gated_url in urls
    for edition in ("be", "ru", "en", "be-latn"):
        assert f"/{edition}/" in urls and f"/{edition}/plus/" in urls, edition

    other_gift = f"gift={newsroom['gift_for_other'].key}"

    def addresses():
        for url in urls:
            if url.startswith("/admin/"):
                variants = [""]
            elif url.startswith(f"/{settings.LANGUAGE_CODE}/"):
                variants = QUERY_VARIANTS
            else:
                # The other editions run the same views: the variants that
                # reach the page, the search and pagination suffice.
                variants = EDITION_VARIANTS
            for query in [*variants, f"?{other_gift}", "?gift=forged"]:
                yield url, query

    # A member walks first, so that every page the class page cache keeps
    # for POZIRK+ (reading/cache.py) is there for the others to be served.
    member = Client()
    member.force_login(newsroom["member"])
    for url, query in addresses():
        member.get(url + query, follow=True)
    kept = member.get(newsroom["gated"].get_absolute_url())
    assert CANARY in kept.text and not kept.templates  # served as kept for POZIRK+

    checked = 0
    for reader, client in readers_without_access(newsroom).items():
        for url, query in addresses():
            response = client.get(url + query, follow=True)
            assert response.status_code < 500, (reader, url + query)
            body = response.content.decode(errors="replace")
            headers = str(response.headers)
            assert CANARY not in body, f"{reader} read the canary at {url}{query}"
            assert CANARY not in headers, f"{reader} got the canary in headers at {url}"
            checked += 1
    assert checked > 400


def test_the_canary_is_there_for_a_subscriber_and_a_gift_holder(newsroom):
    member = Client()
    member.force_login(newsroom["member"])
    assert CANARY in member.get(newsroom["gated"].get_absolute_url()).text

    stranger = Client(**CRAWLER)
    assert CANARY in stranger.get(newsroom["gift"].get_absolute_url()).text


def shared_cache_may_keep(response):
    """Whether nginx (deploy/nginx/newsroom.conf: no proxy_cache_valid, so
    only what the app marks) would keep `response` for others: no cookie set,
    nothing private, a lifetime above zero."""
    if response.cookies:
        return False
    directives = {
        name.strip().lower(): value
        for name, _, value in (
            part.partition("=") for part in response.get("Cache-Control", "").split(",")
        )
    }
    if directives.keys() & {"private", "no-store", "no-cache"}:
        return False
    lifetimes = [directives.get("s-maxage"), directives.get("max-age")]
    return any(value and int(value) > 0 for value in lifetimes) or response.has_header("Expires")


# A date and time as feeds write them (Atom's ISO 8601, RSS's RFC 822).
MOMENT = re.compile(
    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)"
    rb"|\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"
)


def at_any_time(content):
    """`content` with its dates and times left out: a feed with no entries
    says it was updated when it was made, which two renders a moment apart
    do not share."""
    return MOMENT.sub(b"(a moment)", content)


def test_a_page_nginx_may_share_is_the_same_for_every_request_it_shares_it_with(newsroom, settings):
    """The shipped nginx ignores the pages' "Vary: Cookie, Accept-Encoding"
    (a tenth of a cache hit's work): the encoding is in its key and requests
    with a personal cookie never reach its cache. So every page the app lets
    a shared cache keep must be the same for any other request: whatever
    other cookies a browser sends (its edition, the admin's language) and
    whatever languages it asks for. (Django's locale middleware says "Vary:
    Accept-Language" on every address outside the editions, /mirrors.json
    among them, whether or not the answer depends on it: what counts is that
    it does not.)"""
    # Each request rendered by the views, not served from the app's own cache.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    plain = Client()
    dressed = Client(HTTP_ACCEPT_LANGUAGE="ru, be;q=0.8")
    dressed.cookies[settings.LANGUAGE_COOKIE_NAME] = "be"
    dressed.cookies["admin_language"] = "ru"
    shared = []
    for url in every_url(newsroom["candidates"]):
        response = plain.get(url)
        if not shared_cache_may_keep(response):
            continue
        other = dressed.get(url)
        assert (other.status_code, at_any_time(other.content)) == (
            response.status_code,
            at_any_time(response.content),
        ), url
        shared.append(url)
    # Every edition's feeds, articles and search pages among them.
    for edition in ("be", "ru", "en", "be-latn"):
        assert f"/{edition}/" in shared, edition
    assert newsroom["gated"].get_absolute_url() in shared
    assert len(shared) > 40
