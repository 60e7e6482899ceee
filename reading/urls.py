from django.urls import path

from articles.models import InfoPage

from . import views
from .cache import cache_for_readers

app_name = "articles"

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
    # Section slugs cannot take the words above (see RESERVED_SECTION_SLUGS).
    path("<slug:slug>/", cache_for_readers(views.SectionFeedView.as_view()), name="section-feed"),
    path(
        "<slug:section>/<slug:slug>/",
        cache_for_readers(views.article_detail),
        name="article-detail",
    ),
]
