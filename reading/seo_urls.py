from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path
from django.views.generic import RedirectView

from . import seo_views
from .sitemaps import SectionSitemap

app_name = "seo"

urlpatterns = [
    path("sitemap.xml", seo_views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", seo_views.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-sections.xml",
        sitemap_views.sitemap,
        {
            "sitemaps": {"sections": SectionSitemap},
            "section": "sections",
            "template_name": "seo/sitemap.xml",
        },
        name="sitemap-sections",
    ),
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        seo_views.article_sitemap,
        name="sitemap-articles",
    ),
    # Articles were once paged by number here; crawlers that remember it are
    # sent to the index, which lists the months.
    path(
        "sitemap-articles.xml",
        RedirectView.as_view(pattern_name="seo:sitemap-index", permanent=True, query_string=False),
        name="sitemap-articles-paged",
    ),
]
