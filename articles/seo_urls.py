from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import seo_views
from .sitemaps import SITEMAPS

app_name = "seo"

urlpatterns = [
    path("robots.txt", seo_views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "seo:sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", seo_views.news_sitemap, name="sitemap-news"),
    # One literal address per sitemap rather than sitemap-<section>.xml, so
    # that the no-leak test, which walks the URL configuration, requests each
    # of them. The index's reverse("seo:sitemap-section", kwargs={"section":
    # ...}) picks the pattern whose default `section` matches.
    *(
        path(
            f"sitemap-{section}.xml",
            sitemap_views.sitemap,
            {"sitemaps": SITEMAPS, "section": section, "template_name": "seo/sitemap.xml"},
            name="sitemap-section",
        )
        for section in SITEMAPS
    ),
]
