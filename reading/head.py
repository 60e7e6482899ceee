"""The links in a reader's page's <head>, as HTML built here rather than by
templates.

Feed autodiscovery, the canonical address and its neighbours, the
newsroom's JSON-LD and the alternates in the other editions are on every
feed page; through the template engine (three includes, each variable looked
up through the whole context) they cost about 0.4 ms, a fifth of a page the
page cache missed. Built here, escaped as the templates escaped them, they
cost a third of that. The tags that place them are in the seo and newsroom
tag libraries ({% feed_links %}, {% feed_seo %}, {% edition_alternates %}).
"""

from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext

from articles.addresses import address

from . import editions, structured_data

# Joins the elements as the templates did: one per line, indented.
_NEXT = "\n  "

# A feed page's canonical links and alternates depend on its address alone,
# its feed links on the feed's name, never on what it lists: each is built
# once per process ({key: html}), and a page the page cache missed costs a
# dictionary lookup for them. Bounded: the address is the reader's to choose.
KEPT_HEADS = 10_000
_heads = {}


@receiver(setting_changed)
def _forget_heads(**kwargs):
    # The public domain, the site's name, the editions: tests change them.
    _heads.clear()


def _kept(key, build):
    html = _heads.get(key)
    if html is None:
        if len(_heads) >= KEPT_HEADS:
            _heads.clear()
        html = _heads[key] = mark_safe(build())
    return html


def _address_of(request):
    """What the head's addresses are built from: the host and scheme asked
    (the JSON-LD's), the public domain (the canonical links'), the path, the
    edition. Worked out once per request: a feed page asks twice."""
    found = getattr(request, "head_address", None)
    language = get_language()
    if found is None or found[-1] != language:
        found = request.head_address = (
            request.build_absolute_uri("/"),
            settings.NEWSROOM_PUBLIC_URL,
            request.path,
            language,
        )
    return found


def _feed_link(kind, title, url):
    # The standard library's escape, as Django's is, without its checks for
    # lazy and already escaped text: these are plain strings.
    return (
        f'<link rel="alternate" type="application/{kind}+xml" title="{escape(title)}"'
        f' href="{escape(url)}">'
    )


def feed_links(feed_name=None, feeds=None, slug=None):
    """Feed autodiscovery: the page's own RSS and Atom feeds first, when it
    has them (`feeds`: the URL names' stem, "feeds:section", and the feed's
    `slug`), then the newsroom's latest."""
    name = None if feed_name is None else str(feed_name)
    return _kept(
        ("feeds", name, feeds, slug, get_language()), lambda: _feed_links(name, feeds, slug)
    )


def _feed_links(feed_name, feeds, slug):
    links = []
    if feeds is not None:
        title = f"{settings.SITE_NAME} — {feed_name}"
        links += [
            _feed_link("rss", title, address(f"{feeds}-rss", slug)),
            _feed_link("atom", f"{title} (Atom)", address(f"{feeds}-atom", slug)),
        ]
    latest = f"{settings.SITE_NAME} — {pgettext('feed', 'Latest')}"
    links += [
        _feed_link("rss", latest, address("feeds:latest-rss")),
        _feed_link("atom", f"{latest} (Atom)", address("feeds:latest-atom")),
    ]
    return _NEXT.join(links)


def feed_page_url(request, number):
    """The canonical address of page `number` of the feed being shown: page 1
    is the bare path, as the pagination links have it; other parameters drop."""
    path = request.path if number == 1 else f"{request.path}?{urlencode({'page': number})}"
    return editions.crawler_url(request, path)


def feed_seo(request, page, organization=False):
    """A feed page's canonical address and its neighbours' (`page`: the
    paginator's page), and with `organization` the newsroom's JSON-LD."""
    key = ("seo", *_address_of(request), page.number, page.has_previous(), page.has_next())
    return _kept((*key, organization), lambda: _feed_seo(request, page, organization))


def _feed_seo(request, page, organization):
    links = [("canonical", page.number)]
    if page.has_previous():
        links.append(("prev", page.previous_page_number()))
    if page.has_next():
        links.append(("next", page.next_page_number()))
    parts = [
        f'<link rel="{rel}" href="{escape(feed_page_url(request, number))}">'
        for rel, number in links
    ]
    if organization:
        parts.append(structured_data.json_ld_script(structured_data.organization_json_ld(request)))
    return _NEXT.join(parts)


def alternates(request, article=None):
    """hreflang alternates of this page in every edition (of an article:
    itself and its translations), and x-default, as absolute addresses.
    Those of a page that is not an article's depend on its address alone,
    and are kept where the address may be (editions.keeps_address)."""
    if article is not None or not editions.keeps_address(request):
        return mark_safe(_alternates(request, article))
    return _kept(("alternates", *_address_of(request)), lambda: _alternates(request, None))


def _alternates(request, article):
    return _NEXT.join(
        f'<link rel="alternate" hreflang="{escape(alternate["lang"])}"'
        f' href="{escape(alternate["url"])}">'
        for alternate in editions.alternates(request, article)
    )
