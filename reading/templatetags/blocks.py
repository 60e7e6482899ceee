"""{{ article.body_html|as_page_body }}: the body's images as renditions and
its embeds as click-to-load placeholders (articles/blocks.py)."""

from django import template

from articles import blocks

register = template.Library()


@register.filter
def as_page_body(html):
    return blocks.for_page(html)
