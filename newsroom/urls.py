from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.admin.desk import dashboard
from newsroom import admin_language
from payments import views as payments_views
from paywall.urls import urlpatterns as account_patterns
from reach import views as reach_views
from reading import editions, seo_views
from reading.member_urls import urlpatterns as member_patterns
from security.urls import key_urlpatterns

# Lazy, so that each editor reads it in their own language: a lazy string
# formatted with % would be fixed in the language of the moment of import.
admin.site.site_header = admin.site.site_title = lazy(
    lambda: gettext("%(site)s newsroom") % {"site": settings.SITE_NAME}, str
)()
admin.site.index_title = _("Editorial desk")
# The desk's front page (articles/admin/desk.py) and the writing screen need
# the width the model list beside every page would take.
admin.site.enable_nav_sidebar = False

# A database outage is answered with a 503 page and Retry-After (newsroom/health.py).
handler500 = "newsroom.health.server_error"

urlpatterns = [
    # The editor's desk answers /admin/ in place of the stock index (it is
    # still admin:index for every link), behind the admin's own checks.
    path("admin/", admin.site.admin_view(dashboard), name="desk"),
    # The admin is in each editor's own language (newsroom/admin_language.py),
    # at one address: the one they pick here, else Accept-Language.
    path("admin/language/", admin_language.choose, name="admin-language"),
    path("admin/", admin.site.urls),
    # Second factors: the second step of every staff login, optional for readers.
    path("accounts/second-factor/", include("security.urls")),
    path("accounts/second-factor/", include(key_urlpatterns)),
    # The signed list of addresses, for apps and scripts (reach/mirrors.py).
    path("mirrors.json", reach_views.mirrors_json, name="mirrors-json"),
    # Stripe's webhook, at the one address Stripe is given (also answered
    # under each edition's prefix, where the rest of payments/ lives).
    path("plus/stripe/webhook/", payments_views.webhook),
    # One robots.txt names every edition's sitemaps.
    path("robots.txt", seo_views.robots_txt, name="robots-txt"),
    # The language switch: remembers the edition, then goes to the same page in it.
    path("language/<str:code>/", editions.switch, name="edition-switch"),
]

# Every reader's page, once per edition: /be/…, /ru/…, /en/…, /be-latn/….
# An address without a prefix is redirected to the reader's edition
# (LocaleMiddleware: the edition cookie, then Accept-Language).
urlpatterns += i18n_patterns(
    # The reader's pages first: most requests are for them, and every pattern
    # tried before the one that matches costs (the home page came after some
    # forty). A section's slug is never a word the pages below begin with
    # (reading.urls.SectionSlug), so none of theirs is taken for a section.
    path("", include("reading.urls")),
    # Accounts (paywall) and the members' pages (reading), one namespace.
    path("", include(([*account_patterns, *member_patterns], "paywall"))),
    path("", include("payments.urls")),
    path("feeds/", include("reading.feed_urls")),
    path("", include("reading.seo_urls")),
    path("preview/", include("reading.preview_urls")),
    path("", include("newsletters.urls")),
    # The mirrors and the daily edition files.
    path("", include("reach.urls")),
    prefix_default_language=True,
)

if settings.NEWSLETTERS_PROVIDER:
    # The provider's bounce and complaint webhook (newsletters/bounces.py).
    urlpatterns.insert(0, path("newsletters/provider/", include("anymail.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
