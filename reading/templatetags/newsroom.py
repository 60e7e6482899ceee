from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .. import cache

register = template.Library()


@register.simple_tag(takes_context=True)
def section_nav(context, label="Sections", css_class="section-nav"):
    """The section navigation, this page's section marked (kept: reading/cache.py)."""
    return cache.section_nav(
        context.get("request"), context.get("current_section_slug"), label, css_class
    )


@register.inclusion_tag("reading/_headline_list.html")
def headline_list(articles, level=2):
    """A feed's headlines, each from the shared cache (reading/cache.py)."""
    return {"items": cache.headlines(articles, level)}


@register.simple_tag
def lead_story(article):
    return cache.lead_story(article)


@register.simple_tag(takes_context=True)
def more_headlines(context, article, articles, level=3):
    """The headlines under an article, kept for the content version; a
    preview (a draft's page) is rendered afresh."""
    if context.get("preview"):
        return render_to_string(
            "reading/_headline_list.html", {"items": cache.headlines(articles, level)}
        )
    return cache.more_headlines(context["request"], article, articles, level)


@register.filter
def feed_time(value):
    """How a headline feed dates a story: the time alone today, the day this
    year, the full date for older pieces (so archive pages are never ambiguous)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return format_date(local, "H:i")
    if local.year == today.year:
        return format_date(local, "F j, H:i")
    return format_date(local, "F j, Y")
