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


# --- Łacinka -------------------------------------------------------------------
#
# Belarusian Cyrillic to Łacinka with its diacritics, the script the slugs
# above follow without them: г is h, ў is ŭ, х is ch; л is ł unless soft
# (before ь, і, е, ё, ю, я: l); ь marks the consonant before it soft (зь ź,
# сь ś, нь ń, ць ć, дзь dź, ль l); е, ё, ю, я are je, jo, ju, ja at the start
# of a word and after a vowel, ў, ь or an apostrophe, and ie, io, iu, ia after
# a consonant (le, lo, lu, la after л, whose softness they carry).

_LACINKA_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "ж": "ž", "з": "z",
    "і": "i", "й": "j", "к": "k", "л": "ł", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ў": "ŭ", "ф": "f", "х": "ch", "ц": "c",
    "ч": "č", "ш": "š", "ы": "y", "э": "e",
    # Russian letters met in names and quotations.
    "и": "i", "щ": "šč", "ъ": "",
}  # fmt: skip
_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
_SOFTENED = {"з": "ź", "с": "ś", "н": "ń", "ц": "ć", "л": "l"}
_VOWELS = set("аеёіоуыэюяи")
_APOSTROPHES = set("'’ʼ")


def _with_case(latin, cyrillic, following):
    """`latin` in the case of `cyrillic`: "Ш" before "ч" is "Š", a capital
    digraph in a capitalised word "Ch", in a word in capitals "CH"."""
    if not cyrillic.isupper():
        return latin
    if len(latin) > 1 and following.isupper():
        return latin.upper()
    return latin[:1].upper() + latin[1:]


def lacinka(text):
    """Belarusian Cyrillic `text` in Łacinka; anything else (Latin, digits,
    punctuation, markup-free text only) is left as it is."""
    out = []
    length = len(text)
    for index, char in enumerate(text):
        lower = char.lower()
        previous = text[index - 1].lower() if index else ""
        following = text[index + 1] if index + 1 < length else ""
        following_lower = following.lower()
        if lower == "ь":
            continue  # marked on the consonant before it
        if lower in _IOTATED:
            if previous == "л":
                latin = _IOTATED[lower]
            elif not previous or not previous.isalpha() and previous not in _APOSTROPHES:
                latin = "j" + _IOTATED[lower]
            elif previous in _VOWELS or previous in "ўь" or previous in _APOSTROPHES:
                latin = "j" + _IOTATED[lower]
            else:
                latin = "i" + _IOTATED[lower]
            out.append(_with_case(latin, char, following))
            continue
        if lower in _APOSTROPHES and previous.isalpha() and following_lower in _IOTATED:
            continue  # the j of the vowel after it says what the apostrophe said
        if lower == "д" and following_lower == "з":
            # дз is one sound; дзь is dź
            after = text[index + 2].lower() if index + 2 < length else ""
            if after == "ь":
                out.append(_with_case("dź", char, following))
                continue
        if lower == "з" and previous == "д" and following_lower == "ь":
            continue  # written with the д above
        if lower in _SOFTENED and following_lower == "ь":
            out.append(_with_case(_SOFTENED[lower], char, following))
            continue
        if lower == "л" and following_lower in "іеёюяь":
            out.append(_with_case("l", char, following))
            continue
        latin = _LACINKA_LETTERS.get(lower)
        out.append(char if latin is None else _with_case(latin, char, following))
    return "".join(out)
