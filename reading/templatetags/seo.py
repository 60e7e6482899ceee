"""Addresses, dates and structured data for the <head>: `{% load seo %}`.

Absolute addresses use the host the request came to (no sites framework to
keep in step with the domain), except canonical ones: those name the public
domain, NEWSROOM_PUBLIC_URL, when it is set, so that pages read through the
onion service or a mirror credit the newsroom's own address.
"""

from urllib.parse import urlencode

from django import template

from .. import editions, structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


def _canonical(request, path):
    return editions.crawler_url(request, path)


@register.simple_tag(takes_context=True)
def canonical_url(context, path):
    """`path`'s canonical address: on the public domain whatever host was asked."""
    return _canonical(context["request"], path)


@register.simple_tag(takes_context=True)
def feed_page_url(context, number):
    """The canonical address of page `number` of the feed being shown: page 1
    is the bare path, as the pagination links have it; other parameters drop."""
    request = context["request"]
    path = request.path if number == 1 else f"{request.path}?{urlencode({'page': number})}"
    return _canonical(request, path)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return structured_data.json_ld_script(
        structured_data.news_article_json_ld(context["request"], article)
    )


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    return structured_data.json_ld_script(structured_data.organization_json_ld(context["request"]))


@register.filter
def iso8601(value):
    return structured_data.iso8601(value) if value else ""


@register.filter
def modified_at(article):
    return structured_data.modified_at(article)


@register.filter
def og_locale(language):
    return structured_data.OG_LOCALES.get(language, "")
