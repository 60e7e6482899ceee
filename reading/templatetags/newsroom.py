from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext

from articles import addresses

from .. import cache, editions, head, headline, pagination

register = template.Library()


@register.simple_tag
def address(viewname, *args, **kwargs):
    """What {% url %} gives, reversed once per process (articles/addresses.py):
    for the links every page carries."""
    return addresses.address(viewname, *args, **kwargs)


@register.simple_tag
def asset(path):
    """What {% static %} gives, worked out once per process (articles/addresses.py)."""
    return addresses.asset(path)


@register.simple_tag(takes_context=True)
def frame(context, template_name):
    """The masthead or footer (`template_name`), the same on every page of
    an edition but for the reader's class, the address and its section:
    kept in this process per content version (reading/cache.py)."""
    return cache.frame(context, template_name)


@register.simple_tag(takes_context=True)
def page_links(context):
    """The feed's or search's links to its newer and older pages
    (reading/pagination.py)."""
    page = context.get("page_obj")
    if page is None or not context.get("is_paginated"):
        return ""
    paginator = context.get("paginator")
    query = context.get("page_query")
    return pagination.page_links(
        context["request"].path,
        page,
        getattr(paginator, "num_pages", None),
        query.urlencode() if query else "",
    )


@register.simple_tag(takes_context=True)
def notices(context):
    """The notices waiting for this reader ("You are logged in."), shown
    once: reading them marks them seen (django.contrib.messages)."""
    messages = context.get("messages")
    if not messages:
        return ""
    return format_html(
        '<div class="messages" role="status">\n    {}\n  </div>',
        format_html_join(
            "",
            '<p class="message message--{}">{}</p>',
            # str() first, as {{ message }} does: a message marked safe stays so.
            ((message.tags, str(message)) for message in messages),
        ),
    )


@register.simple_tag(takes_context=True)
def section_nav(context, label, css_class="section-nav"):
    """The section navigation, this page's section marked (kept: reading/cache.py)."""
    return cache.section_nav(
        context.get("request"), context.get("current_section_slug"), label, css_class
    )


@register.inclusion_tag("reading/_headline_list.html")
def headline_list(articles, level=2):
    """A feed's headlines, each from the shared cache (reading/cache.py)."""
    return {"items": cache.headlines(articles, level)}


# The markup a feed's headlines share with the lead story and the article page.
register.simple_tag(headline.section_labels, name="section_labels")
register.simple_tag(headline.plus_marker, name="plus_marker")


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


register.filter("feed_time", headline.feed_time)


@register.filter
def story_date(value, kind="date"):
    """A date in the edition's language: "date" (24 лютага 2026),
    "datetime" (24 лютага 2026, 10:11), "dateline" (24 лютага),
    "datetime_zone" (… 10:11 EET), "day_time" (24 лютага, 10:11)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    formats = {
        "date": pgettext("full date", "F j, Y"),
        "datetime": pgettext("full date and time", "F j, Y, H:i"),
        "dateline": pgettext("dateline date", "F j"),
        "datetime_zone": pgettext("full date, time and time zone", "F j, Y, H:i T"),
        "day_time": pgettext("date this year and time", "F j, H:i"),
    }
    return date_format(local, formats[kind])


@register.simple_tag
def edition_lang(code=None):
    """A `lang` attribute's value: the edition's, or an article language's
    as this edition writes it (Belarusian in the Łacinka edition: be-Latn)."""
    return editions.html_lang(code)


@register.simple_tag(takes_context=True)
def edition_alternates(context, article=None):
    """hreflang alternates of this page in every edition (of an article:
    itself and its translations), and x-default (reading/head.py)."""
    request = context.get("request")
    return "" if request is None else head.alternates(request, article)


@register.simple_tag
def language_name(code):
    """A language's name in itself: "Беларуская", "Русский", "English"."""
    return editions.SWITCH_NAMES.get(code, code)
