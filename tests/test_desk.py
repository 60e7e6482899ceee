"""The editor's desk: /admin/ says what needs doing now, whatever the volume.

An editor opens the admin in the morning and sees the pieces reporters filed
(who and when), what is scheduled and when it goes live, their own drafts,
what went live today and whether it is POZIRK+, the pins that lapse today
and the week's corrections. A reporter sees only their own work there; the
subscriptions manager sees the membership figures and no articles.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Correction, Pin, Status
from paywall.models import Plan, Subscription
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    article_form,
    make_subscriber,
)
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")


def filed_by(user, **fields):
    """A draft `user` wrote and submitted for review."""
    article = ArticleFactory(draft=True, created_by=user, **fields)
    workflow.move(article, Status.REVIEW, user)
    return article


def a_busy_morning(reporter, editor, n):
    """n of everything the desk lists."""
    section = SectionFactory()
    now = timezone.now()
    for i in range(n):
        filed_by(reporter, headline=f"Filed piece {i}", section=section)
        ArticleFactory(
            scheduled=True, headline=f"Scheduled piece {i}", section=section, created_by=editor
        )
        ArticleFactory(
            draft=True, headline=f"Editor's draft {i}", section=section, created_by=editor
        )
        live = ArticleFactory(
            headline=f"Live piece {i}",
            section=section,
            published_at=now - timedelta(minutes=i + 1),
            gated=bool(i % 2),
            authors=[AuthorFactory()],
        )
        Pin.objects.create(article=live, position=i + 1, expires_at=now + timedelta(minutes=30))
        Correction.objects.create(article=live, text=f"Correction {i}.")


def test_the_desk_shows_an_editor_what_needs_them_now(client, desk_editor, reporter):
    log_in_staff(client, desk_editor)
    now = timezone.now()
    filed = filed_by(reporter, headline="Night buses cut to four routes")
    scheduled = ArticleFactory(scheduled=True, headline="Explainer: the extremism ruling")
    mine = ArticleFactory(draft=True, headline="Harvest forecast cut", created_by=desk_editor)
    ArticleFactory(draft=True, headline="Someone else's draft")
    live = ArticleFactory(gated=True, headline="Inside the regional purge", published_at=now)
    ArticleFactory(headline="Yesterday's news", published_at=now - timedelta(days=2))
    Pin.objects.create(article=live, expires_at=timezone.localtime(now).replace(hour=23, minute=59))
    Correction.objects.create(article=live, text="An earlier version misnamed the court.")

    response = client.get(DESK)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Editor’s desk" in html
    review = html.split('id="desk-review"', 1)[1].split("</section>", 1)[0]
    assert "Night buses cut to four routes" in review
    assert "filed by reporter@newsroom.test" in review
    assert reverse("admin:articles_article_change", args=[filed.pk]) in review
    assert "?publication=review" in review
    plans = html.split('id="desk-scheduled"', 1)[1].split("</section>", 1)[0]
    assert "Explainer: the extremism ruling" in plans and "goes live" in plans
    assert reverse("admin:articles_article_change", args=[scheduled.pk]) in plans
    drafts = html.split('id="desk-drafts"', 1)[1].split("</section>", 1)[0]
    assert "Harvest forecast cut" in drafts and "Someone else" not in drafts
    assert reverse("admin:articles_article_change", args=[mine.pk]) in drafts
    today = html.split('id="desk-today"', 1)[1].split("</section>", 1)[0]
    assert "Inside the regional purge" in today and "POZIRK+" in today
    assert live.get_absolute_url() in today
    assert "Yesterday" not in today
    pins = html.split('id="desk-pins"', 1)[1].split("</section>", 1)[0]
    assert "Inside the regional purge" in pins
    corrections = html.split('id="desk-corrections"', 1)[1].split("</section>", 1)[0]
    assert "misnamed the court" in corrections
    # No membership figures for an editor.
    assert 'id="desk-membership"' not in html


def test_a_reporter_sees_only_their_own_unpublished_work(client, reporter, desk_editor):
    log_in_staff(client, reporter)
    filed_by(reporter, headline="My filed piece")
    filed_by(desk_editor, headline="A colleague's investigation")
    ArticleFactory(scheduled=True, headline="A colleague's scheduled piece")

    html = client.get(DESK).content.decode()
    assert "My filed piece" in html
    assert "colleague" not in html


def test_the_subscriptions_manager_sees_members_not_articles(client, subscriptions_manager):
    log_in_staff(client, subscriptions_manager)
    make_subscriber("one@newsroom.test")
    make_subscriber("two@newsroom.test")
    ArticleFactory(headline="A story of the day")

    html = client.get(DESK).content.decode()
    membership = html.split('id="desk-membership"', 1)[1].split("</section>", 1)[0]
    assert '<span class="desk-count">2</span>' in membership
    assert "POZIRK+ monthly" in membership and "2 readers" in membership
    assert "A story of the day" not in html
    assert 'id="desk-review"' not in html


def test_readers_and_visitors_are_sent_to_the_login(client, reader):
    assert client.get(DESK)["Location"].startswith(reverse("admin:login"))
    client.force_login(reader)
    assert client.get(DESK)["Location"].startswith(reverse("admin:login"))


def test_staff_without_their_second_factor_do_not_reach_the_desk(client, desk_editor):
    client.force_login(desk_editor)  # the password alone
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:factors"))


@pytest.mark.parametrize("who", ["desk_editor", "reporter"])
def test_the_desk_costs_the_same_queries_with_three_or_thirty_of_everything(
    client, request, who, desk_editor, reporter
):
    """Guards the desk against a query per entry (a filer's name, a section
    for a link): its cost may not grow with the newsroom's output."""
    user = request.getfixturevalue(who)
    log_in_staff(client, user)
    Plan.objects.create(name="POZIRK+ yearly", duration_days=365)

    a_busy_morning(reporter, desk_editor, 3)
    client.get(DESK)  # the session's first visit records the device: not the desk's cost
    with CaptureQueriesContext(connection) as few:
        assert client.get(DESK).status_code == 200
    a_busy_morning(reporter, desk_editor, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(DESK)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    assert response.content.decode().count("Filed piece") >= 3


def test_the_subscription_figures_cost_the_same_for_few_or_many_members(
    client, subscriptions_manager
):
    log_in_staff(client, subscriptions_manager)
    make_subscriber("first@newsroom.test")
    client.get(DESK)  # the session's first visit records the device: not the desk's cost
    with CaptureQueriesContext(connection) as few:
        client.get(DESK)
    for n in range(20):
        make_subscriber(f"member{n}@newsroom.test")
    with CaptureQueriesContext(connection) as many:
        client.get(DESK)
    assert len(many) == len(few)
    assert Subscription.objects.count() == 21


# The article list -----------------------------------------------------------


def test_the_article_list_filters_by_author_and_pages_by_fifty(editor_client):
    hanna = AuthorFactory(name="Hanna Lis")
    ArticleFactory(headline="By Hanna", authors=[hanna])
    ArticleFactory.create_batch(55)

    changelist = reverse("admin:articles_article_changelist")
    listed = editor_client.get(changelist, {"author": hanna.pk})
    assert listed.context["cl"].result_count == 1
    assert "By Hanna" in listed.content.decode()
    assert editor_client.get(changelist, {"author": "x"}).context["cl"].result_count == 0
    page = editor_client.get(changelist)
    assert len(page.context["cl"].result_list) == 50
    filters = page.content.decode().split('id="changelist-filter"', 1)[1]
    for name in ("publication", "section", "author", "access__exact", "language__exact"):
        assert f"?{name}=" in filters, name
    assert 'id="searchbar"' in page.content.decode()


# The writing screen -------------------------------------------------------------


def test_the_writing_screen_has_its_toolbar_panel_and_counts(editor_client):
    article = ArticleFactory(headline="A headline long enough to need two lines on a laptop")
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    toolbar = html.split('class="object-tools desk-toolbar"', 1)[1].split("</ul>", 1)[0]
    for tool in ("Preview as reader", "Preview as subscriber", "Share preview link", "History"):
        assert tool in toolbar
    main = html.split('class="desk-writing__main"', 1)[1].split('class="desk-writing__side"', 1)[0]
    assert 'name="headline"' in main and 'name="body"' in main
    side = html.split('class="desk-writing__side"', 1)[1]
    assert 'name="status"' in side and 'name="access"' in side and 'name="section"' in side
    assert '<textarea name="headline"' in html
    assert "data-desk-word-count" in html
    assert 'id="body-blocks-config"' in html


def test_a_headline_written_on_two_lines_is_saved_as_one(editor_client):
    section = SectionFactory()
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(section, headline="Night buses\r\ncut to four routes"),
    )
    assert Article.objects.get().headline == "Night buses cut to four routes"
