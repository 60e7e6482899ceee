from django.conf import settings

from .cache import CSRF_PLACEHOLDER


def site(request):
    """Masthead and navigation names, on every page ({% section_nav %} in the
    newsroom tag library renders the navigation itself, reading/cache.py)."""
    return {"newsroom_name": settings.SITE_NAME, "site_tagline": settings.SITE_TAGLINE}


def kept_csrf_token(request):
    """A placeholder instead of the reader's CSRF token in pages kept for a
    whole class of readers (reading/cache.py fills it in when serving). Listed
    after Django's own csrf processor, whose token it replaces."""
    if getattr(request, "csrf_token_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
