from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} newsroom"
admin.site.index_title = "Editorial desk"

# A database outage is answered with a 503 page and Retry-After (newsroom/health.py).
handler500 = "newsroom.health.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("paywall.urls")),
    path("feeds/", include("articles.feed_urls")),
    path("", include("articles.seo_urls")),
    path("preview/", include("articles.preview_urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
