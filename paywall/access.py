"""Who may read what: the one place that decides.

Every surface that shows an article body (pages, feeds, search, structured
data, caches) asks `can_read` for one article or filters with `readable_q`
for many; templates only read the flags these set (`is_unlocked`,
`opened_by_gift`, `can_give_gift`). Nothing else in the code base looks at
`Article.access` to decide what to show.

The rule: free articles are for everyone. POZIRK+ articles are for readers
with a subscription in force right now, for staff with the editorial
permission, and for whoever holds a valid gift link to that one article.

This module knows articles only by their `access` value and primary key, so
the content app can ask it without the two importing each other.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import GiftLink, Subscription

EDITORIAL_PERMISSION = "articles.change_article"

# Memo on the user object: one subscription query per request, however many
# articles a page asks about.
_MEMO = "_pozirk_plus_memo"


class Access(models.TextChoices):
    """Who an article is for: Article.access."""

    FREE = "free", _("Free")
    PLUS = "plus", _("POZIRK+")


def is_editorial_staff(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(EDITORIAL_PERMISSION)
    )


def with_subscription_known(users):
    """`users` (a queryset) each loaded with is_subscriber's answer for this
    moment, and the next moment that answer could change by itself (one of
    their subscriptions starts or ends: `subscription_changes_at`), read in
    the same query (paywall.backends: every page a logged-in reader opens)."""
    now = timezone.now()
    covered = Subscription.objects.covering(now).filter(user=OuterRef("pk"))
    theirs = Subscription.objects.filter(user=OuterRef("pk")).order_by()

    def earliest_after(field):
        later = theirs.filter(**{f"{field}__gt": now}).values("user")
        return Subquery(later.annotate(earliest=Min(field)).values("earliest")[:1])

    return users.annotate(
        **{_MEMO: Exists(covered)},
        subscription_starts_next=earliest_after("starts_at"),
        subscription_ends_next=earliest_after("ends_at"),
    )


def subscription_changes_at(user):
    """When is_subscriber(user)'s answer may next change with nobody saving
    anything (a user loaded by with_subscription_known); None: not by itself.
    A reader loaded once may be trusted with it until then
    (paywall.backends)."""
    moments = [
        moment
        for moment in (
            getattr(user, "subscription_starts_next", None),
            getattr(user, "subscription_ends_next", None),
        )
        if moment is not None
    ]
    return min(moments) if moments else None


def is_subscriber(user, moment=None):
    """Does a subscription cover `moment` (default: now) for this reader?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if moment is not None:
        return Subscription.objects.covering(moment).filter(user=user).exists()
    if not hasattr(user, _MEMO):
        setattr(
            user, _MEMO, Subscription.objects.covering(timezone.now()).filter(user=user).exists()
        )
    return getattr(user, _MEMO)


def has_plus(user):
    """May this person read every POZIRK+ article (members' feed included)?
    Then readable_q matches every article."""
    return is_editorial_staff(user) or is_subscriber(user)


def _gift_opens(gift_key, article):
    """Does `gift_key` open `article`?

    A gift link opens its one article for its days (POZIRK_GIFT_LINK_DAYS)
    unless its giver revokes it or deletes their account, whatever becomes of
    the giver's POZIRK+ meanwhile. Only a member can make one (see
    can_give_gift_link), and what they gave stays given: whoever received it,
    often in a chat from a country where the site is banned, cannot see the
    giver's membership and should not find the link dead on its third day.
    The monthly allowance and the link's short life bound what a membership
    that ends can leave behind. (README, "POZIRK+ membership": gift links.)"""
    if not gift_key or not isinstance(gift_key, str) or len(gift_key) > 64:
        return False
    return GiftLink.objects.valid().filter(key=gift_key, article_id=article.pk).exists()


def can_read(user, article, gift_key=None):
    """May `user` (or the holder of `gift_key`) read `article` in full right now?"""
    if is_free(article):
        return True
    return has_plus(user) or _gift_opens(gift_key, article)


def is_free(article):
    """Is `article` read in full by everyone, with or without an account?
    (Search engines are told so in its structured data.)"""
    return article.access == Access.FREE


def opened_by_gift(user, article, unlocked):
    """Was `article`, `unlocked` for `user` by can_read, opened by a gift link
    rather than by the reader's own POZIRK+? (The page then thanks the giver
    and offers no gift link of its own.)"""
    return unlocked and article.access == Access.PLUS and not has_plus(user)


def can_give_gift_link(user, article):
    """May `user` make a gift link that opens `article` for anyone?"""
    return article.access == Access.PLUS and has_plus(user)


def must_stay_private(article, unlocked):
    """Does a page showing `article` (`unlocked` or not, by can_read) hold text
    that not every reader may read, so that no shared cache may keep it?"""
    return unlocked and article.access == Access.PLUS


def can_read_preview(article, as_subscriber):
    """Does a preview of `article` show its full body?

    A preview shows a piece as one of two readers will see it once it is
    live: a POZIRK+ subscriber, or a free reader, who gets exactly what
    `can_read` gives a visitor without an account. Whether someone may open a
    preview at all (an editor, or a valid preview link) is checked before.
    """
    return as_subscriber or can_read(AnonymousUser(), article)


def gets_members_edition(user):
    """Is `user` given the members' version of a daily edition file, with
    every POZIRK+ story in full? (The same readers as the members' feed.)"""
    return has_plus(user)


def edition_shows_in_full(article, members_edition):
    """Does a daily edition file show `article` in full? The members' file
    (given only to readers gets_members_edition() lets have it) shows every
    story; the free file, which travels to anyone, exactly what `can_read`
    gives a visitor without an account."""
    return members_edition or can_read(AnonymousUser(), article)


class ReaderClass(models.TextChoices):
    """The kinds of reader a page can be kept for (reading/cache.py): every
    reader of one class is shown the same page, but for a few bytes filled in
    when it is served (a form's CSRF token)."""

    VISITOR = "visitor", _("Without an account")
    READER = "reader", _("Logged in without POZIRK+")
    PLUS = "plus", _("POZIRK+")


def reader_class(user):
    """Which ReaderClass `user` is in at this moment, or None for staff, whose
    pages are always rendered for them alone (previews, editorial rights).

    Asked on every request that may be served a kept page: a subscription
    that ends moves its reader from PLUS to READER with their next request."""
    if user is None or not user.is_authenticated:
        return ReaderClass.VISITOR
    if user.is_staff or user.is_superuser:
        return None
    return ReaderClass.PLUS if has_plus(user) else ReaderClass.READER


def readable_q(user):
    """A filter on Article matching exactly the articles `user` may read in full.

    It must agree with `can_read` (without a gift link) for every reader and
    every article; a test holds the two together.
    """
    if has_plus(user):
        return Q(pk__isnull=False)
    return Q(access=Access.FREE)


def reads_in_full_by_email(article, plus_at_sending):
    """Does a newsletter carry `article` in full to a recipient?

    Free pieces go to everyone in full; a POZIRK+ piece only to a recipient
    whose POZIRK+ covers the moment the message is sent (`plus_at_sending`:
    is_subscriber(user, moment), or for many recipients at once the
    annotation plus_at_q(moment, ...)). Everyone else gets its teaser, the
    POZIRK+ line and a link, as on the site. Staff get no exception here:
    an email cannot tell who forwards it.
    """
    return is_free(article) or bool(plus_at_sending)


def plus_at_q(moment, user_field):
    """An expression, True where the user in `user_field` (a path from the
    queried model, e.g. "subscriber__user") has POZIRK+ covering `moment`.
    The bulk form of is_subscriber(user, moment); a test holds the two together."""
    covered = Subscription.objects.covering(moment).filter(
        user=OuterRef(user_field), user__is_active=True
    )
    return Exists(covered)
