"""Headline feeds paged without counting the archive.

Django's Paginator counts every matching article to know the number of
pages: one COUNT(*) per page view, which with a million articles costs more
than the rest of the page. Feeds only link to the newer and the older page,
so this paginator reads one article more than a page holds to know whether
there is an older page, and never counts.
"""

from functools import lru_cache
from html import escape

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

# The highest page number a feed answers. Past it, the offset a page number
# makes would not fit the database's 64-bit integers (a page just past that
# was an error page); ten million pages of headlines is far beyond any
# archive, and any higher number is a 404 like any page past the end.
LAST_PAGE_NUMBER = 10_000_000


class FeedPage:
    """One page of a feed, with what the templates and ListView read of
    Django's Page (number, object_list, has_next…), except the page count."""

    def __init__(self, object_list, number, has_next):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def next_page_number(self):
        if not self._has_next:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self):
        if self.number <= 1:
            raise EmptyPage("That page number is less than 1")
        return self.number - 1


class FeedPaginator:
    """A paginator for ListView that never counts (see the module's docstring).

    A page past the end, below 1, above LAST_PAGE_NUMBER or not a number is
    an InvalidPage, which ListView turns into a 404; so is ?page=last, since
    the last page is exactly what is not known.
    """

    # ListView asks for num_pages only to answer ?page=last; None makes that
    # page number invalid like any other word.
    num_pages = None

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        self.object_list = object_list
        self.per_page = int(per_page)
        self.allow_empty_first_page = allow_empty_first_page

    @staticmethod
    def validate_number(number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number > LAST_PAGE_NUMBER:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage("That page contains no results")
        return FeedPage(rows[: self.per_page], number, has_next=len(rows) > self.per_page)


def page_links(path, page, pages=None, query=""):
    """The links from `page` of a feed or search at `path` to the newer and
    older pages, and its number (of `pages`, where they are counted), as
    HTML built here: through the template engine they cost a tenth of a
    page-cache miss. `query`: the rest of the query string, encoded, kept
    on every link (search). A feed's are built once per process for what
    they show; a search's are not kept, since its query is a reader's words."""
    if not page.has_other_pages():
        return ""
    shown = (path, page.number, page.has_previous(), page.has_next(), pages, query)
    if query:
        return _page_links(*shown)
    return _kept_page_links(*shown, get_language())


def _page_links(path, number, has_previous, has_next, pages, query, language=None):
    def href(target):
        if target == 1:
            return escape(f"{path}?{query}" if query else path)
        return escape(f"?{query}&page={target}" if query else f"?page={target}")

    # As {% blocktranslate %} does: the values escaped, not the sentence.
    shown = escape(localize(number))
    current = (
        gettext("Page %(number)s of %(pages)s")
        % {"number": shown, "pages": escape(localize(pages))}
        if pages
        else gettext("Page %(number)s") % {"number": shown}
    )
    parts = [f'<nav class="pagination" aria-label="{escape(gettext("Pages"))}">']
    if has_previous:
        parts.append(f'<a rel="prev" href="{href(number - 1)}">{escape(gettext("← Newer"))}</a>')
    parts.append(f'<span class="pagination__current">{current}</span>')
    if has_next:
        parts.append(f'<a rel="next" href="{href(number + 1)}">{escape(gettext("Older →"))}</a>')
    parts.append("</nav>")
    return mark_safe("\n  ".join(parts))


# Bounded: the path is the reader's to choose. `language` is part of the
# key (the words are the edition's), though the build reads it itself.
_kept_page_links = lru_cache(maxsize=10_000)(_page_links)


@receiver(setting_changed)
def _forget_page_links(setting, **kwargs):
    # Tests change the editions and number formats.
    _kept_page_links.cache_clear()
