"""The daily edition as one file: a day's stories of one edition, as an EPUB
and as a single self-contained HTML file, to read offline and to pass from
hand to hand in messengers.

Each file exists in two versions: the free one, with POZIRK+ stories as
their teaser and a link, and the members' one, with every story in full.
paywall.access decides which stories a version shows in full
(`edition_shows_in_full`) and which readers get the members' version
(`gets_members_edition`); the members' version is never served to anyone
else nor kept by any shared cache (reach/views.py).

Files are built by `manage.py build_editions` (for a timer) and on demand,
and kept in the database (reach.models.EditionFile) with their SHA-256 and
Ed25519 signature. Each remembers a fingerprint of its day's stories (which
ones, and when each or its corrections last changed): a download that finds
the day changed since, a story corrected or published, builds it again
first, so a file is never behind its stories.
"""

import base64
import hashlib
import io
import logging
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ebooklib import epub
from PIL import Image, ImageOps

from articles import blocks
from articles.models import Article, Correction, Language
from paywall.access import edition_shows_in_full

from . import hosts, mirrors, signing
from .models import EditionFile, Mirror

logger = logging.getLogger(__name__)

# Raise when what a file holds or how it looks changes: every file is then
# built again on its next download.
LAYOUT_REVISION = 1
# Lead images travel small: this wide at most, as JPEG.
IMAGE_WIDTH = 480
IMAGE_QUALITY = 70

FORMATS = {
    EditionFile.Format.EPUB: "application/epub+zip",
    EditionFile.Format.HTML: "text/html; charset=utf-8",
}

# The editions and the language of their stories.
EDITION_LANGUAGES = {code: code for code in Language.values}


class NoStories(LookupError):
    """That day's edition has no story."""


def current_edition():
    """The edition being read: the active language's, else the default one."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in EDITION_LANGUAGES else settings.LANGUAGE_CODE


def day_span(day):
    """The start and end of `day` in the newsroom's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def recent_days():
    """The days whose files are offered: today and the NEWSROOM_EDITION_DAYS before."""
    today = timezone.localdate()
    return today - timedelta(days=settings.NEWSROOM_EDITION_DAYS), today


def is_offered(day):
    first, last = recent_days()
    return first <= day <= last


def days_with_stories(edition):
    """The offered days on which the edition published something, newest
    first (one query, over the offered days only)."""
    first, last = recent_days()
    start, end = day_span(first)[0], day_span(last)[1]
    published = Article.objects.published().in_language(EDITION_LANGUAGES[edition])
    return list(published.published_between(start, end).dates("published_at", "day", order="DESC"))


def stories(edition, day):
    return Article.objects.for_edition_file(EDITION_LANGUAGES[edition], *day_span(day))


def fingerprint(edition, day):
    """What the day's files depend on, summed up in two small queries: the
    day's live stories, when each last changed, and their corrections.
    None when the day has no story."""
    rows = list(stories(edition, day).values_list("pk", "updated_at", "access").order_by("pk"))
    if not rows:
        return None
    corrections = list(
        Correction.objects.filter(article__in=[row[0] for row in rows])
        .order_by("pk")
        .values_list("pk", "published_at", "text")
    )
    digest = hashlib.sha256(repr((LAYOUT_REVISION, rows, corrections)).encode())
    return digest.hexdigest()


def file_name(edition, day, for_members, format):
    variant = "-pozirk-plus" if for_members else ""
    site = settings.SITE_NAME.lower().replace(" ", "-")
    return f"{site}-{edition}-{day.isoformat()}{variant}.{format}"


# --- building ------------------------------------------------------------------


def _small_jpeg(file):
    """The lead image at IMAGE_WIDTH as a JPEG without metadata, or None if
    the original cannot be read (a missing file must not stop the edition)."""
    try:
        file.open("rb")
        try:
            with Image.open(file) as original:
                image = ImageOps.exif_transpose(original).convert("RGB")
        finally:
            file.close()
    except (OSError, ValueError):
        logger.warning("Edition file: lead image %s unreadable", file.name, exc_info=True)
        return None
    image.thumbnail((IMAGE_WIDTH, IMAGE_WIDTH * 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=IMAGE_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _absolute(path):
    return f"{settings.NEWSROOM_PUBLIC_URL}{path}" if settings.NEWSROOM_PUBLIC_URL else path


def _public_link(article):
    return _absolute(article.get_absolute_url())


class _Story:
    """One story as a file shows it: `body` is the full text or the teaser,
    as paywall.access decides for the file's version."""

    def __init__(self, number, article, for_members):
        self.number = number
        self.article = article
        self.in_full = edition_shows_in_full(article, for_members)
        # Embeds as links; body pictures left out, as a file read offline
        # could not fetch them.
        self.body = (
            blocks.for_feed(article.body_html(), _absolute, pictures=False)
            if self.in_full
            else article.teaser_html()
        )
        self.link = _public_link(article)
        self.image = _small_jpeg(article.lead_image) if article.lead_image else None
        self.anchor = f"story-{number}"
        self.chapter = f"story-{number}.xhtml"
        self.image_name = f"images/story-{number}.jpg"

    def context(self, image_src):
        return {
            "story": self,
            "article": self.article,
            "image_src": image_src if self.image else None,
        }


def _about(edition, day, for_members):
    """What every file says of itself: title, day, where else to read us."""
    public_key = signing.public_key_base64()
    return {
        "newsroom_name": settings.SITE_NAME,
        "title": _("%(name)s, %(day)s")
        % {
            "name": settings.SITE_NAME,
            "day": date_format(day, "DATE_FORMAT"),
        },
        "day": day,
        "edition": edition,
        "for_members": for_members,
        "public_url": mirrors.public_url(),
        "onion_url": hosts.onion_url(),
        "mirrors": [mirror.url for mirror in Mirror.objects.current().order_by("host")],
        "key_fingerprint": signing.fingerprint(public_key),
        "public_key": public_key,
        "editions_path": reverse("reach:editions"),
    }


def build_html(about, items):
    """One HTML file holding everything it shows: images inline as data
    addresses, styles inline, and a Content-Security-Policy that lets it
    fetch nothing from anywhere."""
    rendered = [
        render_to_string(
            "reach/_edition_story.html",
            item.context(f"data:image/jpeg;base64,{base64.b64encode(item.image).decode()}")
            if item.image
            else item.context(None),
        )
        for item in items
    ]
    html = render_to_string(
        "reach/edition_file.html", {**about, "stories": items, "rendered": rendered}
    )
    return html.encode()


def build_epub(about, items):
    book = epub.EpubBook()
    variant = "members" if about["for_members"] else "free"
    book.set_identifier(
        uuid.uuid5(
            uuid.NAMESPACE_URL,
            f"{about['public_url'] or settings.SITE_NAME}/{about['edition']}/"
            f"{about['day'].isoformat()}/{variant}",
        ).urn
    )
    book.set_title(about["title"])
    book.set_language(about["edition"])
    book.add_author(settings.SITE_NAME)
    book.add_metadata("DC", "publisher", settings.SITE_NAME)
    book.add_metadata("DC", "date", about["day"].isoformat())
    style = epub.EpubItem(
        uid="style",
        file_name="style.css",
        media_type="text/css",
        content=render_to_string("reach/edition_file.css").encode(),
    )
    book.add_item(style)

    front = epub.EpubHtml(
        title=_("About this file"), file_name="about.xhtml", lang=about["edition"]
    )
    front.content = render_to_string(
        "reach/_edition_front.html", {**about, "stories": items, "in_book": True}
    )
    front.add_item(style)
    book.add_item(front)
    chapters = []
    for item in items:
        chapter = epub.EpubHtml(
            title=item.article.headline, file_name=item.chapter, lang=about["edition"]
        )
        chapter.content = render_to_string(
            "reach/_edition_story.html", item.context(item.image_name)
        )
        chapter.add_item(style)
        book.add_item(chapter)
        chapters.append(chapter)
        if item.image:
            book.add_item(
                epub.EpubItem(
                    uid=f"image-{item.number}",
                    file_name=item.image_name,
                    media_type="image/jpeg",
                    content=item.image,
                )
            )
    book.toc = [front, *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", front, *chapters]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


BUILDERS = {EditionFile.Format.EPUB: build_epub, EditionFile.Format.HTML: build_html}


def build(edition, day, for_members):
    """Build and keep both formats of one version of a day's edition; the
    kept files, by format. NoStories if the day has none."""
    print_ = fingerprint(edition, day)
    if print_ is None:
        raise NoStories(day)
    with translation.override(edition):
        items = [
            _Story(number, article, for_members)
            for number, article in enumerate(stories(edition, day), start=1)
        ]
        about = _about(edition, day, for_members)
        built = {format: builder(about, items) for format, builder in BUILDERS.items()}
    kept = {}
    for format, content in built.items():
        fields = {
            "content": content,
            "sha256": signing.sha256(content),
            "signature": signing.sign(content),
            "fingerprint": print_,
            "built_at": timezone.now(),
        }
        key = {"edition": edition, "day": day, "for_members": for_members, "format": format}
        try:
            with transaction.atomic():
                kept[format], _created = EditionFile.objects.update_or_create(
                    **key, defaults=fields
                )
        except IntegrityError:
            # Another process built it at the same moment: theirs is as good.
            kept[format] = EditionFile.objects.get(**key)
    return kept


def is_current(edition, day, for_members, print_):
    """Are both formats of this version kept, and built from the day as it is?"""
    kept = EditionFile.objects.filter(
        edition=edition, day=day, for_members=for_members, fingerprint=print_
    )
    return kept.count() == len(BUILDERS)


def current_file(edition, day, for_members, format):
    """The day's file, built first if it is missing or behind its stories.
    NoStories if the day has none."""
    print_ = fingerprint(edition, day)
    if print_ is None:
        raise NoStories(day)
    kept = EditionFile.objects.filter(
        edition=edition, day=day, for_members=for_members, format=format
    ).first()
    if kept is not None and kept.fingerprint == print_:
        return kept
    return build(edition, day, for_members)[format]
