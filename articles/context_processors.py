from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import page_cache
from .models import Section


class _Navigation:
    """This process's copy of the navigation for one content version (any
    change to a section replaces the version): (version, sections, {variant:
    rendered html}), replaced whole, so that a thread never mixes versions."""

    state = (None, [], {})


def section_nav(request, current_section_slug=None, label="Sections", css_class="section-nav"):
    """The section navigation as _section_nav.html renders it, with the page's
    own section marked. Rendered once per process and content version: it is
    on every page, twice."""
    version = page_cache.content_version(request)
    state = _Navigation.state
    if state[0] != version:
        state = _Navigation.state = (version, list(Section.objects.for_navigation()), {})
    _, sections, rendered = state
    variant = (current_section_slug, label, css_class)
    if variant not in rendered:
        rendered[variant] = mark_safe(
            render_to_string(
                "_section_nav.html",
                {
                    "navigation_sections": sections,
                    "current_section_slug": current_section_slug,
                    "nav_label": label,
                    "nav_class": css_class,
                },
            )
        )
    return rendered[variant]


def site(request):
    """Masthead and navigation names, on every page ({% section_nav %} in the
    newsroom tag library renders the navigation itself)."""
    return {"newsroom_name": settings.SITE_NAME, "site_tagline": settings.SITE_TAGLINE}
