"""Who may read what: the one place that decides.

Every surface that shows an article body (pages, feeds, search, structured
data, caches) asks `can_read` for one article or filters with `readable_q`
for many; templates only read the resulting `is_unlocked` flag. Nothing else
in the code base looks at `Article.access` to decide what to show.

Today the rule is: free articles are for everyone; POZIRK+ articles are for
editorial staff. Subscribers join that list with the membership issue, here
and nowhere else.
"""

from django.db.models import Q

EDITORIAL_PERMISSION = "articles.change_article"


def _is_editorial_staff(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(EDITORIAL_PERMISSION)
    )


def can_read(user, article):
    """May `user` read `article` in full right now?"""
    from articles.models import Access

    if article.access == Access.FREE:
        return True
    return _is_editorial_staff(user)


def readable_q(user):
    """A filter on Article matching exactly the articles `user` may read in full.

    It must agree with `can_read` for every reader and every article; a test
    holds the two together.
    """
    from articles.models import Access

    if _is_editorial_staff(user):
        return Q(pk__isnull=False)
    return Q(access=Access.FREE)
