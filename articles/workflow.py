"""Who may do what to an article, and the record of what was done.

The roles are groups holding permissions (created by a data migration):
reporters may add and change articles, editors may also publish, edit
anyone's work, set the paywall and curate. What the permissions cannot say
alone lives here: a reporter changes only their own drafts, and the status
moves along draft → in review → published (now or scheduled) → unpublished.
The admin asks these functions; every refusal comes with a sentence the
person refused can act on.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, Status, Transition, live_q

PUBLISH = "articles.publish_article"
EDIT_ANY = "articles.edit_any_article"
SET_ACCESS = "articles.set_article_access"
CURATE = "articles.curate_article"

# Statuses a reporter's own article may be in for them to keep working on it:
# once it is published (or scheduled) it is the editors' to change.
REPORTER_EDITABLE = {Status.DRAFT, Status.REVIEW}

# Every move the newsroom makes, and whether it takes an editor.
MOVES = {
    (Status.DRAFT, Status.REVIEW): False,
    (Status.REVIEW, Status.DRAFT): False,
    (Status.DRAFT, Status.PUBLISHED): True,
    (Status.REVIEW, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.UNPUBLISHED): True,
    # Taking a scheduled piece back before it goes live.
    (Status.PUBLISHED, Status.DRAFT): True,
    (Status.UNPUBLISHED, Status.PUBLISHED): True,
    (Status.UNPUBLISHED, Status.DRAFT): True,
}


def is_editor(user):
    return user.has_perm(PUBLISH)


def owns(user, article):
    """Did `user` start this article, or are they in its byline?"""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.authors.filter(user=user).exists()


def own_q(user):
    """Articles `user` started or is in the byline of (as `owns` says)."""
    in_byline = Article.authors.through.objects.filter(article=OuterRef("pk"), author__user=user)
    return Q(created_by=user) | Exists(in_byline)


def own_or_live_q(user):
    """The articles a reporter works with in the admin: their own, whatever
    their status, and what is already public. Other people's unpublished
    work (an investigation in progress) stays out of sight."""
    return own_q(user) | live_q()


def can_change(user, article):
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm(EDIT_ANY):
        return True
    return article.status in REPORTER_EDITABLE and owns(user, article)


def why_not_change(user, article):
    """The sentence shown to someone who may look at an article but not change it."""
    if article.status not in REPORTER_EDITABLE:
        return _(
            "This article has been published or scheduled, so only an editor can "
            "change it now. Ask an editor, or add a note for them."
        )
    return _("This is a colleague's draft: only its authors and the editors can change it.")


def allowed_statuses(user, article):
    """The statuses `user` may give `article`, its current one first."""
    current = article.status if article.pk else Status.DRAFT
    editor = is_editor(user)
    moves = [to for (frm, to), needs_editor in MOVES.items() if frm == current]
    return [current, *(to for to in moves if editor or not MOVES[(current, to)])]


def check_move(user, article, old_status, old_published_at):
    """Raise ValidationError, keyed by field, if `user` may not take `article`
    (already changed in memory) from `old_status`/`old_published_at` to where
    it now stands."""
    new_status = article.status
    editor = is_editor(user)
    if new_status != old_status:
        needs_editor = MOVES.get((old_status, new_status))
        if needs_editor is None:
            raise ValidationError(
                {
                    "status": _("An article cannot go from “%(old)s” to “%(new)s”.")
                    % {"old": Status(old_status).label, "new": Status(new_status).label}
                }
            )
        if needs_editor and not editor:
            raise ValidationError(
                {
                    "status": _(
                        "Only editors can publish, schedule or unpublish. Set the status "
                        "to “In review” and an editor will take it from there."
                    )
                }
            )
    if (
        new_status == Status.PUBLISHED
        and article.published_at != old_published_at
        and old_published_at is not None
        and not editor
    ):
        raise ValidationError(
            {"published_at": _("Only editors can change when an article goes live.")}
        )


def record(article, old_status, user, old_published_at=None):
    """Keep a Transition for a status change (or a new go-live time)."""
    rescheduled = (
        article.status == Status.PUBLISHED
        and old_status == Status.PUBLISHED
        and article.published_at != old_published_at
    )
    if article.status == old_status and not rescheduled:
        return None
    return Transition.objects.create(
        article=article,
        from_status=old_status,
        to_status=article.status,
        publish_at=article.published_at if article.status == Status.PUBLISHED else None,
        by=user,
    )


def move(article, to_status, user, *, publish_at=None):
    """Take one article to `to_status` as `user` would from the list's actions,
    saving it (a new revision) and recording the move. Raises ValidationError
    with the reason when the move is not allowed."""
    old_status, old_published_at = article.status, article.published_at
    if not can_change(user, article):
        raise ValidationError(why_not_change(user, article))
    article.status = to_status
    if to_status == Status.PUBLISHED:
        article.published_at = publish_at or timezone.now()
    check_move(user, article, old_status, old_published_at)
    article.last_edited_by = user
    article.save()
    record(article, old_status, user, old_published_at)
    return article
