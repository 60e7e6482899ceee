"""{% picture %}: an uploaded image as a responsive <picture>.

    {% load renditions %}
    {% picture article.lead_image alt=article.lead_image_alt sizes="100vw" %}

`sizes` says how wide the layout shows the image (a media-query list, as in
HTML); `eager=True` for an image seen without scrolling (otherwise it loads
lazily), and with it `priority=True` for the one image a page most needs
first. `image` is any ImageField value whose model records its width and
height (an article's lead_image, a library image's file).
"""

from django import template

from articles.renditions import picture_context

register = template.Library()


@register.inclusion_tag("reading/_picture.html")
def picture(image, alt="", sizes="100vw", eager=False, priority=False):
    return picture_context(image, alt=alt, sizes=sizes, eager=eager, priority=priority)
