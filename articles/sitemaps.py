"""Sitemaps for search engines: /sitemap.xml is an index of these.

Without django.contrib.sites, Django's sitemap views take the domain from the
request (RequestSite) and the protocol from request.scheme, so addresses are
absolute for whichever host the crawler asked.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Greatest

from .models import Article, Section
from .structured_data import modified_at


class SectionSitemap(Sitemap):
    """Active sections: inactive ones have no page."""

    def items(self):
        return Section.objects.active().only("slug")


class ArticleSitemap(Sitemap):
    """Every published article, newest first; drafts and scheduled pieces are
    not listed. Two queries per page (count, page), whatever its length."""

    # Google allows 50,000 per file; smaller pages stay quick to build.
    limit = 5000

    def items(self):
        return Article.objects.for_sitemap()

    def lastmod(self, article):
        return modified_at(article)

    def get_latest_lastmod(self):
        # For the index. Django's default runs lastmod() over every item.
        return self.items().aggregate(latest=Max(Greatest("updated_at", "published_at")))["latest"]


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}
