from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from paywall.urls import urlpatterns as account_patterns
from reading.member_urls import urlpatterns as member_patterns

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} newsroom"
admin.site.index_title = "Editorial desk"

# A database outage is answered with a 503 page and Retry-After (newsroom/health.py).
handler500 = "newsroom.health.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Accounts (paywall) and the members' pages (reading), one namespace.
    path("", include(([*account_patterns, *member_patterns], "paywall"))),
    path("", include("payments.urls")),
    path("feeds/", include("reading.feed_urls")),
    path("", include("reading.seo_urls")),
    path("preview/", include("reading.preview_urls")),
    path("", include("reading.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
