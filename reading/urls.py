from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from articles.models import RESERVED_SECTION_SLUGS, InfoPage

from . import views
from .cache import cache_for_readers

app_name = "articles"


class SectionSlug(SlugConverter):
    """A section's slug: never a word the site's other pages begin with
    (RESERVED_SECTION_SLUGS), so that /en/accounts/login/ is not taken for
    an article "login" in a section "accounts". The reader's pages are then
    the first the URL patterns try (newsroom/urls.py)."""

    def to_python(self, value):
        if value in RESERVED_SECTION_SLUGS:
            raise ValueError(value)
        return value


register_converter(SectionSlug, "section")

urlpatterns = [
    path("", cache_for_readers(views.HomeView.as_view()), name="home"),
    # Anonymous searches are the same for everyone: a popular one (the news
    # of the hour) is answered from the page cache.
    path("search/", cache_for_readers(views.SearchView.as_view()), name="search"),
    # A video or post an article embeds, framed only once a reader asks.
    path("embed/", views.embed_frame, name="embed"),
    path("tag/<slug:slug>/", cache_for_readers(views.TagFeedView.as_view()), name="tag-feed"),
    path(
        "author/<slug:slug>/",
        cache_for_readers(views.AuthorFeedView.as_view()),
        name="author-feed",
    ),
    # The pages every footer links to, one address each in every edition (so
    # each one's hreflang alternates are its own address under each prefix).
    *(
        path(f"{kind}/", cache_for_readers(views.info_page), {"kind": kind}, name="info-page")
        for kind in InfoPage.Kind
    ),
    # Section slugs cannot take the words above, nor those of the other
    # apps' pages (RESERVED_SECTION_SLUGS): those pages come after these.
    path(
        "<section:slug>/", cache_for_readers(views.SectionFeedView.as_view()), name="section-feed"
    ),
    path(
        "<section:section>/<slug:slug>/",
        cache_for_readers(views.article_detail),
        name="article-detail",
    ),
]
