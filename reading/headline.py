"""A headline in a feed, as HTML built here rather than by a template.

A feed page shows twenty headlines and a search page as many; through the
template engine (an include for the labels, another for the POZIRK+ line,
filters resolved by name) each cost about 0.35 ms, a third of a page's
render with every cache off. Built with format_html, with the same escaping,
a headline costs a tenth of that. Its section labels and POZIRK+ line are
also what the lead story and the article page show ({% section_labels %},
{% plus_marker %} in the newsroom tag library).

Reads only what ArticleQuerySet.for_headlines() loads: the headline, slug,
time, access and the sections. The headline and snippet are in the article's
language, the labels around them in the edition's.
"""

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from . import days, editions


def feed_time(value):
    """How a headline dates a story, in the edition's language: "Today,
    14:11", the day this year ("24 лютага, 14:11"), the full date for older
    pieces (so archive pages are never ambiguous)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = days.today()
    if local.date() == today:
        return gettext("Today, %(time)s") % {"time": time_format(local, "H:i")}
    if local.year == today.year:
        return date_format(local, pgettext("headline date this year", "F j, H:i"))
    return date_format(local, pgettext("headline date before this year", "F j, Y"))


def section_labels(sections):
    """Links to `sections`, by their names in the edition's language."""
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((s.get_absolute_url(), s.local_name) for s in sections)
    )


def plus_marker(unlocked):
    """A POZIRK+ piece's mark: a badge for a reader who may read it, the
    POZIRK+ line for anyone else."""
    if unlocked:
        return mark_safe(
            '<p class="plus-marker plus-marker--member"><span class="plus-marker__badge"'
            ' aria-hidden="true">+</span> POZIRK+</p>'
        )
    return format_html(
        '<p class="plus-marker"><span class="plus-marker__badge" aria-hidden="true">+</span>'
        " {}</p>",
        gettext("The material is available only to POZIRK+"),
    )


def headline(article, level=2, snippet=""):
    """One headline, `snippet` (a search result's passage, HTML) under it."""
    story_lang = editions.html_lang(article.language)
    published = article.published_at
    parts = [
        format_html(
            '<article class="headline">\n'
            '  <p class="headline__sections">{}</p>\n'
            '  <h{} class="headline__title" lang="{}"><a href="{}">{}</a></h{}>\n',
            section_labels(article.section_labels()),
            level,
            story_lang,
            article.get_absolute_url(),
            article.headline,
            level,
        )
    ]
    if snippet:
        parts.append(
            format_html('  <p class="headline__snippet" lang="{}">{}</p>\n', story_lang, snippet)
        )
    parts.append(
        format_html(
            '  <p class="headline__time"><time datetime="{}">{}</time></p>\n',
            timezone.localtime(published).strftime("%Y-%m-%dT%H:%M:%S%z") if published else "",
            feed_time(published),
        )
    )
    if article.is_plus:
        parts.append(format_html("  {}\n", plus_marker(getattr(article, "is_unlocked", False))))
    parts.append("</article>")
    return mark_safe("".join(parts))
