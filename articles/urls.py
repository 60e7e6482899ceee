from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tag/<slug:slug>/", views.TagFeedView.as_view(), name="tag-feed"),
    path("author/<slug:slug>/", views.AuthorFeedView.as_view(), name="author-feed"),
    # Section slugs cannot take the words above (see RESERVED_SECTION_SLUGS).
    path("<slug:slug>/", views.SectionFeedView.as_view(), name="section-feed"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="article-detail"),
]
