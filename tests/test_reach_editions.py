"""The daily edition as one file: a reader downloads a day's stories as an
EPUB or a single HTML page, checks its signature and SHA-256; a member gets
the POZIRK+ stories in full, nobody else does; a correction rebuilds the
day's files."""

import base64
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from ebooklib import epub

from articles.models import Correction, Language
from reach import signing
from reach.models import EditionFile, Mirror
from tests.factories import ArticleFactory, image_bytes, make_subscriber
from tests.reach_support import ONION, PUBLIC, reach_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reach_settings", "public_host")]

CANARY = "Edition-canary-9b1e: the second ledger's last page"


@pytest.fixture
def public_host(client):
    client.defaults.update(HTTP_HOST=PUBLIC, SERVER_PORT="443", **{"wsgi.url_scheme": "https"})


def get(client, name, day, format, **extra):
    return client.get(
        reverse(f"reach:{name}", kwargs={"day": day, "format": format}), secure=True, **extra
    )


@pytest.fixture
def day_of_news():
    """Today's English stories: two free ones (one with a lead image), a
    POZIRK+ one with the canary beyond its teaser; a Russian one; and
    yesterday's story, which is another day's file."""
    now = timezone.now()
    today = timezone.localdate()
    morning = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    free = ArticleFactory(
        headline="Strike at the tractor works",
        body="<p>Workers stopped the lines at dawn.</p><p>Managers called the police.</p>",
        published_at=min(morning + timedelta(minutes=5), now),
        lead_image_alt="Workers at the gate",
    )
    free.lead_image.save("strike.jpg", ContentFile(image_bytes(1600, 900)), save=True)
    gated = ArticleFactory(
        headline="The minister and his accounts",
        body=f"<p>The teaser every reader sees.</p><p>{CANARY}</p>",
        gated=True,
        published_at=min(morning + timedelta(minutes=10), now),
    )
    ArticleFactory(
        headline="Вечерние новости",
        language=Language.RUSSIAN,
        published_at=min(morning + timedelta(minutes=15), now),
    )
    ArticleFactory(headline="Yesterday's story", published_at=morning - timedelta(hours=2))
    ArticleFactory(headline="Tomorrow's story", scheduled=True)
    return {"day": today, "free": free, "gated": gated}


def html_of(client, day):
    response = get(client, "edition-file", day, "html")
    assert response.status_code == 200
    return response


def test_a_reader_downloads_the_days_html_file_with_the_free_stories_in_full(client, day_of_news):
    response = html_of(client, day_of_news["day"])
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    assert "Strike at the tractor works" in html
    assert "Managers called the police." in html
    # The POZIRK+ story as its teaser and a link, never its gated text.
    assert "The minister and his accounts" in html
    assert "The teaser every reader sees." in html
    assert CANARY not in html
    assert "The material is available only to POZIRK+" in html
    assert f"https://{PUBLIC}{day_of_news['gated'].get_absolute_url()}" in html
    # One day, one edition.
    assert "Yesterday's story" not in html
    assert "Вечерние новости" not in html
    assert "Tomorrow's story" not in html
    # Self-contained: the image inside, styles inside, nothing to fetch.
    assert "data:image/jpeg;base64," in html
    assert "<link" not in html and 'src="http' not in html
    assert "default-src 'none'" in html
    assert len(response.content) < 3 * 1024 * 1024
    assert "public" in response["Cache-Control"]


def test_the_epub_opens_and_holds_the_same_stories(client, day_of_news, tmp_path):
    response = get(client, "edition-file", day_of_news["day"], "epub")
    assert response["Content-Type"] == "application/epub+zip"
    path = tmp_path / "edition.epub"
    path.write_bytes(response.content)
    book = epub.read_epub(str(path))
    assert book.get_metadata("DC", "language")[0][0] == "en"
    text = "".join(
        item.get_content().decode()
        for item in book.get_items()
        if item.media_type == "application/xhtml+xml"
    )
    assert "Strike at the tractor works" in text
    assert "Managers called the police." in text
    assert "The teaser every reader sees." in text
    assert CANARY not in text
    assert [item for item in book.get_items() if item.media_type == "image/jpeg"]
    with zipfile.ZipFile(path) as archive:
        assert CANARY not in "".join(
            archive.read(name).decode(errors="replace") for name in archive.namelist()
        )


# Debian's epubcheck is a jar (its /usr/bin/epubcheck needs binfmt support).
EPUBCHECK = "/usr/share/java/epubcheck.jar"


@pytest.mark.skipif(
    not (os.path.exists(EPUBCHECK) and shutil.which("java")) and os.environ.get("CI") != "true",
    reason="epubcheck not installed (apt-get install epubcheck)",
)
def test_the_epub_passes_epubcheck(client, day_of_news, tmp_path):
    path = tmp_path / "edition.epub"
    path.write_bytes(get(client, "edition-file", day_of_news["day"], "epub").content)
    result = subprocess.run(["java", "-jar", EPUBCHECK, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("format", ["html", "epub"])
def test_the_signature_and_sha256_check_and_fail_when_one_byte_changes(client, day_of_news, format):
    day = day_of_news["day"]
    content = get(client, "edition-file", day, format).content
    signature = get(client, "edition-signature", day, format)
    assert signature["Content-Type"] == "application/octet-stream"
    assert len(signature.content) == 64
    public_key = signing.public_key_base64()
    assert signing.verify(content, signature.content, public_key)
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 1
    assert not signing.verify(bytes(tampered), signature.content, public_key)

    checksum = get(client, "edition-checksum", day, format).content.decode()
    digest, name = checksum.split()
    assert digest == hashlib.sha256(content).hexdigest()
    assert name == f"bpn-en-{day.isoformat()}.{format}"


def test_the_signature_checks_with_openssl_as_the_about_page_says(client, day_of_news, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    day = day_of_news["day"]
    (tmp_path / "f.html").write_bytes(get(client, "edition-file", day, "html").content)
    (tmp_path / "f.html.sig").write_bytes(get(client, "edition-signature", day, "html").content)
    (tmp_path / "newsroom.pem").write_text(signing.public_key_pem())
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "newsroom.pem", "-rawin"]
    good = subprocess.run(
        [*command, "-in", "f.html", "-sigfile", "f.html.sig"], cwd=tmp_path, capture_output=True
    )
    assert good.returncode == 0, good.stdout + good.stderr
    (tmp_path / "f.html").write_bytes(b"forged" + (tmp_path / "f.html").read_bytes())
    forged = subprocess.run(
        [*command, "-in", "f.html", "-sigfile", "f.html.sig"], cwd=tmp_path, capture_output=True
    )
    assert forged.returncode != 0


def test_a_member_gets_the_pozirk_plus_stories_in_full_and_nobody_else_does(client, day_of_news):
    day = day_of_news["day"]
    client.force_login(make_subscriber())
    member = html_of(client, day)
    assert CANARY in member.content.decode()
    assert "no-store" in member["Cache-Control"] and "private" in member["Cache-Control"]
    assert "pozirk-plus" in member["Content-Disposition"]
    signature = get(client, "edition-signature", day, "html").content
    assert signing.verify(member.content, signature)
    epub_member = get(client, "edition-file", day, "epub")
    assert "no-store" in epub_member["Cache-Control"]

    # The same address, right after: a visitor gets the free file.
    client.logout()
    visitor = html_of(client, day)
    assert CANARY not in visitor.content.decode()
    assert "no-store" not in visitor["Cache-Control"]


def test_a_reader_without_pozirk_plus_gets_the_free_file(client, day_of_news, reader):
    client.force_login(reader)
    assert CANARY not in html_of(client, day_of_news["day"]).content.decode()


def test_edition_files_are_in_no_sitemap(client, day_of_news):
    client.force_login(make_subscriber())
    html_of(client, day_of_news["day"])
    client.logout()
    for url in [reverse("seo:sitemap-index"), reverse("seo:sitemap-news")]:
        assert "/edition/" not in client.get(url, secure=True).content.decode()
    month = timezone.localdate()
    sitemap = client.get(
        reverse("seo:sitemap-articles", kwargs={"year": f"{month:%Y}", "month": f"{month:%m}"}),
        secure=True,
    ).content.decode()
    assert "/edition/" not in sitemap


def test_a_correction_rebuilds_the_days_files(client, day_of_news):
    day = day_of_news["day"]
    first = html_of(client, day).content
    assert html_of(client, day).content == first  # kept, not built again
    Correction.objects.create(
        article=day_of_news["free"], text="An earlier version misstated the plant's name."
    )
    corrected = html_of(client, day).content
    assert b"An earlier version misstated the plant&#x27;s name." in corrected
    signature = get(client, "edition-signature", day, "html").content
    assert signing.verify(corrected, signature)
    assert EditionFile.objects.filter(day=day, format="html", for_members=False).count() == 1


def test_the_editions_page_lists_the_days_with_stories(client, day_of_news):
    html = client.get(reverse("reach:editions"), secure=True).content.decode()
    day = day_of_news["day"]
    assert reverse("reach:edition-file", kwargs={"day": day, "format": "epub"}) in html
    assert reverse("reach:edition-signature", kwargs={"day": day, "format": "html"}) in html
    yesterday = day - timedelta(days=1)
    assert reverse("reach:edition-file", kwargs={"day": yesterday, "format": "html"}) in html


def test_each_edition_has_its_own_file(client, day_of_news):
    with translation.override("ru"):
        response = html_of(client, day_of_news["day"])
    html = response.content.decode()
    assert "Вечерние новости" in html
    assert "Strike at the tractor works" not in html
    assert '<html lang="ru">' in html


def test_days_without_stories_or_out_of_range_are_404(client, day_of_news):
    today = day_of_news["day"]
    assert get(client, "edition-file", today + timedelta(days=1), "html").status_code == 404
    assert get(client, "edition-file", today - timedelta(days=400), "epub").status_code == 404
    listing = reverse("reach:editions")
    assert client.get(f"{listing}2026-02-31.html", secure=True).status_code == 404
    assert client.get(f"{listing}2026-12-05.pdf", secure=True).status_code == 404


def test_the_command_builds_every_edition_and_only_what_changed(day_of_news, capsys):
    call_command("build_editions", days=1)
    out = capsys.readouterr().out
    day = day_of_news["day"].isoformat()
    assert f"bpn-en-{day}.epub" in out and f"bpn-en-{day}-pozirk-plus.html" in out
    assert f"bpn-ru-{day}.html" in out
    assert f"bpn-be-{day}" not in out  # no Belarusian story that day
    assert "8 file(s) built." in out
    call_command("build_editions", days=1)
    assert "0 file(s) built." in capsys.readouterr().out
    members = EditionFile.objects.get(edition="en", day=day, for_members=True, format="html")
    assert CANARY.encode() in bytes(members.content)
    assert signing.verify(bytes(members.content), bytes(members.signature))
    # Files of days no longer offered go.
    EditionFile.objects.filter(pk=members.pk).update(day=day_of_news["day"] - timedelta(days=31))
    call_command("build_editions", days=1)
    assert "1 file(s) of days no longer offered deleted." in capsys.readouterr().out


def test_the_file_tells_where_else_to_read_us(client, day_of_news):
    Mirror.objects.create(host="open.example.net")
    html = html_of(client, day_of_news["day"]).content.decode()
    assert "https://open.example.net/" in html
    assert f"http://{ONION}/" in html
    assert signing.fingerprint(signing.public_key_base64()) in html


def test_images_travel_small(client, day_of_news):
    html = html_of(client, day_of_news["day"]).content.decode()
    encoded = html.split("data:image/jpeg;base64,", 1)[1].split('"', 1)[0]
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
        assert image.width == 480
        assert not image.getexif()


def test_the_editions_page_costs_one_query_for_its_days(client, day_of_news):
    """The days with stories are one query over the offered days alone,
    however many stories they hold."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reach:editions")
    client.get(url, secure=True)  # the navigation, once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, secure=True).status_code == 200
        return len(captured)

    before = queries()
    for n in range(1, 15):
        ArticleFactory(published_at=timezone.now() - timedelta(days=n))
    client.get(url, secure=True)  # the navigation of the new content version
    assert queries() == before == 1


def test_the_lacinka_edition_gets_the_belarusian_file_as_signed(client, day_of_news):
    """The Łacinka edition's pages are transliterated as they are sent; a
    daily file is a download, signed as it was built, and is left alone."""
    ArticleFactory(
        headline="Страйк на трактарным заводзе",
        language=Language.BELARUSIAN,
        published_at=timezone.now() - timedelta(minutes=1),
    )
    day = day_of_news["day"]
    with translation.override("be-latn"):
        response = get(client, "edition-file", day, "html")
        signature = get(client, "edition-signature", day, "html").content
    assert response.status_code == 200
    assert "Страйк на трактарным заводзе" in response.content.decode()
    assert signing.verify(response.content, signature)
