"""The daily edition's HTML file, opened in a browser from disk as a reader
who got it through a messenger would: it shows every story and its images
and asks no host for anything."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from reach import editions
from tests.factories import ArticleFactory, image_bytes

# A link in a story is for the reader to follow, never fetched by the file.
OUTSIDE_LINK = '<a href="https://example.org/report">The report</a>'


def test_the_html_file_opens_offline_and_makes_no_request(transactional_db, new_context, tmp_path):
    now = timezone.now()
    today = timezone.localdate()
    midnight = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    story = ArticleFactory(
        headline="Strike at the tractor works",
        body=f"<p>Workers stopped the lines. {OUTSIDE_LINK}.</p>",
        published_at=max(midnight, now - timedelta(minutes=1)),
        lead_image_alt="Workers at the gate",
    )
    story.lead_image.save("strike.jpg", ContentFile(image_bytes(1200, 800)), save=True)
    ArticleFactory(
        headline="The minister and his accounts",
        gated=True,
        published_at=max(midnight, now - timedelta(minutes=2)),
    )
    kept = editions.current_file("en", today, False, "html")
    path = tmp_path / editions.file_name("en", today, False, "html")
    path.write_bytes(bytes(kept.content))

    context = new_context(java_script_enabled=False)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    # The file's own policy forbids any fetch; nothing in it may need one.
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")

    assert page.get_by_role("heading", name="Strike at the tractor works").is_visible()
    assert page.get_by_text("The material is available only to POZIRK+").is_visible()
    image = page.get_by_role("img", name="Workers at the gate")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 480
    # The file itself, and nothing else: images are inside it.
    assert [url for url in requests if not url.startswith("data:")] == [path.as_uri()]
    assert not [text for text in refused if "Content Security Policy" in text]
    context.close()
