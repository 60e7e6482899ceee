from django.conf import settings


def site(request):
    """Masthead and navigation names, on every page ({% section_nav %} in the
    newsroom tag library renders the navigation itself, reading/cache.py)."""
    return {"newsroom_name": settings.SITE_NAME, "site_tagline": settings.SITE_TAGLINE}
