from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from . import editions
from .cache import CSRF_PLACEHOLDER

# The default tagline, for the catalogues: a tagline set in the environment
# is shown as it is, unless the catalogues translate it too.
gettext_noop("Independent news about Belarus")


def site(request):
    """Masthead and navigation names, on every page ({% section_nav %} in the
    newsroom tag library renders the navigation itself, reading/cache.py)."""
    return {
        "newsroom_name": settings.SITE_NAME,
        "site_tagline": gettext(settings.SITE_TAGLINE),
        # Called when a template shows them: the masthead, kept per edition.
        "edition_choices": editions.switch_choices,
    }


def kept_csrf_token(request):
    """A placeholder instead of the reader's CSRF token in pages kept for a
    whole class of readers (reading/cache.py fills it in when serving). Listed
    after Django's own csrf processor, whose token it replaces."""
    if getattr(request, "csrf_token_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
