from django.urls import path

from paywall import views as account_views

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("rss/", feeds.LatestFeed(), name="latest-rss"),
    path("atom/", feeds.LatestAtomFeed(), name="latest-atom"),
    path("section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    path("tag/<slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("author/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("author/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-atom"),
    path("member/new-address/", account_views.rotate_member_feed, name="member-rotate"),
    path("member/<slug:key>/rss/", feeds.PrivateMemberFeed(), name="member-rss"),
    path("member/<slug:key>/atom/", feeds.PrivateMemberAtomFeed(), name="member-atom"),
]
