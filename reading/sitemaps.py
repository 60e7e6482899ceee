"""Sitemaps for search engines: /sitemap.xml is an index of these.

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

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from articles.models import Article, Section

from .structured_data import modified_at


class SectionSitemap(Sitemap):
    """Active sections: inactive ones have no page."""

    def items(self):
        return Section.objects.active().only("slug")


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


class ArticleMonthSitemap(Sitemap):
    """The articles published in one month, newest first; drafts and scheduled
    pieces are not listed. Two queries (the month's count, the page)."""

    limit = 50_000

    def __init__(self, month):
        self.month = month

    def items(self):
        return Article.objects.for_sitemap().published_between(*month_bounds(self.month))

    def lastmod(self, article):
        return modified_at(article)
