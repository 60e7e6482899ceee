"""Text helpers for articles: Latin slugs from any headline, teasers from bodies."""

import re

from anyascii import anyascii
from django.utils.text import slugify

# Long enough for a readable headline, short enough for a shareable URL.
SLUG_MAX_LENGTH = 80

# Belarusian Cyrillic to the Latin of Łacinka, without its diacritics, so that
# "Лукашэнка" and "Łukašenka" give the same slug. Letters not listed here are
# the same as in Russian and left to anyascii.
_BELARUSIAN_TO_LATIN = str.maketrans(
    {
        "г": "h", "Г": "H", "ў": "u", "Ў": "U", "х": "ch", "Х": "Ch",
        "ц": "c", "Ц": "C", "ч": "c", "Ч": "C", "ш": "s", "Ш": "S",
        "ж": "z", "Ж": "Z", "й": "j", "Й": "J", "е": "ie", "Е": "Ie",
        "ё": "io", "Ё": "Io", "ю": "iu", "Ю": "Iu", "я": "ia", "Я": "Ia",
        "і": "i", "І": "I", "ы": "y", "Ы": "Y", "э": "e", "Э": "E",
        "ь": "", "Ь": "", "'": "", "’": "",
    }
)  # fmt: skip

_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.IGNORECASE | re.DOTALL)


def latin_slug(text, max_length=SLUG_MAX_LENGTH, language=None):
    """A readable ASCII slug for a headline in any script.

    Transliterating first keeps letters Django's slugify would drop: "Ł" of
    Łacinka becomes "l", and Cyrillic becomes Latin instead of nothing.
    Belarusian text follows Łacinka ("г" is "h"), other text anyascii's
    general rules. The slug is cut at a word boundary.
    """
    text = text or ""
    if language == "be":
        text = text.translate(_BELARUSIAN_TO_LATIN)
    slug = slugify(anyascii(text))
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique_slug(queryset, text, fallback, max_length=SLUG_MAX_LENGTH, language=None):
    """A slug from `text` not yet used in `queryset`, suffixed -2, -3… if it is.

    `fallback` is used when the text has nothing to transliterate (a headline
    of emoji only), so a slug is never empty.
    """
    base = latin_slug(text, max_length, language) or fallback
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
