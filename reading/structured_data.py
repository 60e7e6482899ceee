"""What search engines and link previews read about a page: JSON-LD built as
Python dicts and serialised here, never assembled in a template.

Everything that goes in is what any reader sees above the gate: headline,
dek, names, dates, addresses and the lead image. Nothing here reads an
article's body, so a POZIRK+ piece's gated text cannot reach the markup.
POZIRK+ pieces say so with Google's paywalled-content markup
(`isAccessibleForFree: false`); the gate shown in place of the body carries
PAYWALLED_SELECTOR.
"""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.addresses import address, asset
from paywall.access import is_free

PAYWALLED_SELECTOR = ".story__paywalled"

# static/img/logo.png: within the 600×60 box Google asks of a publisher logo.
LOGO = "img/logo.png"
LOGO_WIDTH, LOGO_HEIGHT = 200, 60

# OpenGraph wants language_TERRITORY; the article's language is ISO 639-1.
OG_LOCALES = {"en": "en_US", "ru": "ru_RU", "be": "be_BY"}

# json.dumps leaves these alone; inside <script> they could end the element
# ("</script>" in a headline) or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def iso8601(moment):
    """A time as ISO 8601 in the newsroom's time zone, to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def modified_at(article):
    """When the article last changed for readers: the "Updated" time shown on
    the page when it has one. Otherwise the last save, except that an article
    edited before its scheduled time went live later than that save: then
    publication is its last change, so dateModified never precedes
    datePublished."""
    if article.revised_at:
        return max(article.revised_at, article.published_at)
    return max(article.updated_at, article.published_at)


def organization(request):
    """The newsroom as a publisher (and as the author of unsigned pieces)."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri(address("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(asset(LOGO)),
            "width": LOGO_WIDTH,
            "height": LOGO_HEIGHT,
        },
    }


def organization_json_ld(request):
    return {"@context": "https://schema.org", **organization(request)}


def news_article_json_ld(request, article):
    """A NewsArticle for `article` as loaded for its page (Article.load_for_page())
    (section, sections and authors loaded: no further queries)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    authors = [
        {
            "@type": "Person",
            "name": author.name,
            "url": request.build_absolute_uri(author.get_absolute_url()),
        }
        for author in article.authors.all()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "datePublished": iso8601(article.published_at),
        "dateModified": iso8601(modified_at(article)),
        "author": authors or organization(request),
        "publisher": organization(request),
        "articleSection": [section.name for section in article.section_labels()],
        "inLanguage": article.language,
        "isAccessibleForFree": is_free(article),
    }
    if article.dek:
        data["description"] = article.dek
    if article.lead_image:
        data["image"] = [request.build_absolute_uri(article.lead_image.url)]
    if not data["isAccessibleForFree"]:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": PAYWALLED_SELECTOR,
        }
    return data


def json_ld_script(data):
    """`data` as a <script type="application/ld+json"> element, safe whatever
    the strings in it hold. (Django's json_script escapes the same way but
    writes type="application/json", which search engines ignore.)"""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
