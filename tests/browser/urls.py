"""The site's addresses plus uploaded media, as the web server serves them in
production: the live server runs with debug off, which serves no media."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media),
    *site_urlpatterns,
]
