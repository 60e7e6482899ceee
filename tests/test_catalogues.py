"""Every word a reader or an editor meets is translated: the templates (the
reader's site and the editors' admin) hold no English outside
{% translate %}/{% blocktranslate %}, every string they and the code mark is
in the Belarusian and Russian catalogues, and the catalogues have no
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

BASE = Path(settings.BASE_DIR)
TEMPLATES = BASE / "templates"
# What readers meet, and the editors' admin (templates/admin/).
ALL_TEMPLATES = sorted(
    path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt", ".xml"}
)
# The code that marks strings: models, forms, the admin, views. Not what
# `make messages` leaves out (tests, benchmarks, demo content, deployment,
# migrations).
NOT_TRANSLATED = {"tests", "bench", "demo", "deploy", "migrations", "node_modules", "staticfiles"}
PYTHON_FILES = sorted(
    path
    for path in BASE.rglob("*.py")
    if not path.relative_to(BASE).parts[0].startswith(".")
    and NOT_TRANSLATED.isdisjoint(path.relative_to(BASE).parts)
)
# Words that are the same in every language: names and formats.
SAME_EVERYWHERE = {"POZIRK", "RSS", "Atom", "BPN", "JSON", "LD", "ISO"}
# Text a reader never reads as English: what {% blocktranslate %} marks,
# comments, template tags and variables, scripts and styles.
_NOT_PROSE = re.compile(
    r"{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}|&#?\w+;|"
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
    "path", ALL_TEMPLATES, ids=[str(p.relative_to(TEMPLATES)) for p in ALL_TEMPLATES]
)
def test_templates_hold_no_untranslated_text(path):
    if path.name in MACHINE_FILES:
        pytest.skip("read by machines, not people")
    assert english_words(path.read_text()) == [], path


def test_the_check_finds_english_left_in_a_template():
    assert english_words("<p>Read more</p>") == ["Read", "more"]
    assert english_words('<a aria-label="Close">{% translate "x" %}</a>') == ["Close"]
    assert english_words('{% translate "Read more" %}<b>{{ article.headline }}</b>') == []
    assert english_words("{% comment %}Why this is here{% endcomment %}<b>POZIRK+</b>") == []
    assert english_words("{% blocktranslate %}Hello, {{ name }}{% endblocktranslate %}") == []
    assert english_words("{% block bodyclass %}desk-page{% endblock %}&rsaquo; Share") == ["Share"]


# Django's translation functions, as makemessages knows them: which take a
# context first.
_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
_PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _marked(code):
    found = set()
    keywords = dict.fromkeys(_GETTEXT | _PGETTEXT)
    for _, function, message, _ in extract_python(io.BytesIO(code.encode()), keywords, [], {}):
        arguments = message if isinstance(message, tuple) else (message,)
        if function in _PGETTEXT:
            context, msgid = arguments[0], arguments[1]
        else:
            context, msgid = None, arguments[0]
        if isinstance(msgid, str) and msgid:  # not a variable passed through
            found.add((context, msgid))
    return found


def marked_strings(path):
    """(context, msgid) of every string a template marks for translation,
    found as makemessages finds them."""
    # As Python for the extractor: templatize's lines, without the
    # indentation xgettext ignores and Python's tokenizer does not.
    return _marked("\n".join(line.strip() for line in templatize(path.read_text()).splitlines()))


def marked_in_code(path):
    """(context, msgid) of every string a Python module marks for translation."""
    return _marked(path.read_text())


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


def test_strings_marked_in_code_are_found():
    found = marked_in_code(BASE / "articles" / "models.py")
    assert (None, "primary section") in found  # gettext_lazy as _
    assert (None, "Can publish, schedule and unpublish articles") in found
    actions = marked_in_code(BASE / "articles" / "admin" / "article.py")
    assert (None, "%d article is now live.") in actions  # ngettext
    assert _marked('pgettext_lazy("byline", "By"); _(name)') == {("byline", "By")}


def test_the_admin_and_its_code_are_checked_too():
    assert TEMPLATES / "admin" / "desk.html" in ALL_TEMPLATES
    assert BASE / "articles" / "admin" / "article.py" in PYTHON_FILES
    assert BASE / "security" / "models.py" in PYTHON_FILES
    assert not [path for path in PYTHON_FILES if {"migrations", "tests"} & set(path.parts)]


@pytest.mark.parametrize("language", ["be", "ru"])
def test_every_marked_string_of_the_templates_is_translated(catalogues, language):
    missing = {
        (str(path.relative_to(TEMPLATES)), msgid)
        for path in ALL_TEMPLATES
        for context, msgid in marked_strings(path)
        if (context, msgid) not in catalogues[language]
    }
    assert missing == set(), f"run `make messages` and translate these in locale/{language}"


@pytest.mark.parametrize("language", ["be", "ru"])
def test_every_string_marked_in_code_is_translated(catalogues, language):
    """Models' and fields' names and help, choices, admin actions, columns,
    fieldsets and messages, form and validation errors."""
    missing = {
        (str(path.relative_to(BASE)), msgid)
        for path in PYTHON_FILES
        for context, msgid in marked_in_code(path)
        if (context, msgid) not in catalogues[language]
    }
    assert missing == set(), f"run `make messages` and translate these in locale/{language}"


@pytest.mark.parametrize("po_path", catalogue_files(), ids=lambda p: p.parent.parent.name)
def test_catalogues_have_no_untranslated_or_fuzzy_entries(po_path):
    assert problems(po_path) == []
