"""Every page type, as the browser receives it, passes the Nu HTML Checker."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import ROOT, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def vnu():
    require(
        VNU.exists(),
        "The Nu HTML Checker",
        "HTML check skipped: node_modules/vnu-jar not installed",
        "npm ci",
    )
    require(shutil.which("java"), "Java", "HTML check skipped: java not found", "Java 17")
    return VNU


def test_every_page_type_is_valid_html(vnu, tour, artifacts):
    pages = []
    for page_type, _, response in tour():
        pages.append(artifacts / f"{page_type.edition}-{page_type.name}.html")
        pages[-1].write_text(response.text())

    # One Java start-up for every page.
    checked = subprocess.run(
        ["java", "-jar", vnu, "--format", "json", "--stdout", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [
        f"{Path(urlsplit(message.get('url', '')).path).stem}:{message.get('lastLine')}: "
        f"{message['message']}  {message.get('extract', '').strip()}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n".join(errors)
