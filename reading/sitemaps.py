"""Sitemaps for search engines: each edition's /<edition>/sitemap.xml is an
index of its own (robots.txt names them all). An edition's sitemaps list its
articles, each with its translations as hreflang alternates (xhtml:link),
and the sections in every edition.

Articles are in one sitemap per calendar month (in the site's time zone),
/sitemap-articles-2026-11.xml: a month's sitemap is a range of the feed
index, and the index lists the months from the newest article's back to the
oldest's, so neither costs more with a larger archive (page numbers would
mean counting the archive and skipping through it). Google takes up to
50,000 addresses a file; a month with more goes on at ?p=2.

Without django.contrib.sites, Django's sitemap views take the domain from the
request (RequestSite) and the protocol from request.scheme, so addresses are
absolute for whichever host the crawler asked.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import timezone, translation

from articles.models import Article, Section

from . import editions
from .structured_data import modified_at


class AlternatesSitemap(Sitemap):
    """A sitemap whose entries carry their pages in the other editions
    (`alternates_of(items)`: {item: [(hreflang, path)]}), as absolute
    addresses on the host the crawler asked."""

    def alternates_of(self, items):
        return {}

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        found = self.alternates_of([url["item"] for url in urls])
        for url in urls:
            url["alternates"] = [
                {"lang_code": lang, "location": f"{protocol}://{domain}{path}"}
                for lang, path in found.get(url["item"], [])
            ]
        return urls


class SectionSitemap(AlternatesSitemap):
    """Active sections (inactive ones have no page), each with its page in
    every edition."""

    def items(self):
        return Section.objects.active().only("slug")

    def alternates_of(self, sections):
        found = {}
        for section in sections:
            pages = []
            for code in editions.EDITIONS:
                with translation.override(code):
                    pages.append((editions.HTML_LANG.get(code, code), section.get_absolute_url()))
            with translation.override(settings.LANGUAGE_CODE):
                pages.append(("x-default", section.get_absolute_url()))
            found[section] = pages
        return found


def month_bounds(month):
    """The moments a month (its first day, a date) begins and ends, in the
    site's time zone."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime.combine(month, time.min)),
        timezone.make_aware(datetime.combine(following, time.min)),
    )


def archive_months():
    """The months from the newest published article's back to the oldest's,
    newest first (empty months included): two index lookups."""
    live = Article.objects.published().values_list("published_at", flat=True)
    newest, oldest = live.order_by("-published_at").first(), live.order_by("published_at").first()
    if newest is None:
        return []
    month = timezone.localtime(newest).date().replace(day=1)
    first = timezone.localtime(oldest).date().replace(day=1)
    months = []
    while month >= first:
        months.append(month)
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return months


class ArticleMonthSitemap(AlternatesSitemap):
    """The edition's articles published in one month, newest first, each with
    its translations; drafts and scheduled pieces are not listed. Two queries
    (the month's count, the page), and one for the translations of the
    page's articles that have any."""

    limit = 50_000

    def __init__(self, month):
        self.month = month

    def items(self):
        return (
            Article.objects.for_sitemap()
            .in_language(editions.article_language())
            .published_between(*month_bounds(self.month))
        )

    def alternates_of(self, articles):
        groups = {a.translation_group for a in articles if a.translation_group is not None}
        if not groups:
            return {}
        members = {}
        for member in Article.objects.for_sitemap().filter(translation_group__in=groups):
            members.setdefault(member.translation_group, []).append(member)
        found = {}
        for article in articles:
            if article.translation_group in members:
                article.translated = [
                    m for m in members[article.translation_group] if m.pk != article.pk
                ]
                found[article] = editions.alternate_paths(article)
        return found

    def lastmod(self, article):
        return modified_at(article)
