"""The translation catalogues: locale/<language>/LC_MESSAGES/django.po are
kept in git; the .mo files Django reads are built from them by

    python -m newsroom.catalogues

which `make run`, `make test`, the test suite itself and deployment run
(deploy/CHECKLIST.md). Built with Babel, in Python, so that a fresh machine
needs no system package; updating the .po files from the templates
(`manage.py makemessages`) needs GNU gettext, as Django's own does. A
catalogue is compiled only when its .po is newer than its .mo.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalogue_files():
    """Every .po file under locale/."""
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def read(po_path):
    with po_path.open("rb") as po:
        return read_po(po)


def problems(po_path):
    """Entries of a catalogue a reader would meet in English, or wrong:
    untranslated, fuzzy (a guess gettext leaves out), or with a plural form
    missing. [(msgid, what)]."""
    catalogue = read(po_path)
    found = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append((key, "fuzzy"))
        elif not all(strings):
            found.append((key, "untranslated"))
        elif isinstance(message.id, tuple) and len(strings) != catalogue.num_plurals:
            found.append((key, f"{len(strings)} plural forms of {catalogue.num_plurals}"))
    return found


def compile_all(force=False):
    """Build each catalogue's .mo beside its .po when it is missing or older;
    returns the .mo files written."""
    written = []
    for po_path in catalogue_files():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = read(po_path)
        with mo_path.open("wb") as mo:
            # Fuzzy entries are guesses: left out, as msgfmt leaves them.
            write_mo(mo, catalogue, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(LOCALE.parent)}")
