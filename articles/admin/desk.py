"""The editor's desk: the admin's front page says what needs doing now.

Pieces waiting for review (who filed them, when), what is scheduled and when
it goes live, the user's own drafts, what went live today and whether it is
POZIRK+, pins that lapse today, corrections of the past week; for whoever
manages subscriptions, the membership figures. Each list is one query, cut
to the newest few with a link to the rest, so the page costs the same with
ten articles or a million.
"""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from paywall.admin import plan_summary

from .. import workflow
from ..models import Article, Correction, Pin, Status, Transition, live_q

ROWS = 10


def _today(now):
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _articles_for(user):
    """What this user may see of the articles: everything for editors; their
    own work and what is live for reporters (as the article list shows)."""
    articles = Article.objects.defer(
        "body", "search_text_public", "search_text_full", "search_norm_public", "search_norm_full",
        "search_vector_public", "search_vector_full",
    )  # fmt: skip
    if not user.has_perm(workflow.EDIT_ANY):
        articles = articles.filter(workflow.own_or_live_q(user))
    return articles


def _changelist(**params):
    url = reverse("admin:articles_article_changelist")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def article_panels(user, now):
    articles = _articles_for(user)
    start, end = _today(now)
    filed = Transition.objects.filter(article=OuterRef("pk"), to_status=Status.REVIEW).order_by(
        "-at", "-pk"
    )
    counts = articles.aggregate(
        review=Count("pk", filter=Q(status=Status.REVIEW)),
        scheduled=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__gt=now)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT) & workflow.own_q(user)),
        today=Count("pk", filter=live_q() & Q(published_at__gte=start)),
    )
    review = (
        articles.in_review()
        .annotate(
            filed_at=Subquery(filed.values("at")[:1]),
            filed_by_name=Subquery(filed.values("by__display_name")[:1]),
            filed_by_email=Subquery(filed.values("by__email")[:1]),
        )
        .order_by("-updated_at", "-pk")[:ROWS]
    )
    return {
        "counts": counts,
        "review": review,
        "review_url": _changelist(publication="review"),
        "scheduled": articles.scheduled().order_by("published_at", "pk")[:ROWS],
        "scheduled_url": _changelist(publication="scheduled"),
        "drafts": articles.drafts()
        .filter(workflow.own_q(user))
        .order_by("-updated_at", "-pk")[:ROWS],
        "drafts_url": _changelist(publication="draft"),
        "today": articles.published()
        .filter(published_at__gte=start)
        .select_related("section")
        .order_by("-published_at", "-pk")[:ROWS],
        "today_url": _changelist(publication="live"),
        "today_end": end,
    }


def pins_lapsing_today(now):
    _start, end = _today(now)
    return (
        Pin.objects.filter(expires_at__gt=now, expires_at__lt=end)
        .select_related("article", "section")
        .only("position", "expires_at", "article__headline", "section__name")
        .order_by("expires_at")[:ROWS]
    )


def corrections_this_week(user, now):
    corrections = Correction.objects.filter(published_at__gte=now - timedelta(days=7))
    if not user.has_perm(workflow.EDIT_ANY):
        corrections = corrections.filter(article__in=_articles_for(user).values("pk"))
    return (
        corrections.select_related("article")
        .only("text", "published_at", "article__headline")
        .order_by("-published_at", "-pk")[:ROWS]
    )


def dashboard(request):
    """/admin/: the desk. Reached through admin.site.admin_view (staff only,
    and whatever else the site demands of them before anything)."""
    user = request.user
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": _("Editor’s desk"),
        "subtitle": None,
        "app_list": admin.site.get_app_list(request),
        "now": now,
    }
    if user.has_perm("articles.view_article"):
        context["desk"] = article_panels(user, now)
        context["corrections"] = corrections_this_week(user, now)
    if user.has_perm("articles.view_pin"):
        context["pins"] = pins_lapsing_today(now)
    if user.has_perm("paywall.view_subscription"):
        context["membership"] = plan_summary(now)
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/desk.html", context)
