"""The body's own blocks, shown: library images as renditions, embeds as
click-to-load placeholders on the site and as links in feeds and mail.

Works on the body *after* the sanitiser (Article.body_html), whose output is
regular: double-quoted attributes whose values hold no raw quote. Each block's
values are read from that markup, checked again (an image id must name a
library image, an embed's link must be one embeds.recognise knows), and the
replacement is built from templates that escape them. Anything not
recognised is left as the sanitiser left it.
"""

import re
from html import unescape
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import embeds
from .models import Image
from .renditions import FALLBACK, picture_context, rendition_files

_FIGURE = re.compile(r'<figure((?:\s+[\w-]+="[^"]*")*)\s*>(.*?)</figure>', re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
_HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')

# How wide body images are laid out: the story's measure (site.css).
BODY_IMAGE_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
# Feed readers get one JPEG of about the width they show.
FEED_IMAGE_WIDTH = 800


class Block:
    """One figure of the body, as stored."""

    def __init__(self, match):
        self.match = match
        self.attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
        self.classes = set(self.attributes.get("class", "").split())
        caption = _CAPTION.search(match[2])
        self.caption = unescape(strip_tags(caption[1])).strip() if caption else ""

    @property
    def image_id(self):
        value = self.attributes.get("data-image", "")
        return int(value) if "body-image" in self.classes and value.isdigit() else None

    @property
    def link(self):
        if "embed" not in self.classes:
            return None
        href = _HREF.search(self.match[2])
        return unescape(href[1]) if href else ""


def _blocks(html):
    return [Block(match) for match in _FIGURE.finditer(html)]


def _images(blocks):
    ids = {block.image_id for block in blocks if block.image_id is not None}
    return Image.objects.in_bulk(ids) if ids else {}


def _rewrite(html, replace):
    blocks = _blocks(html)
    if not blocks:
        return html
    images = _images(blocks)
    out, end = [], 0
    for block in blocks:
        out.append(html[end : block.match.start()])
        replacement = replace(block, images)
        out.append(block.match[0] if replacement is None else replacement)
        end = block.match.end()
    out.append(html[end:])
    return "".join(out)


def _image_texts(block, image):
    return {
        "alt": block.attributes.get("data-alt") or image.alt,
        "caption": block.caption or image.caption,
        "credit": block.attributes.get("data-credit") or image.credit,
    }


def for_page(html):
    """The sanitised body as the article page shows it."""

    def replace(block, images):
        if block.image_id is not None:
            image = images.get(block.image_id)
            if image is None:
                return ""  # removed from the library: nothing to show
            texts = _image_texts(block, image)
            return render_to_string(
                "articles/_body_image.html",
                {
                    **picture_context(image.file, alt=texts["alt"], sizes=BODY_IMAGE_SIZES),
                    **texts,
                },
            )
        if block.link is not None:
            embed = embeds.recognise(block.link)
            if embed is None:
                return _plain_link(block.link)
            return render_to_string(
                "articles/_body_embed.html",
                {"embed": embed, "frame": f"{reverse('articles:embed')}?{_query(embed.url)}"},
            )
        return None

    return mark_safe(_rewrite(html, replace))


def for_feed(html, absolute, pictures=True):
    """The sanitised body for feed readers and mail: one plain JPEG per
    image (absolute address, via `absolute(path)`), every embed a link.
    Without `pictures` (files read offline, which may not fetch from the
    web), a picture is left out."""

    def replace(block, images):
        if block.image_id is not None:
            image = images.get(block.image_id)
            if image is None or not pictures:
                return ""
            texts = _image_texts(block, image)
            files = rendition_files(image.file, FALLBACK)
            fitting = [f for width, f in files if width <= FEED_IMAGE_WIDTH] or [files[0][1]]
            return render_to_string(
                "articles/_feed_image.html",
                {**texts, "src": absolute(fitting[-1].url if files else image.file.url)},
            )
        if block.link is not None:
            embed = embeds.recognise(block.link)
            return _plain_link(block.link, embed.label if embed else None)
        return None

    return mark_safe(_rewrite(html, replace))


def _plain_link(url, label=None):
    if not url:
        return ""
    if label:
        return format_html('<p>{}: <a href="{}">{}</a></p>', label, url, url)
    return format_html('<p><a href="{}">{}</a></p>', url, url)


def _query(url):
    return urlencode({"url": url})


def problems(html):
    """What an editor must fix before saving: embeds of links we cannot show
    and library images that are gone. Sentences, for the body's errors."""
    found = []
    blocks = _blocks(html)
    images = _images(blocks)
    for block in blocks:
        if block.image_id is not None and block.image_id not in images:
            found.append(_("An image in the body is no longer in the library: remove it."))
        if block.link is not None and embeds.recognise(block.link) is None:
            found.append(
                _(
                    "“%(url)s” cannot be embedded: give the address of a YouTube or Vimeo "
                    "video, or of a Telegram, X or Instagram post."
                )
                % {"url": block.link}
            )
    return found
