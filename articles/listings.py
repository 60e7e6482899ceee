"""Keeping each article's Listing rows: where its headline is listed.

An article is listed while it is published (live, or scheduled: feeds read
only the rows whose time has come): on the home page, in POZIRK+ if it is a
POZIRK+ piece, in its primary section and every "also in" section, under each
of its tags and each of its authors; each row carries the article's
language, so that an edition pages through its own language's rows of a
feed. Whenever an article, its sections, tags
or bylines change, its rows are written again from the database's own
state, by one INSERT … SELECT; bulk imports (generate_articles) and
`manage.py rebuild_listings` use the same statement for many articles.
"""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from paywall.access import Access

from .models import Article, ArticleSection, Author, Listing, Status, Tag, TaggedArticle


def _insert_statement(where):
    """INSERT every listing of the published articles `where` selects
    (an SQL condition on `a`, the articles table); returns (sql, params)."""
    quote = connection.ops.quote_name
    article = quote(Article._meta.db_table)
    also_in = quote(ArticleSection._meta.db_table)
    tagged = quote(TaggedArticle._meta.db_table)
    bylines = quote(Article.authors.through._meta.db_table)
    live = f"a.status = %s AND a.published_at IS NOT NULL AND ({where})"
    feeds = [
        (f"'{Listing.HOME}'", "", ""),
        (f"'{Listing.PLUS}'", "", "AND a.access = %s"),
        ("'section:' || a.section_id", "", ""),
        ("'section:' || s.section_id", f"JOIN {also_in} s ON s.article_id = a.id", ""),
        ("'tag:' || t.tag_id", f"JOIN {tagged} t ON t.content_object_id = a.id", ""),
        ("'author:' || w.author_id", f"JOIN {bylines} w ON w.article_id = a.id", ""),
    ]
    selects, uses_access = [], []
    for feed, join, condition in feeds:
        selects.append(
            f"SELECT {feed} AS feed, a.id AS article_id, a.published_at AS published_at, "
            f"a.language AS language "
            f"FROM {article} a {join} WHERE {live} {condition}"
        )
        uses_access.append(bool(condition))
    # UNION, not UNION ALL: an article "also in" its own primary section is listed once.
    sql = (
        f"INSERT INTO {quote(Listing._meta.db_table)} (feed, article_id, published_at, language) "
        f"SELECT feed, article_id, published_at, language FROM ({' UNION '.join(selects)}) listed"
    )
    return sql, uses_access


def _execute(where, where_params):
    sql, uses_access = _insert_statement(where)
    params = []
    for access in uses_access:
        params += [Status.PUBLISHED, *where_params, *([Access.PLUS] if access else [])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def relist(article_ids):
    """Write the listings of these articles afresh."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    with transaction.atomic():
        Listing.objects.filter(article_id__in=ids).delete()
        _execute(f"a.id IN ({', '.join(['%s'] * len(ids))})", ids)


def relist_range(first, last):
    """Write the listings of the articles with ids first…last afresh (bulk imports)."""
    with transaction.atomic():
        Listing.objects.filter(article_id__gte=first, article_id__lte=last).delete()
        _execute("a.id BETWEEN %s AND %s", [first, last])


def rebuild():
    """Write every article's listings afresh; returns how many there are."""
    with transaction.atomic():
        Listing.objects.all().delete()
        _execute("1 = 1", [])
    return Listing.objects.count()


# --- receivers ---------------------------------------------------------------


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures being loaded: rebuild_listings afterwards
        relist([instance.pk])


def _link_changed(sender, instance, origin=None, **kwargs):
    # Links deleted with their article: its listings go with it (CASCADE),
    # and writing them again would point at a row about to go.
    if isinstance(origin, Article) or getattr(origin, "model", None) is Article:
        return
    relist([instance.article_id if sender is ArticleSection else instance.content_object_id])


def _feed_deleted(sender, instance, **kwargs):
    feed = Listing.of_author(instance) if sender is Author else Listing.of_tag(instance)
    Listing.objects.filter(feed=feed).delete()


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's sections, authors or tags set at once (add, remove, clear)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        relist([instance.pk])
    elif action == "post_clear" and isinstance(instance, Author | Tag):
        # Every article lost this author or tag.
        _feed_deleted(type(instance), instance)
    elif action == "post_clear":
        Listing.objects.filter(feed=Listing.of_section(instance)).exclude(
            article__section=instance
        ).delete()
    else:
        relist(pk_set)


def connect():
    post_save.connect(_article_saved, sender=Article, dispatch_uid="listings-article")
    for link in (ArticleSection, TaggedArticle):
        for signal in (post_save, post_delete):
            signal.connect(_link_changed, sender=link, dispatch_uid=f"listings-{link.__name__}")
    for feed_owner in (Author, Tag):
        post_delete.connect(
            _feed_deleted, sender=feed_owner, dispatch_uid=f"listings-{feed_owner.__name__}"
        )
    for through in (Article.authors.through, ArticleSection, TaggedArticle):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"listings-m2m-{through}")
