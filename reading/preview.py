"""Previews: an article as readers will see it, before they can.

There are two ways in. An editor who may change the article opens it from
the admin (articles/admin/preview.py). Anyone else, such as a lawyer or a
translator without an account, needs a preview link: a token, signed with the
site's secret key, that names the article and the moment the link stops
working. A signature is not encryption: the token hides nothing it carries
(a number and a time), but it cannot be made up or altered. It names the
article by its key alone, so the link keeps showing the latest version
through every edit.

Either way the page is the article page itself (the same template, the
same context), seen as a free reader or as a POZIRK+ subscriber, with a
banner on top. Previews are never indexed or cached, and do not pass their
address on to other sites.

Once an article is live, its preview link leads to its public page, where
the paywall decides as for anyone: the link was for reading ahead of
readers, not for reading around the paywall.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from paywall.access import can_read_preview

from . import cache

# A salt of its own: no other signed value of the site (a session, a password
# reset, a confirmation email) can pass for a preview link, nor the reverse.
SALT = "articles.preview.link"

# How long a link may work: the choices offered to an editor, and a ceiling
# that the signature's own timestamp enforces whatever the token claims.
LINK_LIFETIMES = [
    (1, _("1 day")),
    (3, _("3 days")),
    (7, _("7 days")),
    (30, _("30 days")),
]
DEFAULT_LINK_DAYS = 3
LONGEST_LINK = timedelta(days=30)

# Far longer than any token this module signs; checked before any hashing.
MAX_TOKEN_LENGTH = 200


def sign_link(article, expires_at):
    """A preview-link token for `article`, good until `expires_at`."""
    payload = {"a": article.pk, "x": int(expires_at.timestamp())}
    return signing.TimestampSigner(salt=SALT).sign_object(payload)


def read_link(token):
    """The article key and expiry a valid token carries, or a 404.

    Forged, altered, expired and foreign tokens are all "no such page": the
    answer says nothing about which it was.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise Http404
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=LONGEST_LINK)
    except signing.BadSignature:
        raise Http404 from None
    article_pk, expires = (
        (payload.get("a"), payload.get("x")) if isinstance(payload, dict) else (None, None)
    )
    if not isinstance(article_pk, int) or not isinstance(expires, int):
        raise Http404
    expires_at = datetime.fromtimestamp(expires, tz=UTC)
    if expires_at <= timezone.now():
        raise Http404
    return article_pk, expires_at


def link_urls(token, edition=None):
    """The shared link's two views of the article, in `edition` (the
    article's language: its preview speaks the edition it will appear in)."""
    with translation.override(edition or translation.get_language()):
        return (
            reverse("preview:reader", kwargs={"token": token}),
            reverse("preview:subscriber", kwargs={"token": token}),
        )


def _private(response):
    # The address is the secret: no cache keeps the page, no search engine
    # lists it, and no link followed from it carries it in a Referer.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def render_preview(request, article, *, as_subscriber, reader_url, subscriber_url, expires_at=None):
    """The article page as a free reader or a subscriber will see it, with
    the preview banner. `article` comes from Article.objects.for_preview()."""
    preview = {
        "status": article.get_status_display(),
        "scheduled_for": article.published_at if article.is_scheduled else None,
        "is_live": article.is_published,
        "dated_now": article.published_at is None,
        "as_subscriber": as_subscriber,
        "reader_url": reader_url,
        "subscriber_url": subscriber_url,
        "expires_at": expires_at,
    }
    if article.published_at is None:
        # Never saved: the page shows the time it would carry if it went live now.
        article.published_at = timezone.now()
    article.is_unlocked = can_read_preview(article, as_subscriber)
    article.opened_by_gift = article.can_give_gift = False
    # The free view is an anonymous visitor's, down to the masthead and the
    # gate's "Log in", even when an editor is the one looking.
    viewer = request.user if as_subscriber else AnonymousUser()
    more_headlines = Article.objects.for_feed(viewer).more_like(article)[
        : settings.NEWSROOM_MORE_HEADLINES
    ]
    context = {
        "article": article,
        "story": cache.story(request, article, viewer=viewer, fresh=True),
        "more_headlines": more_headlines,
        "current_section_slug": article.section.slug,
        "gift_key": None,
        "preview": preview,
    }
    if not as_subscriber:
        context["user"] = viewer
    return _private(render(request, "reading/article_detail.html", context))


def shared_preview(request, token, as_subscriber=False):
    """A preview link, opened by anyone who holds it."""
    article_pk, expires_at = read_link(token)
    article = Article.objects.for_preview().filter(pk=article_pk).first()
    if article is None:
        raise Http404
    if article.is_published:
        return _private(redirect(article.get_absolute_url()))
    reader_url, subscriber_url = link_urls(token)
    return render_preview(
        request,
        article,
        as_subscriber=as_subscriber,
        reader_url=reader_url,
        subscriber_url=subscriber_url,
        expires_at=expires_at,
    )
