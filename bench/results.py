"""bench/RESULTS.md, where each benchmark writes its own section."""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading, text):
    """Put `text` (starting with `heading`, a "## " line) in place of that
    section of RESULTS.md, or at its end; other sections stay as they are."""
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if heading in existing:
        before, rest = existing.split(heading, 1)
        following = re.search(r"^## ", rest, flags=re.M)
        after = rest[following.start() :] if following else ""
        existing = before.rstrip() + "\n\n" + text.rstrip() + "\n" + ("\n" + after if after else "")
    else:
        existing = existing.rstrip() + "\n\n" + text.rstrip() + "\n"
    RESULTS.write_text(existing)
