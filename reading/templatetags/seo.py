"""Addresses, dates and structured data for the <head>: `{% load seo %}`.

Absolute addresses use the host the request came to (no sites framework to
keep in step with the domain), except canonical ones: those name the public
domain, NEWSROOM_PUBLIC_URL, when it is set, so that pages read through the
onion service or a mirror credit the newsroom's own address.
"""

from django import template

from .. import editions, head, structured_data

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


@register.simple_tag
def feed_links(feed_name=None, feeds=None, slug=None):
    """Feed autodiscovery: the page's own feeds ("feeds:section" and the
    slug) when it has them, then the latest (reading/head.py)."""
    return head.feed_links(feed_name, feeds, slug)


@register.simple_tag(takes_context=True)
def feed_seo(context, organization=False):
    """A feed page's canonical address, its neighbours' and, with
    `organization`, the newsroom's JSON-LD (reading/head.py)."""
    return head.feed_seo(context["request"], context["page_obj"], organization)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return structured_data.json_ld_script(
        structured_data.news_article_json_ld(context["request"], article)
    )


@register.filter
def iso8601(value):
    return structured_data.iso8601(value) if value else ""


@register.filter
def modified_at(article):
    return structured_data.modified_at(article)


@register.filter
def og_locale(language):
    return structured_data.OG_LOCALES.get(language, "")
