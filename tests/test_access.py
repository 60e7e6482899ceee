"""paywall.access is the one place that decides who reads what in full."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from articles.models import Article
from paywall.access import can_read, readable_q
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(django_user_model, editor):
    staff_without_rights = django_user_model.objects.create_user(
        email="intern@newsroom.test", is_staff=True
    )
    former_editor = django_user_model.objects.create_user(
        email="former@newsroom.test", is_staff=True, is_active=False
    )
    former_editor.user_permissions.set(Permission.objects.filter(codename="change_article"))
    return {
        "anonymous": AnonymousUser(),
        "reader": django_user_model.objects.create_user(email="reader@newsroom.test"),
        "staff without editorial rights": staff_without_rights,
        "deactivated editor": former_editor,
        "editor": editor,
        "superuser": django_user_model.objects.create_superuser(email="root@newsroom.test"),
    }


@pytest.fixture
def articles():
    return {
        "free": ArticleFactory(),
        "gated": ArticleFactory(gated=True),
        "gated draft": ArticleFactory(gated=True, draft=True),
        "gated scheduled": ArticleFactory(gated=True, scheduled=True),
        "free draft": ArticleFactory(draft=True),
    }


def test_single_and_bulk_answers_agree_for_every_reader_and_article(readers, articles):
    for reader_kind, user in readers.items():
        readable = set(Article.objects.filter(readable_q(user)).values_list("pk", flat=True))
        annotated = dict(Article.objects.with_access(user).values_list("pk", "is_unlocked"))
        for article_kind, article in articles.items():
            single = can_read(user, article)
            assert single == (article.pk in readable), (reader_kind, article_kind)
            assert single == annotated[article.pk], (reader_kind, article_kind)


def test_who_reads_pozirk_articles_today(readers, articles):
    gated = articles["gated"]
    assert [kind for kind, user in readers.items() if can_read(user, gated)] == [
        "editor",
        "superuser",
    ]
    assert all(can_read(user, articles["free"]) for user in readers.values())


def test_email_single_and_bulk_answers_agree_at_the_moment_of_sending(readers):
    """Newsletters ask is_subscriber(user, moment) for one recipient and
    plus_at_q(moment, ...) for many: the two agree for every reader, member,
    lapsed or future member, at the moment asked about."""
    from datetime import timedelta

    from django.utils import timezone

    from paywall.access import is_subscriber, plus_at_q, reads_in_full_by_email
    from paywall.models import User
    from tests.factories import make_subscriber

    now = timezone.now()
    member = make_subscriber("member@newsroom.test")
    lapsed = make_subscriber("lapsed@newsroom.test")
    lapsed.subscriptions.update(ends_at=now - timedelta(seconds=1))
    future = make_subscriber("future@newsroom.test")
    future.subscriptions.update(starts_at=now + timedelta(days=1))
    people = [user for user in readers.values() if user.is_authenticated] + [member, lapsed, future]
    gated, free = ArticleFactory(gated=True), ArticleFactory()
    for moment in (now, now + timedelta(days=2), now + timedelta(days=40)):
        bulk = dict(User.objects.annotate(plus=plus_at_q(moment, "pk")).values_list("pk", "plus"))
        for person in people:
            single = is_subscriber(person, moment)
            assert single == bulk[person.pk], (person.email, moment)
            assert reads_in_full_by_email(gated, single) == single
            assert reads_in_full_by_email(free, single)
    assert [p.email for p in people if is_subscriber(p, now)] == ["member@newsroom.test"]
    assert [p.email for p in people if is_subscriber(p, now + timedelta(days=2))] == [
        "member@newsroom.test",
        "future@newsroom.test",
    ]
