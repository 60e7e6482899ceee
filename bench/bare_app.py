"""The bare Django baseline for bench/run.py: one view returning a file's bytes.

    BENCH_PAGE_FILE=/tmp/…/index.html gunicorn bench.bare_app:application …

No database, no templates, no apps; CommonMiddleware only, as a minimal
production site would have. Served by gunicorn with the same settings as the
real app, it measures what Django and gunicorn cost before the app does
anything: the ceiling an anonymous cache hit through Django can approach.
"""

import os

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    DATABASES={},
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402  (needs settings first)
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

PAGE_FILE = os.environ["BENCH_PAGE_FILE"]


def page(request):
    # Read on every request, as a view serving a file would: the page cache
    # keeps it in memory, so this costs microseconds.
    with open(PAGE_FILE, "rb") as file:
        return HttpResponse(file.read(), content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

application = get_wsgi_application()
