"""Logged-in readers' pages are kept per reader class (no account, logged in
without POZIRK+, POZIRK+), with each reader's own CSRF token filled in, and
never cross from one class to another (reading/cache.py, paywall.access)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paywall.access import ReaderClass, reader_class
from paywall.models import GiftLink, Subscription
from reading.preview import sign_link
from tests.factories import ArticleFactory, SectionFactory, make_subscriber
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
CANARY = "Canary sentence beyond the teaser"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(client, url, **params):
    """The response and the number of queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


def rendered(response):
    """Was the page rendered for this request (not served as kept)? The test
    client records every template rendered."""
    return bool(response.templates)


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    # The device's last-seen time is written on a first page: out of the way.
    client.get(reverse("paywall:plus-about"))
    return client


@pytest.fixture
def gated():
    politics = SectionFactory(name="Politics", slug="politics")
    ArticleFactory.create_batch(3, section=politics)
    return ArticleFactory(
        section=politics, gated=True, body=f"<p>The teaser.</p><p>{CANARY}</p><p>End.</p>"
    )


@pytest.fixture
def member():
    return make_subscriber()


def test_a_members_kept_page_costs_no_query_at_all(gated, member):
    """The query budget of a kept page: none. The session (paywall.session_store)
    and the reader with their POZIRK+ status (paywall.backends.ReaderBackend)
    are read through the cache once loaded; no article, headline or
    subscription is read again."""
    logged_in(make_subscriber("first@newsroom.test")).get(gated.get_absolute_url())

    page, cost = visit(logged_in(member), gated.get_absolute_url())

    assert CANARY in page.text
    assert cost == 0 and not rendered(page)


def test_without_the_cache_a_kept_page_costs_the_session_and_the_reader(gated, member):
    """What the database is asked when the cache has forgotten the session and
    the reader (an outage, or they lapsed): the session, and the reader with
    their POZIRK+ status, in one query each."""
    from django.core.cache import cache

    client = logged_in(member)
    client.get(gated.get_absolute_url())
    cache.delete_many(
        [f"paywall.session:{client.session.session_key}", f"paywall:reader:{member.pk}"]
    )

    page, cost = visit(client, gated.get_absolute_url())

    assert CANARY in page.text
    assert cost == 2 and not rendered(page)
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]


@pytest.mark.parametrize("url_name", ["articles:home", "paywall:plus-feed"])
def test_a_members_feed_pages_are_kept_too(gated, member, url_name):
    logged_in(make_subscriber("first@newsroom.test")).get(reverse(url_name))

    page, cost = visit(logged_in(member), reverse(url_name))

    assert page.status_code == 200 and cost == 0 and not rendered(page)


def test_each_reader_gets_their_own_csrf_token_and_it_works(gated, member):
    first = logged_in(make_subscriber("first@newsroom.test"), enforce_csrf_checks=True)
    second = logged_in(member, enforce_csrf_checks=True)

    first_page = first.get(gated.get_absolute_url())
    second_page, cost = visit(second, gated.get_absolute_url())

    assert cost == 0 and not rendered(second_page)
    token = TOKEN.search(second_page.text).group(1)
    assert token != TOKEN.search(first_page.text).group(1)
    assert "kept-page-csrf-token-placeholder" not in second_page.text
    gift = second.post(
        reverse("paywall:gift-create", args=[gated.pk]), {"csrfmiddlewaretoken": token}
    )
    assert gift.status_code == 302
    assert GiftLink.objects.filter(created_by=member, article=gated).exists()


def test_a_members_page_never_reaches_a_reader_without_pozirk_plus(gated, member, reader):
    assert CANARY in logged_in(member).get(gated.get_absolute_url()).text

    registered = logged_in(reader).get(gated.get_absolute_url())
    assert CANARY not in registered.text and 'id="gate-title"' in registered.text
    assert rendered(registered)  # for its own class

    # A browser that has a session but nobody logged in (logged out, say).
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-session"
    assert CANARY not in visitor.get(gated.get_absolute_url()).text
    assert CANARY not in Client().get(gated.get_absolute_url()).text


def test_the_classes_keep_apart_whichever_comes_first(gated, member, reader):
    gate = logged_in(reader).get(gated.get_absolute_url())
    assert CANARY not in gate.text

    assert CANARY in logged_in(member).get(gated.get_absolute_url()).text
    assert "Log in" not in logged_in(reader).get(gated.get_absolute_url()).text


def test_a_lapsed_member_stops_getting_members_pages_the_moment_it_ends(gated, member, monkeypatch):
    ends_at = timezone.now() + timedelta(minutes=5)
    Subscription.objects.filter(user=member).update(ends_at=ends_at)
    client = logged_in(member)
    assert CANARY in client.get(gated.get_absolute_url()).text
    kept = client.get(gated.get_absolute_url())
    assert CANARY in kept.text and not rendered(kept)

    # Nothing is saved when a subscription runs out: only the clock moves.
    monkeypatch.setattr(timezone, "now", lambda: ends_at)

    page = client.get(gated.get_absolute_url())
    assert CANARY not in page.text and 'id="gate-title"' in page.text
    assert client.get(reverse("paywall:plus-feed")).status_code == 403
    assert reader_class(page.wsgi_request.user) == ReaderClass.READER


def test_a_subscription_cancelled_in_the_admin_ends_members_pages_at_once(
    gated, member, editor_client
):
    from django.contrib.auth.models import Permission

    from paywall.models import User

    manager = User.objects.get(email="editor@newsroom.test")
    manager.user_permissions.add(*Permission.objects.filter(content_type__app_label="paywall"))
    client = logged_in(member)
    assert CANARY in client.get(gated.get_absolute_url()).text
    assert CANARY in client.get(gated.get_absolute_url()).text  # reader and page kept

    editor_client.post(
        reverse("admin:paywall_subscription_changelist"),
        {"action": "cancel_now", "_selected_action": [member.subscriptions.get().pk]},
    )

    assert CANARY not in client.get(gated.get_absolute_url()).text


def test_a_page_opened_by_a_gift_link_is_never_kept(gated, member, reader):
    gift = GiftLink.objects.issue(member, gated)
    registered = logged_in(reader)

    assert CANARY in registered.get(gift.get_absolute_url()).text
    again = registered.get(gift.get_absolute_url())
    assert CANARY in again.text and rendered(again)

    assert CANARY not in registered.get(gated.get_absolute_url()).text


def test_the_account_page_is_never_kept(member):
    other = make_subscriber("other@newsroom.test")
    account = reverse("paywall:account")

    assert "member@newsroom.test" in logged_in(member).get(account).text
    page = logged_in(other).get(account)

    assert "other@newsroom.test" in page.text
    assert "member@newsroom.test" not in page.text
    assert rendered(page)


def test_a_page_with_a_pending_message_is_never_kept(gated, member, settings):
    settings.POZIRK_GIFT_LINKS_PER_MONTH = 0
    client = logged_in(member)

    refused = client.post(reverse("paywall:gift-create", args=[gated.pk]), follow=True)
    assert "this month" in refused.text

    assert "this month" not in client.get(gated.get_absolute_url()).text
    assert (
        "this month"
        not in logged_in(make_subscriber("x@newsroom.test")).get(gated.get_absolute_url()).text
    )


def test_staff_pages_are_never_kept(gated, editor, member):
    """Editors may read everything and preview what is not live: their pages
    are always rendered for them alone, and a preview is never kept."""
    assert reader_class(editor) is None
    client = log_in_staff(Client(), editor)
    client.get(HOME)
    assert rendered(client.get(HOME))

    draft = ArticleFactory(section=gated.section, draft=True, body=f"<p>{CANARY} draft</p>")
    token = sign_link(draft, timezone.now() + timedelta(days=1))
    preview = reverse("preview:subscriber", args=[token])
    assert f"{CANARY} draft" in client.get(preview).text
    assert f"{CANARY} draft" in logged_in(member).get(preview).text  # a link anyone may open
    assert rendered(logged_in(member).get(preview))
    assert logged_in(member).get(f"/{gated.section.slug}/{draft.slug}/").status_code == 404


def test_the_class_page_cache_can_be_turned_off(gated, member, settings):
    settings.NEWSROOM_CLASS_PAGE_CACHE = False
    client = logged_in(member)
    client.get(gated.get_absolute_url())

    page = client.get(gated.get_absolute_url())

    assert CANARY in page.text and rendered(page)


def test_a_change_retires_kept_members_pages(gated, member):
    client = logged_in(member)
    assert CANARY in client.get(gated.get_absolute_url()).text

    gated.body = "<p>The teaser.</p><p>Rewritten.</p>"
    gated.save()

    assert "Rewritten." in client.get(gated.get_absolute_url()).text
