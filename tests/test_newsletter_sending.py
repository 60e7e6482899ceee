"""Letters go out: built from the edition's pieces, sent through the task
queue to a real SMTP server, and read back as a mail client would. The gate
holds in email, nothing tracks the reader, discreet mode hides the sender,
the rate limit holds, and failures are shown by domain and retried."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Pin
from newsletters import delivery, tasks
from newsletters.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Letter,
    LetterItem,
    Newsletter,
    Status,
    Subscriber,
)
from newsletters.worker import queue_worker
from tests.factories import ArticleFactory, make_subscriber
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

CANARY = "The minister's letter was signed on 3 March in Hrodna."


def newsletter(kind=Kind.DIGEST, language="en"):
    return Newsletter.objects.get(kind=kind, language=language)


def subscribe(email, *newsletters, discreet=False, user=None):
    subscriber = Subscriber.objects.create(email=email, discreet=discreet, user=user)
    subscriber.newsletters.add(*(newsletters or [newsletter()]))
    return subscriber


def letter_of(newsletter, *articles, **fields):
    letter = Letter.objects.create(newsletter=newsletter, **fields)
    for position, article in enumerate(articles, start=1):
        LetterItem.objects.create(letter=letter, article=article, position=position)
    return letter


def send(letter, capture):
    """Start the letter and run the queue until it is empty, as a worker would."""
    with capture(execute=True):
        assert tasks.start_and_queue(letter.pk)
    run_queue(capture)
    letter.refresh_from_db()
    return letter


def run_queue(capture):
    """Run every queued task in this process, as the worker does: claim it,
    run it, record its result; tasks it queues run too. (The worker's own
    loop also closes "old" database connections, which in a test would be
    the test's own; the worker runs as a real process in
    test_newsletter_workers.py.)"""
    worker = queue_worker(batch=True, interval=0)
    while True:
        with capture(execute=True):
            task = DBTaskResult.objects.ready().get_locked()
            if task is None:
                return
            task.claim(worker.worker_id)
            worker.run_task(task)
        assert task.status == "SUCCESSFUL", task.traceback


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what a transaction hands over on commit (queueing the tasks)."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def gated_piece():
    return ArticleFactory(
        gated=True,
        headline="What the ministry wrote",
        body=f"<p>An opening anyone may read.</p><p>{CANARY}</p>",
    )


def test_the_digest_builds_itself_from_the_editions_pieces_of_the_day_pins_first():
    now = timezone.now()
    older = ArticleFactory(headline="Older", published_at=now - timedelta(hours=3))
    newer = ArticleFactory(headline="Newer", published_at=now - timedelta(hours=1))
    pinned = ArticleFactory(headline="Pinned", published_at=now - timedelta(hours=5))
    Pin.objects.create(article=pinned, position=1)
    ArticleFactory(headline="Yesterday's", published_at=now - timedelta(hours=30))
    ArticleFactory(headline="Russian", language="ru")
    ArticleFactory(headline="Draft", draft=True)

    letter = Letter.objects.create(newsletter=newsletter(), send_at=now)
    letter.refresh_items()
    assert letter.articles() == [pinned, newer, older]

    russian = Letter.objects.create(newsletter=newsletter(Kind.DIGEST, "ru"), send_at=now)
    russian.refresh_items()
    assert [a.headline for a in russian.articles()] == ["Russian"]


def test_a_letter_reaches_each_subscriber_once_as_a_mail_client_reads_it(
    inbox, on_commit, settings
):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    article = ArticleFactory(headline="Border reopens", dek="Queues at dawn.")
    readers = [subscribe(f"reader{i}@example.org") for i in range(5)]
    subscribe("other-edition@example.org", newsletter(Kind.DIGEST, "ru"))
    letter = send(letter_of(newsletter(), article, send_at=timezone.now()), on_commit)

    assert letter.status == Status.SENT
    assert sorted(m.to for m in inbox.messages) == sorted(r.email for r in readers)
    for reader in readers:
        [received] = inbox.to(reader.email)
        message = received.message
        unsubscribe = "https://news.example.org" + reverse(
            "newsletters:unsubscribe", args=[reader.key, "digest-en"]
        )
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"]
        assert "BPN" in message["From"] and "BPN" in message["Subject"]

        text, html = received.part("plain"), received.part("html")
        assert "Border reopens" in text and "Queues at dawn." in text
        assert unsubscribe in text and unsubscribe in html
        # CSS inlined, none left for a client to fetch or drop.
        assert "<style" not in html and 'style="' in html
        assert "<link" not in html
        # No tracking: no images at all, and every link is the article's own
        # address or the unsubscribe link, with no parameters.
        assert "<img" not in html.lower()
        links = set(re.findall(r'href="([^"]+)"', html))
        article_url = "https://news.example.org" + article.get_absolute_url()
        assert links <= {
            article_url,
            unsubscribe,
            "https://news.example.org" + reverse("paywall:plus-about"),
        }
        assert "?" not in "".join(links)
    assert letter.progress() == {
        "recipients": 5, "sent": 5, "failed": 0, "skipped": 0, "remaining": 0,
    }  # fmt: skip


def test_the_gate_holds_in_email(inbox, on_commit, gated_piece):
    """POZIRK+ text goes in full only to readers whose POZIRK+ covers the moment
    of sending; free readers, lapsed members and editors' colleagues without
    POZIRK+ get the teaser, the POZIRK+ line and a link."""
    weekly = newsletter(Kind.PLUS)
    free_piece = ArticleFactory(headline="Free to all", body="<p>Free text for everyone.</p>")
    members = [make_subscriber(f"member{i}@example.org") for i in range(3)]
    for member in members:
        subscribe(member.email, weekly, user=member)
    lapsed = make_subscriber("lapsed@example.org")
    lapsed.subscriptions.update(ends_at=timezone.now() - timedelta(minutes=1))
    subscribe(lapsed.email, weekly, user=lapsed)
    free = [subscribe(f"free{i}@example.org", weekly) for i in range(3)]
    # A member who subscribed from the public form, before logging in.
    late = make_subscriber("joined-later@example.org")
    from newsletters import subscriptions

    subscriptions.confirm(late.email, [weekly], False)

    send(letter_of(weekly, gated_piece, free_piece, send_at=timezone.now()), on_commit)

    assert len(inbox.messages) == 8
    for address in [m.email for m in members] + [late.email]:
        [received] = inbox.to(address)
        assert CANARY in received.part("plain")
        assert CANARY in received.part("html").replace("&#x27;", "'").replace("&#39;", "'")
    for address in [s.email for s in free] + [lapsed.email]:
        [received] = inbox.to(address)
        raw = received.message.as_string()
        assert "3 March in Hrodna" not in raw
        assert "An opening anyone may read." in received.part("plain")
        assert "available only to POZIRK+" in received.part("plain")
        assert "Free text for everyone." in received.part("plain")


def test_discreet_mode_sends_without_the_newsrooms_name(inbox, on_commit):
    article = ArticleFactory(headline="Court hearing postponed")
    subscribe("careful@example.org", discreet=True)
    subscribe("open@example.org")
    send(letter_of(newsletter(), article, send_at=timezone.now()), on_commit)

    [careful] = inbox.to("careful@example.org")
    assert careful.message["Subject"] == "Daily digest"
    assert "BPN" not in careful.message["From"]
    assert careful.message["From"].startswith("Newsletter")
    assert not careful.part("plain").startswith("BPN")
    assert "Court hearing postponed" in careful.part("plain")
    [open_] = inbox.to("open@example.org")
    assert open_.message["Subject"].startswith("BPN: Daily digest")


def test_each_edition_gets_its_own_pieces(inbox, on_commit):
    ArticleFactory(headline="English story", language="en")
    ArticleFactory(headline="Беларуская навіна", language="be")
    subscribe("en@example.org", newsletter(Kind.DIGEST, "en"))
    subscribe("be@example.org", newsletter(Kind.DIGEST, "be"))
    for language in ("en", "be"):
        letter = Letter.objects.create(
            newsletter=newsletter(Kind.DIGEST, language), send_at=timezone.now()
        )
        letter.refresh_items()
        send(letter, on_commit)
    [en] = inbox.to("en@example.org")
    [be] = inbox.to("be@example.org")
    assert "English story" in en.part("plain") and "Беларуская навіна" not in en.part("plain")
    assert "Беларуская навіна" in be.part("plain") and "English story" not in be.part("plain")


def test_sending_respects_the_rate_limit(inbox, on_commit, settings):
    settings.NEWSLETTERS_RATE_PER_SECOND = 5
    for i in range(16):
        subscribe(f"reader{i}@example.org")
    send(letter_of(newsletter(), ArticleFactory(), send_at=timezone.now()), on_commit)
    assert len(inbox.messages) == 16
    # 16 messages at 5 a second fill four windows of a second: at least two
    # full seconds lie between the first and the last.
    assert inbox.messages[-1].at - inbox.messages[0].at >= 2.0


def test_failures_are_shown_by_domain_and_retried(inbox, on_commit, settings, client, editor):
    settings.NEWSLETTERS_MAX_ATTEMPTS = 1
    admin_client = log_in_staff(client, editor)
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="newsletters"))
    subscribe("fine@example.org")
    subscribe("gone@broken.example")
    subscribe("full@busy.example")
    inbox.refuse = {
        "gone@broken.example": "550 5.1.1 No such user",
        "full@busy.example": "452 4.2.2 Mailbox full",
    }
    letter = send(letter_of(newsletter(), ArticleFactory(), send_at=timezone.now()), on_commit)

    assert letter.status == Status.SENT
    assert letter.progress()["sent"] == 1 and letter.progress()["failed"] == 2
    page = admin_client.get(reverse("admin:newsletters_letter_change", args=[letter.pk]))
    content = page.content.decode()
    assert "broken.example" in content and "busy.example" in content
    assert "SMTP 550" in content
    assert "gone@" not in content and "full@" not in content, "addresses stay hidden"

    inbox.refuse = {}
    with on_commit(execute=True):
        admin_client.post(reverse("admin:newsletters_letter_act", args=[letter.pk, "retry"]))
    run_queue(on_commit)
    letter.refresh_from_db()
    assert letter.progress()["sent"] == 3
    assert sorted(m.to for m in inbox.messages) == [
        "fine@example.org", "full@busy.example", "gone@broken.example",
    ]  # fmt: skip


def test_a_reader_who_unsubscribes_mid_send_gets_nothing_more(inbox, on_commit):
    leaving = subscribe("leaving@example.org")
    subscribe("staying@example.org")
    letter = letter_of(newsletter(), ArticleFactory(), send_at=timezone.now())
    with on_commit(execute=True):
        tasks.start_and_queue(letter.pk)
    from newsletters import subscriptions

    subscriptions.unsubscribe(leaving, newsletter())
    run_queue(on_commit)
    assert [m.to for m in inbox.messages] == ["staying@example.org"]
    assert Delivery.objects.filter(status=DeliveryStatus.SKIPPED).count() == 1


def test_automatic_letters_wait_scheduled_and_go_out_at_their_hour(inbox, on_commit):
    subscribe("morning@example.org")
    ArticleFactory(headline="Overnight story")
    now = timezone.now()
    # The digest's hour is an hour from now: it covers the day before that.
    Newsletter.objects.filter(kind=Kind.DIGEST).update(
        send_time=(timezone.localtime(now) + timedelta(hours=1)).time()
    )
    with on_commit(execute=True):
        tasks.tick(now)
    letter = Letter.objects.get(newsletter=newsletter())
    assert letter.status == Status.SCHEDULED
    assert letter.send_at > now
    assert Letter.objects.filter(issue_date__isnull=False).count() == 6, "digest and weekly × 3"

    with on_commit(execute=True):
        tasks.tick(letter.send_at + timedelta(seconds=1))
    run_queue(on_commit)
    letter.refresh_from_db()
    assert letter.status == Status.SENT
    [received] = inbox.to("morning@example.org")
    assert "Overnight story" in received.part("plain")


def test_a_send_whose_workers_went_quiet_is_resumed(inbox, on_commit, settings):
    settings.NEWSLETTERS_STALL_SECONDS = 60
    for i in range(3):
        subscribe(f"reader{i}@example.org")
    letter = letter_of(newsletter(), ArticleFactory(), send_at=timezone.now())
    with on_commit(execute=False):
        delivery.start(letter.pk)  # its tasks are lost: no worker ever sees them
    Letter.objects.filter(pk=letter.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))

    with on_commit(execute=True):
        tasks.tick()
    run_queue(on_commit)
    letter.refresh_from_db()
    assert letter.status == Status.SENT
    assert len(inbox.messages) == 3


def test_an_automatic_letter_with_nothing_in_it_is_not_sent(inbox, on_commit):
    subscribe("reader@example.org")
    letter = Letter.objects.create(
        newsletter=newsletter(), issue_date=timezone.localdate(), send_at=timezone.now()
    )
    with on_commit(execute=True):
        assert not delivery.start(letter.pk)
    letter.refresh_from_db()
    assert letter.status == Status.CANCELLED
    assert not inbox.messages


def test_rendering_costs_one_template_pass_per_kind_of_reader(inbox, on_commit):
    """A letter is rendered once for members and once for everyone else;
    each message then only gets its unsubscribe link."""
    from newsletters.render import Composer

    letter = letter_of(newsletter(Kind.PLUS), ArticleFactory(gated=True), send_at=timezone.now())
    composer = Composer(letter)
    messages = [
        composer.message(
            f"r{i}@example.org", f"https://x.example/{i}", plus=i % 2, discreet=i % 3 == 0
        )
        for i in range(60)
    ]
    assert len(composer._rendered) == 4
    assert "https://x.example/59" in messages[-1].body
