"""RSS 2.0 and Atom feeds of published articles.

Public feeds are built for an anonymous reader whoever asks, so they are the
same for everyone and a shared cache may keep them: POZIRK+ items carry their
teaser and the POZIRK+ line, never the rest of the body. A member's private
feed, opened by the secret key in its address, is built for that member:
POZIRK+ items in full while their POZIRK+ lasts. Which an item gets is
paywall.access.can_read's call, asked for each item in get_context_data.
"""

import mimetypes
import os

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles import blocks
from articles.models import Article, Author, Listing, Section, Tag
from paywall.access import can_read, has_plus
from paywall.models import MemberFeed

# Items per feed: a day or two of news, enough for a reader polling hourly.
FEED_ITEMS = 30
# Seconds a shared cache may keep a public feed.
PUBLIC_MAX_AGE = 300


class AtomWithLanguages(Atom1Feed):
    """Atom with each entry's own language: a feed mixes English, Russian
    and Belarusian articles."""

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language"]}


class LatestFeed(Feed):
    """The latest published articles (RSS 2.0). Subclasses narrow the
    articles with an ArticleQuerySet method and name the feed."""

    feed_type = Rss201rev2Feed
    description_template = "feeds/_item_description.html"
    language = settings.LANGUAGE_CODE
    # The same for everyone: a shared cache may keep it for a few minutes.
    cache_control = {"max_age": PUBLIC_MAX_AGE}

    def reader(self, obj):
        """Whom the items are written for: here, nobody in particular."""
        return AnonymousUser()

    def listing(self, obj):
        """The feed of Listing rows the items are taken from."""
        return Listing.HOME

    def items(self, obj):
        return list(Article.objects.for_syndication().listed_in(self.listing(obj))[:FEED_ITEMS])

    def title(self, obj):
        return f"{settings.SITE_NAME} — Latest"

    def description(self, obj):
        return settings.SITE_TAGLINE

    def subtitle(self, obj):
        # Atom's name for the description.
        return self.description(obj)

    def link(self, obj):
        return reverse("articles:home")

    def author_name(self, obj):
        return settings.SITE_NAME

    def get_context_data(self, *, item, obj, request, **kwargs):
        is_unlocked = can_read(self.reader(obj), item)
        return {
            "article": item,
            "is_unlocked": is_unlocked,
            "url": request.build_absolute_uri(item.get_absolute_url()),
            # Feed readers get body images as plain JPEGs and embeds as links.
            "body": (
                blocks.for_feed(item.body_html(), request.build_absolute_uri) if is_unlocked else ""
            ),
        }

    def item_title(self, item):
        # Plain text, escaped once by the XML writer. (Django's default escapes
        # titles a second time for readers that take RSS titles for HTML;
        # those that take them for text, feedparser among them, would then
        # show "&amp;" for every "&" in a headline.)
        return item.headline

    def item_author_name(self, item):
        # RSS and Django's Atom take one author: several are joined.
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [section.name for section in item.section_labels()]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_enclosures(self, item):
        return [lead_image_enclosure(item.lead_image)] if item.lead_image else []

    def item_extra_kwargs(self, item):
        return {"language": item.language}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django leaves enclosure addresses as the storage gives them: relative,
        # with a relative MEDIA_URL.
        for item in feed.items:
            for enclosure in item["enclosures"]:
                enclosure.url = request.build_absolute_uri(enclosure.url)
        return feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, **self.cache_control)
        return response


class SectionFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.active(), slug=slug)

    def listing(self, section):
        return Listing.of_section(section)

    def title(self, section):
        return f"{settings.SITE_NAME} — {section.name}"

    def description(self, section):
        return section.description or f"{section.name}: the latest from {settings.SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def listing(self, tag):
        return Listing.of_tag(tag)

    def items(self, tag):
        items = super().items(tag)
        # As on the tag's page: a tag used only on drafts is not public yet,
        # and its name may tell what is coming.
        if not items:
            raise Http404("No published articles with this tag.")
        return items

    def title(self, tag):
        return f"{settings.SITE_NAME} — {tag.name}"

    def description(self, tag):
        return f"Articles tagged “{tag.name}” from {settings.SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()


class AuthorFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def listing(self, author):
        return Listing.of_author(author)

    def title(self, author):
        return f"{settings.SITE_NAME} — {author.name}"

    def description(self, author):
        return f"Articles by {author.name} from {settings.SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()


class PrivateMemberFeed(LatestFeed):
    """A member's private feed: the latest articles, POZIRK+ ones in full.

    An unknown key, a replaced key and the key of someone without POZIRK+
    right now all get the same 404, which says nothing about the key.
    """

    def get_object(self, request, key):
        # The user comes fresh from the database on every request (has_plus
        # remembers its answer on the user object).
        feed = get_object_or_404(MemberFeed.objects.select_related("user"), key=key)
        if not has_plus(feed.user):
            raise Http404("No such feed.")
        return feed

    def reader(self, feed):
        return feed.user

    def title(self, feed):
        return f"{settings.SITE_NAME} — POZIRK+, your private feed"

    def description(self, feed):
        return (
            f"The latest from {settings.SITE_NAME}, POZIRK+ pieces in full. "
            "This address is yours alone: do not share it."
        )

    # Full texts for one member: no cache keeps them, no search engine lists
    # them, and the secret address leaves in no Referer.
    cache_control = {"private": True, "no_store": True}

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response


class LatestAtomFeed(LatestFeed):
    feed_type = AtomWithLanguages


class SectionAtomFeed(SectionFeed):
    feed_type = AtomWithLanguages


class TagAtomFeed(TagFeed):
    feed_type = AtomWithLanguages


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomWithLanguages


class PrivateMemberAtomFeed(PrivateMemberFeed):
    feed_type = AtomWithLanguages


def lead_image_enclosure(image):
    """The lead image as an enclosure. Its length is read from the file when
    the storage keeps files on this machine (a cheap stat); a storage that
    would need a request per item gives 0, which RSS allows for "unknown"."""
    try:
        length = os.path.getsize(image.path)
    except (NotImplementedError, OSError):
        length = 0
    mime_type = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
    return Enclosure(url=image.url, length=str(length), mime_type=mime_type)
