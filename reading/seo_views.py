"""robots.txt, the sitemap index, the articles' monthly sitemaps and the
Google News sitemap. (The sitemaps themselves are in reading/sitemaps.py.)"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article

from . import editions
from .sitemaps import ArticleMonthSitemap, archive_months

# Google News lists articles published in the last two days, at most 1,000
# per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def robots_txt(request):
    """One robots.txt for every edition: their private pages, their sitemaps."""
    listed = []
    for code in editions.EDITIONS:
        with translation.override(code):
            listed.append(
                {
                    "prefix": reverse("articles:home"),
                    "sitemap_index": reverse("seo:sitemap-index"),
                    "sitemap_news": reverse("seo:sitemap-news"),
                }
            )
    return render(
        request,
        "seo/robots.txt",
        {"editions": listed},
        content_type="text/plain; charset=utf-8",
    )


@sitemap_views.x_robots_tag
def sitemap_index(request):
    """The sections' sitemap, then each month's, newest first. Without lastmod:
    finding each month's latest change would read the whole archive."""
    addresses = [reverse("seo:sitemap-sections")] + [
        reverse("seo:sitemap-articles", kwargs={"year": f"{m.year:04}", "month": f"{m.month:02}"})
        for m in archive_months()
    ]
    sitemaps = [sitemap_views.SitemapIndexItem(request.build_absolute_uri(a)) for a in addresses]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sitemaps}, content_type="application/xml"
    )


def article_sitemap(request, year, month):
    """One month's articles. Months before the archive or after today have
    no sitemap; an empty month inside it has an empty one, as the index
    lists it."""
    try:
        first_day = date(int(year), int(month), 1)
    except ValueError:
        raise Http404("No such month.") from None
    months = archive_months()
    if not months or not months[-1] <= first_day <= months[0]:
        raise Http404("No articles that month.")
    return sitemap_views.sitemap(
        request,
        {"articles": ArticleMonthSitemap(first_day)},
        section="articles",
        template_name="seo/sitemap.xml",
    )


def news_sitemap(request):
    """The edition's articles of the last two days, in its language."""
    articles = Article.objects.for_news_sitemap(since=timezone.now() - NEWS_WINDOW).in_language(
        editions.article_language()
    )
    response = render(
        request,
        "seo/sitemap_news.xml",
        {"articles": articles[:NEWS_LIMIT], "publication_name": settings.SITE_NAME},
        content_type="application/xml",
    )
    # As Django's sitemap views do: the file is for crawlers, not for results.
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
