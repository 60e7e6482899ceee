from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.admin.desk import dashboard
from paywall.urls import urlpatterns as account_patterns
from reach import views as reach_views
from reading.member_urls import urlpatterns as member_patterns
from security.urls import key_urlpatterns

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} newsroom"
admin.site.index_title = "Editorial desk"
# The desk's front page (articles/admin/desk.py) and the writing screen need
# the width the model list beside every page would take.
admin.site.enable_nav_sidebar = False

# A database outage is answered with a 503 page and Retry-After (newsroom/health.py).
handler500 = "newsroom.health.server_error"

urlpatterns = [
    # The editor's desk answers /admin/ in place of the stock index (it is
    # still admin:index for every link), behind the admin's own checks.
    path("admin/", admin.site.admin_view(dashboard), name="desk"),
    path("admin/", admin.site.urls),
    # Second factors: the second step of every staff login, optional for readers.
    path("accounts/second-factor/", include("security.urls")),
    path("accounts/second-factor/", include(key_urlpatterns)),
    # The signed list of addresses, for apps and scripts (reach/mirrors.py).
    path("mirrors.json", reach_views.mirrors_json, name="mirrors-json"),
    # Accounts (paywall) and the members' pages (reading), one namespace.
    path("", include(([*account_patterns, *member_patterns], "paywall"))),
    path("", include("payments.urls")),
    path("feeds/", include("reading.feed_urls")),
    path("", include("reading.seo_urls")),
    path("preview/", include("reading.preview_urls")),
    path("", include("newsletters.urls")),
    # About, the mirrors, the daily edition files: before the site's own
    # section addresses, which would take these words.
    path("", include("reach.urls")),
    path("", include("reading.urls")),
]

if settings.NEWSLETTERS_PROVIDER:
    # The provider's bounce and complaint webhook (newsletters/bounces.py).
    urlpatterns.insert(0, path("newsletters/provider/", include("anymail.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
