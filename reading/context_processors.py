from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from . import editions

# The default tagline, for the catalogues: a tagline set in the environment
# is shown as it is, unless the catalogues translate it too.
gettext_noop("Independent news about Belarus")


def site(request):
    """Masthead and navigation names, on every page ({% section_nav %} in the
    newsroom tag library renders the navigation itself, reading/cache.py)."""
    return {
        "newsroom_name": settings.SITE_NAME,
        "site_tagline": gettext(settings.SITE_TAGLINE),
        "edition_choices": editions.switch_choices(),
    }
