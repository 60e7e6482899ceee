import threading

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import page_cache
from .models import Section


class _Navigation:
    """This process's copy of the navigation, for one content version
    (any change to a section replaces the version)."""

    lock = threading.Lock()
    version = None
    sections = []


def navigation_sections(request):
    version = page_cache.content_version(request)
    if _Navigation.version != version:
        sections = list(Section.objects.for_navigation())
        for section in sections:
            # Worked out once: the navigation is shown twice on every page.
            section.url = section.get_absolute_url()
        with _Navigation.lock:
            _Navigation.version, _Navigation.sections = version, sections
    return _Navigation.sections


def site(request):
    """Masthead and navigation, on every page.

    The navigation is lazy: pages that never show it (feeds, errors) never
    read it, and those that do read it from this process's copy, or with
    one query when the content has changed.
    """
    return {
        "newsroom_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "navigation_sections": SimpleLazyObject(lambda: navigation_sections(request)),
    }
