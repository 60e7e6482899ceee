"""Every word a reader meets is translated: the reader-facing templates hold
no English outside {% translate %}/{% blocktranslate %}, every string they
mark is in the Belarusian and Russian catalogues, and the catalogues have no
untranslated or fuzzy entry.

After adding or changing a string: `make messages`, translate the new
entries in locale/be and locale/ru, and run these tests.
"""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from django.conf import settings
from django.utils.translation.template import templatize

from newsroom.catalogues import catalogue_files, problems, read

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The editors' admin has its own templates; the rest is what readers meet.
READER_TEMPLATES = sorted(
    path
    for path in TEMPLATES.rglob("*")
    if path.suffix in {".html", ".txt", ".xml"} and "admin" not in path.relative_to(TEMPLATES).parts
)
# Words that are the same in every language: names and formats.
SAME_EVERYWHERE = {"POZIRK", "RSS", "Atom", "BPN", "JSON", "LD", "ISO"}
# Text a reader never reads as English: what {% blocktranslate %} marks,
# comments, template tags and variables, scripts and styles.
_NOT_PROSE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}|"
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}|"
    r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
# Attributes whose values a reader hears or sees.
_READ_ATTRIBUTES = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z]{2,}")
# Files that are not prose for readers: XML for machines, robots.txt.
MACHINE_FILES = {"robots.txt", "sitemap.xml", "sitemap_news.xml"}


def english_words(source):
    """Latin words in a template's text and read attributes, once the
    template language and what is marked for translation are taken out."""
    text = _NOT_PROSE.sub(" ", source)
    words = []
    for value in _READ_ATTRIBUTES.findall(text):
        words += _WORD.findall(value)
    words += _WORD.findall(_TAG.sub(" ", text))
    return [word for word in words if word not in SAME_EVERYWHERE]


@pytest.mark.parametrize(
    "path", READER_TEMPLATES, ids=[str(p.relative_to(TEMPLATES)) for p in READER_TEMPLATES]
)
def test_reader_templates_hold_no_untranslated_text(path):
    if path.name in MACHINE_FILES:
        pytest.skip("read by machines, not people")
    assert english_words(path.read_text()) == [], path


def test_the_check_finds_english_left_in_a_template():
    assert english_words("<p>Read more</p>") == ["Read", "more"]
    assert english_words('<a aria-label="Close">{% translate "x" %}</a>') == ["Close"]
    assert english_words('{% translate "Read more" %}<b>{{ article.headline }}</b>') == []
    assert english_words("{% comment %}Why this is here{% endcomment %}<b>POZIRK+</b>") == []
    assert english_words("{% blocktranslate %}Hello, {{ name }}{% endblocktranslate %}") == []


def marked_strings(path):
    """(context, msgid) of every string a template marks for translation,
    found as makemessages finds them."""
    # As Python for the extractor: templatize's lines, without the
    # indentation xgettext ignores and Python's tokenizer does not.
    code = "\n".join(line.strip() for line in templatize(path.read_text()).splitlines())
    found = set()
    keywords = {
        "gettext": None,
        "pgettext": ((1, "c"), 2),
        "ngettext": (1, 2),
        "npgettext": ((1, "c"), 2, 3),
    }
    for _, function, message, _ in extract_python(io.BytesIO(code.encode()), keywords, [], {}):
        if function in ("pgettext", "npgettext"):
            context, msgid = message[0], message[1]
        else:
            context, msgid = None, message if isinstance(message, str) else message[0]
        found.add((context, msgid))
    return found


@pytest.fixture(scope="module")
def catalogues():
    catalogues = {}
    for po_path in catalogue_files():
        language = po_path.parent.parent.name
        catalogue = read(po_path)
        catalogues[language] = {
            (message.context, message.id if isinstance(message.id, str) else message.id[0])
            for message in catalogue
            if message.id and message.string and not message.fuzzy
        }
    return catalogues


def test_marked_strings_are_found_as_makemessages_finds_them():
    found = marked_strings(TEMPLATES / "reading" / "_gate.html")
    assert (None, "The material is available only to POZIRK+") in found
    assert ("byline", "By") in marked_strings(TEMPLATES / "reading" / "_byline.html")
    plural = marked_strings(TEMPLATES / "reading" / "search.html")
    assert (None, "%(counter)s result for “%(query)s”") in plural


def test_there_are_belarusian_and_russian_catalogues(catalogues):
    assert set(catalogues) >= {"be", "ru"}


@pytest.mark.parametrize("language", ["be", "ru"])
def test_every_marked_string_of_the_reader_templates_is_translated(catalogues, language):
    missing = {
        (str(path.relative_to(TEMPLATES)), msgid)
        for path in READER_TEMPLATES
        for context, msgid in marked_strings(path)
        if (context, msgid) not in catalogues[language]
    }
    assert missing == set(), f"run `make messages` and translate these in locale/{language}"


@pytest.mark.parametrize("po_path", catalogue_files(), ids=lambda p: p.parent.parent.name)
def test_catalogues_have_no_untranslated_or_fuzzy_entries(po_path):
    assert problems(po_path) == []
