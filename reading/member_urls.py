"""The members' pages of the reader's site: their feed, and gift links.

They share the "paywall" namespace with the account pages
(paywall/urls.py), joined in newsroom/urls.py."""

from django.urls import path

from . import views
from .cache import cache_for_readers

urlpatterns = [
    path("plus/", cache_for_readers(views.MembersFeedView.as_view()), name="plus-feed"),
    path("plus/gift/<int:article_id>/", views.create_gift_link, name="gift-create"),
]
