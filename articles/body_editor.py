"""The body editor's own blocks, and what the sanitiser lets through for them.

django-prose-editor derives its nh3 allow-list from the editor's extensions;
these processors add exactly the markup our three blocks store, and nothing
wider (no `class` attribute in general, no `src`, no `style`):

    <figure class="body-image" data-image="42" data-alt="…" data-credit="…">
      <figcaption>…</figcaption></figure>          an image from the library
    <blockquote class="pull-quote"><p>…</p></blockquote>      a pull quote
    <figure class="embed"><a href="https://t.me/…">…</a></figure>   an embed

The stored markup names things; it never holds what a page will load. The
reader's page turns an image's id into its renditions and an embed's link
into a click-to-load placeholder (articles/blocks.py), each built from
values checked there again.

Imported by the settings (DJANGO_PROSE_EDITOR_EXTENSIONS), so it must not
import models.
"""

import re

from django_prose_editor.config import add_allowed_classes, add_tags_and_attributes

# Kept attribute values: an id is digits, texts are short.
_LIMITS = {"data-image": 12, "data-alt": 300, "data-credit": 120}
_DIGITS = re.compile(r"[0-9]+")


def _attribute_filter(tag, attribute, value):
    """nh3's last word on every kept attribute: a block's data attributes
    must look like what the editor writes, or they are dropped."""
    if attribute == "data-image":
        return value if _DIGITS.fullmatch(value) and len(value) <= _LIMITS[attribute] else None
    if attribute in _LIMITS:
        return value[: _LIMITS[attribute]]
    return value


def _with_filter(shared_config):
    shared_config["attribute_filter"] = _attribute_filter


def body_image(config, shared_config):
    add_tags_and_attributes(
        shared_config,
        ["figure", "figcaption"],
        {"figure": ["data-image", "data-alt", "data-credit"]},
    )
    add_allowed_classes(shared_config, {"figure": ["body-image"]})
    _with_filter(shared_config)


def pull_quote(config, shared_config):
    add_tags_and_attributes(shared_config, ["blockquote", "p"], None)
    add_allowed_classes(shared_config, {"blockquote": ["pull-quote"]})


def embed(config, shared_config):
    # The link itself is the Link extension's <a href>, with its schemes.
    add_tags_and_attributes(shared_config, ["figure", "a"], None)
    add_allowed_classes(shared_config, {"figure": ["embed"]})
    _with_filter(shared_config)


PROCESSORS = {"BodyImage": body_image, "PullQuote": pull_quote, "Embed": embed}
