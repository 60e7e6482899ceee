from django.conf import settings

from .models import Section


def site(request):
    """Masthead and navigation, on every page.

    The sections queryset is lazy: pages that never show the navigation
    (feeds, errors) never query it, and those that do query it once.
    """
    return {
        "newsroom_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "navigation_sections": Section.objects.for_navigation(),
    }
