"""An editor's newsletter desk: the day's letter waiting, previews as a free
reader and as a member, a test to oneself, sending now or at a set time,
cancelling, a breaking alert of one article, and the progress of a send."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Kind, Letter, LetterItem, Newsletter, Status, Subscriber
from tests.factories import ArticleFactory
from tests.second_factor import log_in_staff
from tests.test_newsletter_sending import CANARY, letter_of, run_queue

pytestmark = pytest.mark.django_db


def newsletter(kind=Kind.DIGEST, language="en"):
    return Newsletter.objects.get(kind=kind, language=language)


def act(client, letter, action):
    return client.post(reverse("admin:newsletters_letter_act", args=[letter.pk, action]))


@pytest.fixture
def desk(client, desk_editor):
    return log_in_staff(client, desk_editor)


@pytest.fixture
def alert(gated_piece):
    return letter_of(newsletter(Kind.BREAKING), gated_piece, note="Officials confirmed it.")


@pytest.fixture
def gated_piece():
    return ArticleFactory(
        gated=True,
        headline="What the ministry wrote",
        body=f"<p>An opening anyone may read.</p><p>{CANARY}</p>",
    )


def test_an_editor_previews_a_letter_as_a_free_reader_and_as_a_member(desk, alert):
    change = desk.get(reverse("admin:newsletters_letter_change", args=[alert.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    for action in ("Preview as a free reader", "Preview as a member", "Send now"):
        assert action in page

    free = desk.get(reverse("admin:newsletters_letter_preview", args=[alert.pk, "free"]))
    member = desk.get(reverse("admin:newsletters_letter_preview", args=[alert.pk, "member"]))
    assert free.status_code == member.status_code == 200
    assert "3 March in Hrodna" not in free.content.decode()
    assert "available only to POZIRK+" in free.content.decode()
    assert "3 March in Hrodna" in member.content.decode()
    assert "Officials confirmed it." in free.content.decode()
    assert (
        desk.get(reverse("admin:newsletters_letter_preview", args=[alert.pk, "x"])).status_code
        == 404
    )
    assert (
        desk.get(reverse("admin:newsletters_letter_preview", args=[999999, "free"])).status_code
        == 404
    )


def test_an_editor_sends_a_test_to_themselves(
    desk, desk_editor, alert, inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert act(desk, alert, "test-member").status_code == 302
    run_queue(django_capture_on_commit_callbacks)
    [received] = inbox.to(desk_editor.email)
    assert received.message["Subject"].startswith("[TEST]")
    assert CANARY in received.part("plain")
    alert.refresh_from_db()
    assert alert.status == Status.DRAFT, "a test sends nothing to subscribers"


def test_send_now_goes_through_the_queue_and_the_page_shows_progress(
    desk, alert, inbox, django_capture_on_commit_callbacks
):
    for i in range(3):
        Subscriber.objects.create(email=f"r{i}@example.org").newsletters.add(alert.newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(desk, alert, "send-now")
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Status.SCHEDULED, "nothing is sent inside the editor's request"
    assert not inbox.messages
    run_queue(django_capture_on_commit_callbacks)
    alert.refresh_from_db()
    assert alert.status == Status.SENT
    assert len(inbox.messages) == 3

    page = desk.get(reverse("admin:newsletters_letter_change", args=[alert.pk])).content.decode()
    assert "data-count='recipients'>3<" in page
    assert "data-count='sent'>3<" in page
    assert "data-count='remaining'>0<" in page
    listing = desk.get(reverse("admin:newsletters_letter_changelist")).content.decode()
    assert "3 of 3 sent, 0 failed" in listing
    # Gone out: it can no longer be sent again or changed.
    act(desk, alert, "send-now")
    assert Letter.objects.get(pk=alert.pk).status == Status.SENT


def test_schedule_needs_a_time_ahead_and_cancel_stops_it(desk, alert):
    act(desk, alert, "schedule")
    alert.refresh_from_db()
    assert alert.status == Status.DRAFT
    Letter.objects.filter(pk=alert.pk).update(send_at=timezone.now() + timedelta(hours=2))
    act(desk, alert, "schedule")
    alert.refresh_from_db()
    assert alert.status == Status.SCHEDULED
    act(desk, alert, "cancel")
    alert.refresh_from_db()
    assert alert.status == Status.CANCELLED
    assert (
        desk.get(reverse("admin:newsletters_letter_act", args=[alert.pk, "cancel"])).status_code
        == 405
    )
    assert act(desk, alert, "explode").status_code == 404


def add_form(newsletter, articles, **extra):
    data = {
        "newsletter": newsletter.pk,
        "subject": "",
        "note": "A note",
        "send_at_0": "",
        "send_at_1": "",
        "items-TOTAL_FORMS": len(articles),
        "items-INITIAL_FORMS": 0,
    }
    for i, article in enumerate(articles):
        data.update(
            {
                f"items-{i}-position": i + 1,
                f"items-{i}-article": article.pk,
                f"items-{i}-included": "on",
            }
        )
    data.update(extra)
    return data


def test_a_breaking_alert_is_one_article_and_a_note(desk):
    first, second = ArticleFactory(), ArticleFactory()
    url = reverse("admin:newsletters_letter_add")
    refused = desk.post(url, add_form(newsletter(Kind.BREAKING), [first, second]))
    assert refused.status_code == 200
    assert "A breaking alert carries exactly one article." in refused.content.decode()
    assert not Letter.objects.exists()

    accepted = desk.post(url, add_form(newsletter(Kind.BREAKING), [first]))
    assert accepted.status_code == 302
    letter = Letter.objects.get()
    assert letter.articles() == [first]
    assert letter.note == "A note"


def test_editors_reorder_and_drop_items_of_the_days_digest(desk):
    now = timezone.now()
    a = ArticleFactory(headline="A", published_at=now - timedelta(hours=1))
    b = ArticleFactory(headline="B", published_at=now - timedelta(hours=2))
    c = ArticleFactory(headline="C", published_at=now - timedelta(hours=3))
    letter = Letter.objects.create(newsletter=newsletter(), send_at=now + timedelta(hours=1))
    letter.refresh_items()
    assert letter.articles() == [a, b, c]
    items = {item.article_id: item for item in letter.items.all()}
    data = add_form(letter.newsletter, [], **{"items-TOTAL_FORMS": 3, "items-INITIAL_FORMS": 3})
    del data["newsletter"]
    for i, (article, position, included) in enumerate([(a, 3, True), (b, 2, False), (c, 1, True)]):
        data[f"items-{i}-id"] = items[article.pk].pk
        data[f"items-{i}-letter"] = letter.pk
        data[f"items-{i}-position"] = position
        data[f"items-{i}-article"] = article.pk
        if included:
            data[f"items-{i}-included"] = "on"
    response = desk.post(reverse("admin:newsletters_letter_change", args=[letter.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert letter.articles() == [c, a]

    # Pieces published since are added; the dropped one stays dropped.
    d = ArticleFactory(headline="D", published_at=now - timedelta(minutes=5))
    act(desk, letter, "refresh")
    assert letter.articles() == [c, a, d]
    assert LetterItem.objects.filter(letter=letter, included=False).count() == 1


def test_editors_see_no_list_of_readers_addresses(desk):
    Subscriber.objects.create(email="private@example.org")
    assert desk.get(reverse("admin:newsletters_subscriber_changelist")).status_code == 403
    assert "private@example.org" not in desk.get(reverse("admin:index")).content.decode()


def test_reporters_have_no_newsletter_desk(client, reporter, alert):
    log_in_staff(client, reporter)
    assert client.get(reverse("admin:newsletters_letter_changelist")).status_code == 403
    assert act(client, alert, "send-now").status_code in (403, 404)
    assert client.get(
        reverse("admin:newsletters_letter_preview", args=[alert.pk, "member"])
    ).status_code in (403, 404)


def test_the_letter_list_costs_the_same_for_5_and_for_30_letters(desk):
    """Progress is counted in the list's own query, not per letter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    piece = ArticleFactory()
    desk.get(reverse("admin:newsletters_letter_changelist"))  # caches warmed
    counts = []
    for count in (5, 30):
        while Letter.objects.count() < count:
            letter_of(newsletter(), piece)
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(reverse("admin:newsletters_letter_changelist")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
