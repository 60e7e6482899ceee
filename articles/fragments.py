"""Pieces of pages that are the same for every reader, rendered once.

A headline looks the same on the home page, a section page, a tag page and
under an article, to a visitor and to a subscriber alike; so does the home
page's lead story. Each is rendered once from its partial and kept in the
shared cache, under a digest of everything it shows (headline, address,
sections, time, access, language, the day it is shown on) and of the
partials' own source. Nothing has to retire a fragment: any change makes a
new key, and the old entry expires unused.

Pages of subscribers and editors use these fragments too, since they hold
nothing a visitor may not see: no body, no teaser, only what a headline
shows. Search results carry a passage chosen for the reader and are never
kept.

Other pieces depend on more than what they show: a feed page's headlines
(which articles are on page 3 of Politics), "More headlines" under an
article (drawn from the newest pieces of the whole archive), an article's
own parts and its row. Those are kept under the content version instead
(`for_this_version`), like whole pages, and until the next scheduled
publication or pin expiry. An article's body is kept in each version a
reader can be shown, and paywall.access chooses among them on every request
(`story`).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import page_cache
from .page_cache import NEXT_CHANGE_KEY, safely

HEADLINE = "articles/_headline.html"
LEAD_STORY = "articles/_lead_story.html"
# Each fragment's partial and the partials it includes.
SOURCES = {
    HEADLINE: [HEADLINE, "articles/_section_labels.html", "articles/_plus_marker.html"],
    LEAD_STORY: [
        LEAD_STORY,
        "articles/_section_labels.html",
        "articles/_plus_marker.html",
        "articles/_picture.html",
    ],
}


@functools.cache
def _source_digest(template_name):
    """The partials' source (and the time zone they date in): a new release
    that changes them gets new keys."""
    parts = [get_template(name).template.source for name in SOURCES[template_name]]
    return hashlib.sha1("\0".join([settings.TIME_ZONE, *parts]).encode()).hexdigest()[:12]


def _key(template_name, *shown):
    digest = hashlib.sha1(repr(shown).encode()).hexdigest()
    return f"fragment:{_source_digest(template_name)}:{digest}"


def _shown(article):
    """What every article fragment shows of `article`."""
    labels = [(section.pk, section.slug, section.name) for section in article.section_labels()]
    return (
        article.pk,
        article.headline,
        article.slug,
        article.language,
        article.access,
        article.published_at,
        labels,
        # Headlines say "14:05" today and "November 30, 14:05" tomorrow.
        timezone.localdate(),
    )


def _rendered(template_name, items):
    """{key: context} rendered through the cache: {key: html}."""
    found = safely(lambda: cache.get_many(list(items)), {})
    missing = {
        key: render_to_string(template_name, context)
        for key, context in items.items()
        if key not in found
    }
    if missing:
        safely(lambda: cache.set_many(missing, settings.NEWSROOM_FRAGMENT_CACHE_SECONDS))
    return {**found, **missing}


def headlines(articles, level=2):
    """Each article's headline, rendered by articles/_headline.html, in order."""
    articles = list(articles)
    if any(getattr(article, "snippet", None) for article in articles):
        return [
            render_to_string(HEADLINE, {"article": article, "level": level}) for article in articles
        ]
    items = {_key(HEADLINE, *_shown(a), level): {"article": a, "level": level} for a in articles}
    rendered = _rendered(HEADLINE, items)
    return [mark_safe(rendered[key]) for key in items]


def lead_story(article):
    """The home page's lead story, rendered by articles/_lead_story.html."""
    image = article.lead_image
    key = _key(
        LEAD_STORY,
        *_shown(article),
        article.dek,
        image.name if image else "",
        article.lead_image_width,
        article.lead_image_height,
    )
    return mark_safe(_rendered(LEAD_STORY, {key: {"article": article}})[key])


def for_this_version(request, name, parts, render):
    """What `render()` returns (HTML, a dict holding HTML, a model instance),
    kept under the content version `request` sees and the `parts` it
    depends on, until the next due change. An exception (a 404) is not kept."""
    version = page_cache.content_version(request)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"fragment:{page_cache.RELEASE}:{name}:{version}:{digest}"
    found = safely(lambda: cache.get_many([key, NEXT_CHANGE_KEY]), {})
    kept = found.get(key)
    if kept is not None and (kept[0] is None or timezone.now().timestamp() < kept[0]):
        return _safe(kept[1])
    if not hasattr(request, "_page_cache_next_change"):
        request._page_cache_next_change = found.get(NEXT_CHANGE_KEY)
    html = render()
    entries = {key: (page_cache.next_change_due(request), html)}
    if getattr(request, "_page_cache_next_change_found", False):
        entries[NEXT_CHANGE_KEY] = request._page_cache_next_change
    safely(lambda: cache.set_many(entries, settings.NEWSROOM_FRAGMENT_CACHE_SECONDS))
    return _safe(html)


def _safe(html):
    """What was kept, its HTML marked safe again (it was rendered from
    templates; the mark does not survive the cache)."""
    if isinstance(html, dict):
        return {name: _safe(part) for name, part in html.items()}
    return mark_safe(html) if isinstance(html, str) else html


def more_headlines(request, article, articles, level=3):
    """The "More headlines" list under `article`, from `articles` (a lazy
    queryset: read only when the list is not kept)."""
    return for_this_version(
        request,
        "more-headlines",
        (article.pk, level, timezone.localdate()),
        lambda: render_to_string(
            "articles/_headline_list.html", {"items": headlines(articles, level)}
        ),
    )


def story(request, article, viewer=None, fresh=False):
    """The article page's own parts: {"seo": its <head> tags, "header": its
    headline and byline, "body": the lead image, the body or the teaser and
    the gate, corrections, sections and tags}.

    Which body is shown is decided before: article.is_unlocked, from
    paywall.access. Each of the three versions a page can take (the full
    text; the gate for a visitor; the gate for a logged-in reader, which
    offers no "Log in") is kept apart, so a version is only ever shown to
    the readers it was rendered for. `fresh` (previews) renders without the
    cache, for `viewer` (default: the request's user)."""
    viewer = viewer or request.user
    if article.is_unlocked:
        variant = "full"
    else:
        variant = "gate-reader" if viewer.is_authenticated else "gate-visitor"

    def render():
        article.load_for_page()
        context = {"article": article, "user": viewer}
        head = {"article": article, "request": request, "newsroom_name": settings.SITE_NAME}
        return {
            "seo": render_to_string("articles/_article_seo.html", head),
            "header": render_to_string("articles/_story_header.html", context),
            "body": render_to_string("articles/_story_body.html", context),
        }

    if fresh:
        return _safe(render())
    # Addresses in the <head> are absolute, on the host the reader asked.
    parts = (article.pk, variant, request.scheme, request.get_host())
    return for_this_version(request, "story", parts, render)
