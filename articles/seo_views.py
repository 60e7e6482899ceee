"""robots.txt and the Google News sitemap. (The other sitemaps are Django's
own views over articles/sitemaps.py; see articles/seo_urls.py.)"""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from .models import Article

# Google News lists articles published in the last two days, at most 1,000
# per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def robots_txt(request):
    return render(request, "seo/robots.txt", content_type="text/plain; charset=utf-8")


def news_sitemap(request):
    articles = Article.objects.for_news_sitemap(since=timezone.now() - NEWS_WINDOW)
    response = render(
        request,
        "seo/sitemap_news.xml",
        {"articles": articles[:NEWS_LIMIT], "publication_name": settings.SITE_NAME},
        content_type="application/xml",
    )
    # As Django's sitemap views do: the file is for crawlers, not for results.
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
