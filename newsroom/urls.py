from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from paywall.urls import urlpatterns as account_patterns
from reading import editions, seo_views
from reading.member_urls import urlpatterns as member_patterns

admin.site.site_header = _("%(site)s newsroom") % {"site": settings.SITE_NAME}
admin.site.site_title = _("%(site)s newsroom") % {"site": settings.SITE_NAME}
admin.site.index_title = _("Editorial desk")

# A database outage is answered with a 503 page and Retry-After (newsroom/health.py).
handler500 = "newsroom.health.server_error"

urlpatterns = [
    # The admin is in each editor's own language (Accept-Language, or the
    # edition they last chose), at one address.
    path("admin/", admin.site.urls),
    # One robots.txt names every edition's sitemaps.
    path("robots.txt", seo_views.robots_txt, name="robots-txt"),
    # The language switch: remembers the edition, then goes to the same page in it.
    path("edition/<str:code>/", editions.switch, name="edition-switch"),
]

# Every reader's page, once per edition: /be/…, /ru/…, /en/…, /be-latn/….
# An address without a prefix is redirected to the reader's edition
# (LocaleMiddleware: the edition cookie, then Accept-Language).
urlpatterns += i18n_patterns(
    # Accounts (paywall) and the members' pages (reading), one namespace.
    path("", include(([*account_patterns, *member_patterns], "paywall"))),
    path("feeds/", include("reading.feed_urls")),
    path("", include("reading.seo_urls")),
    path("preview/", include("reading.preview_urls")),
    path("", include("reading.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
