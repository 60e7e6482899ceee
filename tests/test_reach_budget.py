"""Light on the wire: readers on slow, throttled or metered connections (a
VPN over a mobile network) get the home page and an article page in at most
40 KB of compressed HTML and CSS before any image, readable without
JavaScript."""

import gzip
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Pin
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, image_bytes

pytestmark = pytest.mark.django_db

BUDGET = 40 * 1024
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')
# A long read: about 1,800 words in twelve paragraphs and two subheadings.
PARAGRAPH = (
    "<p>Officials in the regional administration confirmed on Tuesday that the "
    "plant's managers had been questioned for several hours, while workers "
    "gathered outside the gates and relatives waited for news. " * 6 + "</p>"
)
LONG_BODY = "<h2>What happened</h2>" + PARAGRAPH * 6 + "<h2>What comes next</h2>" + PARAGRAPH * 6


@pytest.fixture
def busy_day():
    """A full front page: eight sections, a pinned lead with its image, a
    page of headlines with bylines and tags, and a long read with an image."""
    sections = [SectionFactory(name=f"Desk {n}") for n in range(8)]
    authors = [AuthorFactory() for _ in range(3)]
    now = timezone.now()
    for n in range(40):
        ArticleFactory(
            headline=f"Headline of a busy news day, number {n}, about the regions",
            section=sections[n % 8],
            also_in=[sections[(n + 1) % 8]],
            authors=authors[: n % 3 + 1],
            tags=["Elections", "Courts"],
            published_at=now - timedelta(minutes=10 * n + 5),
            gated=n % 4 == 0,
        )
    long_read = ArticleFactory(
        headline="Inside the tractor works: a strike, a purge and a silence",
        dek="Workers, managers and officials describe a week that shook the plant.",
        body=LONG_BODY,
        section=sections[0],
        also_in=sections[1:3],
        authors=authors,
        tags=["Labour", "Minsk", "Repression"],
        published_at=now - timedelta(minutes=1),
        lead_image_alt="Workers at the gate of the plant",
        lead_image_caption="The main gate on Tuesday morning.",
        lead_image_credit="BPN",
    )
    long_read.lead_image.save("gate.jpg", ContentFile(image_bytes(1600, 1000)), save=True)
    Pin.objects.create(article=long_read, position=1)
    return long_read


def wire_size(client, path):
    """Compressed bytes of the page and its stylesheets, as a browser fetches them."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content
    if response.get("Content-Encoding") == "gzip":
        html = gzip.decompress(html)
    total = len(gzip.compress(html, 6))
    for name in STYLESHEET.findall(html.decode()):
        with open(finders.find(name), "rb") as stylesheet:
            total += len(gzip.compress(stylesheet.read(), 6))
    return total, html.decode()


@pytest.mark.parametrize("kind", ["home", "article"])
def test_a_page_and_its_css_fit_in_40_kb_compressed(client, busy_day, kind):
    path = reverse("articles:home") if kind == "home" else busy_day.get_absolute_url()
    size, html = wire_size(client, path)
    assert size <= BUDGET, f"{path}: {size} bytes compressed, over {BUDGET}"
    # Everything is in the HTML: no script but the structured data.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/ld+json"' in attributes for attributes in scripts)
    assert "Inside the tractor works" in html
    if kind == "article":
        assert html.count("Officials in the regional administration") == 72
