"""The newsroom's day in the admin: reporters write and submit, editors
review, publish, schedule and unpublish, and every move is on record."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Status, Transition
from paywall.access import Access
from tests.factories import ArticleFactory, SectionFactory, article_form
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit_form(article, **overrides):
    """The change form as the admin would post it back, with `overrides`."""
    local = timezone.localtime(article.published_at) if article.published_at else None
    current = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "tags": "",
        "status": article.status,
        "access": article.access,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
    }
    return article_form(article.section, **{**current, **overrides})


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def reporter_client(client, reporter):
    log_in_staff(client, reporter)
    return client


@pytest.fixture
def desk_client(client, desk_editor):
    log_in_staff(client, desk_editor)
    return client


def test_the_three_roles_exist_as_groups():
    roles = set(Group.objects.values_list("name", flat=True))
    assert {"Reporter", "Editor", "Subscriptions manager"} <= roles
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="publish_article").exists()
    assert not Group.objects.get(name="Reporter").permissions.filter(
        codename__in=["publish_article", "set_article_access", "edit_any_article"]
    )


# -- A reporter's day -------------------------------------------------------


def test_a_reporter_writes_a_draft_and_submits_it_for_review(reporter_client, reporter, politics):
    response = reporter_client.post(
        ADD, article_form(politics, headline="Strike at the tractor works", status=Status.DRAFT)
    )
    assert response.status_code == 302
    article = Article.objects.get(headline="Strike at the tractor works")
    assert article.created_by == reporter and article.status == Status.DRAFT

    response = reporter_client.post(change_url(article), edit_form(article, status=Status.REVIEW))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    transition = article.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.DRAFT,
        Status.REVIEW,
        reporter,
    )


def test_a_reporter_is_offered_only_draft_and_review(reporter_client, politics):
    form = reporter_client.get(ADD).context["adminform"].form

    assert [value for value, _ in form.fields["status"].choices] == [Status.DRAFT, Status.REVIEW]
    # Going live, the paywall and related picks are the editors' call.
    for field in ("published_at", "access", "teaser_paragraphs", "related"):
        assert field not in form.fields


def test_a_reporter_who_tries_to_publish_is_told_why_not(reporter_client, politics):
    response = reporter_client.post(ADD, article_form(politics, status=Status.PUBLISHED))

    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "Select a valid choice" in response.text


def test_a_reporter_cannot_publish_an_own_article_by_posting_the_status(
    reporter_client, reporter, politics
):
    article = ArticleFactory(section=politics, status=Status.REVIEW, published_at=None)
    article.created_by = reporter
    article.save()

    response = reporter_client.post(change_url(article), edit_form(article, status="published"))

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_a_reporter_edits_a_draft_in_their_byline(reporter_client, reporter, politics):
    article = ArticleFactory(
        section=politics, draft=True, authors=[Author.objects.get(user=reporter)]
    )

    response = reporter_client.post(change_url(article), edit_form(article, dek="A new dek."))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.dek == "A new dek."


def test_a_reporter_does_not_see_colleagues_unpublished_work(reporter_client, reporter, politics):
    own = ArticleFactory(headline="My own draft", section=politics, draft=True)
    own.created_by = reporter
    own.save()
    ArticleFactory(headline="A colleague's investigation", section=politics, draft=True)
    ArticleFactory(headline="Already on the site", section=politics)

    listing = reporter_client.get(CHANGELIST).text

    assert "My own draft" in listing
    assert "Already on the site" in listing
    assert "A colleague&#x27;s investigation" not in listing
    secret = Article.objects.get(headline="A colleague's investigation")
    assert reporter_client.get(change_url(secret)).status_code == 302  # "doesn't exist"


def test_a_reporter_reads_a_published_article_but_is_told_only_editors_change_it(
    reporter_client, reporter, politics
):
    article = ArticleFactory(section=politics, headline="Live story")
    article.created_by = reporter
    article.save()

    page = reporter_client.get(change_url(article))

    assert page.status_code == 200
    assert "only an editor can change it now" in page.text
    assert reporter_client.post(change_url(article), edit_form(article)).status_code == 403


def test_a_reporter_has_no_publishing_or_paywall_actions(reporter_client, politics):
    ArticleFactory(section=politics)
    actions = dict(reporter_client.get(CHANGELIST).context["action_form"].fields["action"].choices)

    assert "submit_for_review" in actions
    for editor_only in ("publish_now", "unpublish", "mark_plus", "mark_free"):
        assert editor_only not in actions


def test_a_reporter_submits_several_drafts_from_the_list(reporter_client, reporter, politics):
    mine = ArticleFactory(section=politics, draft=True)
    mine.created_by = reporter
    mine.save()

    reporter_client.post(CHANGELIST, {"action": "submit_for_review", "_selected_action": [mine.pk]})

    mine.refresh_from_db()
    assert mine.status == Status.REVIEW


# -- An editor's day ----------------------------------------------------------


def test_an_editor_publishes_an_article_in_review(desk_client, desk_editor, client, politics):
    article = ArticleFactory(section=politics, status=Status.REVIEW, published_at=None)

    response = desk_client.post(change_url(article), edit_form(article, status=Status.PUBLISHED))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.transitions.get().by == desk_editor


def test_an_editor_sends_a_piece_back_to_the_reporter(desk_client, politics):
    article = ArticleFactory(section=politics, status=Status.REVIEW, published_at=None)

    desk_client.post(change_url(article), edit_form(article, status=Status.DRAFT))

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.transitions.get().to_status == Status.DRAFT


def test_an_editor_schedules_a_story_and_it_goes_live_by_itself(desk_client, client, politics):
    article = ArticleFactory(
        section=politics, headline="Verdict expected", status=Status.REVIEW, published_at=None
    )
    client.get("/")  # the home page is now in the page cache
    soon = timezone.localtime() + timedelta(seconds=2)

    desk_client.post(
        change_url(article),
        edit_form(
            article,
            status=Status.PUBLISHED,
            published_at_0=soon.strftime("%Y-%m-%d"),
            published_at_1=soon.strftime("%H:%M:%S"),
        ),
    )

    article.refresh_from_db()
    assert article.is_scheduled
    listing = desk_client.get(CHANGELIST, {"publication": "scheduled"}).text
    assert "Scheduled for" in listing and "Verdict expected" in listing
    assert "Verdict expected" not in client.get("/").text
    assert client.get(article.get_absolute_url()).status_code == 404

    time.sleep(max(0, (article.published_at - timezone.now()).total_seconds()) + 0.1)

    assert "Verdict expected" in client.get("/").text
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.transitions.get().publish_at == article.published_at


def test_an_editor_moves_a_scheduled_story_and_the_new_time_is_recorded(desk_client, politics):
    article = ArticleFactory(section=politics, scheduled=True)
    later = timezone.localtime(article.published_at) + timedelta(hours=3)

    desk_client.post(
        change_url(article),
        edit_form(
            article,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )

    transition = Article.objects.get(pk=article.pk).transitions.get()
    assert transition.from_status == transition.to_status == Status.PUBLISHED
    assert transition.publish_at == later.replace(microsecond=0)


def test_an_editor_takes_back_a_scheduled_story(desk_client, politics):
    article = ArticleFactory(section=politics, scheduled=True)

    desk_client.post(change_url(article), edit_form(article, status=Status.DRAFT))

    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_an_editor_unpublishes_and_republishes(desk_client, client, politics):
    article = ArticleFactory(section=politics, headline="Disputed report")

    desk_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Disputed report" not in client.get("/").text
    assert "Disputed report" in desk_client.get(CHANGELIST, {"publication": "unpublished"}).text

    desk_client.post(change_url(article), edit_form(article, status=Status.PUBLISHED))

    article.refresh_from_db()
    assert article.is_published
    moves = [(t.from_status, t.to_status) for t in article.transitions.order_by("at", "pk")]
    assert moves == [
        (Status.PUBLISHED, Status.UNPUBLISHED),
        (Status.UNPUBLISHED, Status.PUBLISHED),
    ]


def test_an_unpublished_article_can_go_back_to_draft(desk_client, politics):
    article = ArticleFactory(section=politics, status=Status.UNPUBLISHED)

    desk_client.post(change_url(article), edit_form(article, status=Status.DRAFT))

    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_a_move_the_workflow_does_not_know_is_refused_with_a_reason(desk_client, politics):
    article = ArticleFactory(section=politics, draft=True)

    response = desk_client.post(change_url(article), edit_form(article, status="unpublished"))

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not article.transitions.exists()


def test_the_in_review_filter_lists_what_waits_for_an_editor(desk_client, politics):
    ArticleFactory(section=politics, headline="Waiting", status=Status.REVIEW, published_at=None)
    ArticleFactory(section=politics, headline="Still drafting", draft=True)

    listing = desk_client.get(CHANGELIST, {"publication": "review"}).text

    assert "Waiting" in listing and "Still drafting" not in listing


def test_the_article_page_in_the_admin_shows_who_moved_it_and_when(
    desk_client, desk_editor, reporter, politics
):
    article = ArticleFactory(section=politics, status=Status.REVIEW, published_at=None)
    Transition.objects.create(
        article=article, from_status=Status.DRAFT, to_status=Status.REVIEW, by=reporter
    )
    desk_client.post(change_url(article), edit_form(article, status=Status.PUBLISHED))

    page = desk_client.get(change_url(article)).text

    assert "Status history" in page
    assert "reporter@newsroom.test" in page and "desk@newsroom.test" in page
    assert "Draft → In review" in page and "In review → Published" in page


def test_an_editor_sets_the_paywall_from_the_list(desk_client, politics):
    article = ArticleFactory(section=politics)

    desk_client.post(CHANGELIST, {"action": "mark_plus", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.access == Access.PLUS
    # The action saved the article: a revision was kept.
    assert article.history.count() == 2


def test_publishing_from_the_list_skips_what_is_already_live(desk_client, politics):
    live = ArticleFactory(section=politics)
    went_live = live.published_at

    response = desk_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [live.pk]}, follow=True
    )

    assert "Nothing needed changing." in response.text
    live.refresh_from_db()
    assert live.published_at == went_live


# -- The subscriptions desk -------------------------------------------------


def test_the_subscriptions_manager_sees_no_articles(client, subscriptions_manager, politics):
    ArticleFactory(section=politics, draft=True)
    log_in_staff(client, subscriptions_manager)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:paywall_subscription_changelist")).status_code == 200
    assert "Articles" not in client.get(reverse("admin:index")).text


# -- Corrections and "Updated" ---------------------------------------------


def test_an_editor_adds_a_correction_and_readers_see_it_dated_at_the_end(
    desk_client, client, politics
):
    article = ArticleFactory(section=politics, headline="Court hearing postponed")
    data = edit_form(article)
    data.update(
        {
            "corrections-TOTAL_FORMS": 1,
            "corrections-0-text": "An earlier version gave the wrong date of the hearing.",
            "corrections-0-published_at_0": "2026-11-20",
            "corrections-0-published_at_1": "10:00:00",
        }
    )

    assert desk_client.post(change_url(article), data).status_code == 302

    page = client.get(article.get_absolute_url()).text
    body_end = page.index("story__footer")
    correction = page.index("An earlier version gave the wrong date")
    assert page.index("story__body") < correction < body_end
    assert "November 20, 2026" in page
    assert "Updated" in page


def test_a_substantive_change_to_a_live_article_shows_updated(desk_client, client, politics):
    article = ArticleFactory(section=politics)

    desk_client.post(
        change_url(article), edit_form(article, body="<p>New facts came to light.</p>")
    )

    article.refresh_from_db()
    assert article.revised_at is not None
    assert "Updated" in client.get(article.get_absolute_url()).text


def test_a_minor_fix_does_not_show_updated(desk_client, client, politics):
    article = ArticleFactory(section=politics)

    desk_client.post(
        change_url(article),
        edit_form(article, body="<p>Fixed a typo.</p>", minor_edit="on"),
    )

    article.refresh_from_db()
    assert article.revised_at is None
    assert "Updated" not in client.get(article.get_absolute_url()).text


def test_editing_a_draft_never_shows_updated(desk_client, politics):
    article = ArticleFactory(section=politics, draft=True)

    desk_client.post(change_url(article), edit_form(article, body="<p>Rewritten.</p>"))

    article.refresh_from_db()
    assert article.revised_at is None


# -- The admin list stays fast ------------------------------------------------


def count_changelist_queries(client):
    client.get(CHANGELIST)  # the session's first request also notes the device
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_article_list_costs_the_same_with_ten_or_ten_thousand_articles(desk_client, politics):
    ArticleFactory.create_batch(10, section=politics)
    few = count_changelist_queries(desk_client)

    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Archive story {n}",
            slug=f"archive-story-{n}",
            section=politics,
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        for n in range(10_000)
    )
    many = count_changelist_queries(desk_client)

    assert few == many <= 14
