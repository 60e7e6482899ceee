"""Text helpers for articles: Latin slugs from any headline, teasers from bodies."""

import re

from anyascii import anyascii
from django.utils.text import slugify

# Long enough for a readable headline, short enough for a shareable URL.
SLUG_MAX_LENGTH = 80

_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.IGNORECASE | re.DOTALL)


def latin_slug(text, max_length=SLUG_MAX_LENGTH):
    """A readable ASCII slug for a headline in any script.

    Transliterating first keeps letters Django's slugify would drop: "Ł" of
    Łacinka becomes "l", and Cyrillic becomes Latin instead of nothing.
    The slug is cut at a word boundary.
    """
    slug = slugify(anyascii(text or ""))
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique_slug(queryset, text, fallback, max_length=SLUG_MAX_LENGTH):
    """A slug from `text` not yet used in `queryset`, suffixed -2, -3… if it is.

    `fallback` is used when the text has nothing to transliterate (a headline
    of emoji only), so a slug is never empty.
    """
    base = latin_slug(text, max_length) or fallback
    candidate = base
    suffix = 2
    while queryset.filter(slug=candidate).exists():
        tail = f"-{suffix}"
        candidate = f"{base[: max_length - len(tail)].rstrip('-')}{tail}"
        suffix += 1
    return candidate


def first_paragraphs(html, count):
    """The first `count` paragraphs of sanitised body HTML, as HTML."""
    if count <= 0:
        return ""
    return "".join(_PARAGRAPH.findall(html or "")[:count])
