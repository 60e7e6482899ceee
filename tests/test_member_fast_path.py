"""A logged-in reader's kept page is served before the middleware chain
(reading/cache.py, `_served_to_reader`): with their own CSRF token and cookie,
the headers the full chain gives it, no query, and only while everything the
chain would check still holds: the session and the reader as kept, the
reader's class asked of paywall.access, no second factor, message or
session write due."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from paywall.models import GiftLink, Subscription, UserSession
from security.factors import NEEDS_FACTOR
from tests.factories import ArticleFactory, SectionFactory, make_subscriber
from tests.second_factor import give_app, log_in_staff
from tests.test_class_pages import CANARY, logged_in

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def before_the_chain(response):
    """Was the page served before the middleware chain? The chain resolves
    the address (request.resolver_match); the early path never does."""
    return response.wsgi_request.resolver_match is None


@pytest.fixture
def gated():
    politics = SectionFactory(name="Politics", slug="politics")
    ArticleFactory.create_batch(3, section=politics)
    return ArticleFactory(
        section=politics, gated=True, body=f"<p>The teaser.</p><p>{CANARY}</p><p>End.</p>"
    )


@pytest.fixture
def member(gated):
    """A subscriber, after another subscriber has read the gated article: the
    page is kept for POZIRK+ and this process knows what the chain made of it."""
    first = logged_in(make_subscriber("first@newsroom.test"))
    assert not before_the_chain(first.get(gated.get_absolute_url()))
    return make_subscriber()


def test_a_member_is_served_the_members_page_with_their_own_csrf_token(gated, member):
    first = logged_in(make_subscriber("other@newsroom.test"), enforce_csrf_checks=True)
    client = logged_in(member, enforce_csrf_checks=True)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(gated.get_absolute_url())
    other = first.get(gated.get_absolute_url())

    assert before_the_chain(page) and before_the_chain(other)
    assert CANARY in page.text
    token = TOKEN.search(page.text).group(1)
    assert token != TOKEN.search(other.text).group(1)
    assert "kept-page-csrf-token-placeholder" not in page.text
    # The token belongs to the cookie sent with it: a form on the page works.
    gift = client.post(
        reverse("paywall:gift-create", args=[gated.pk]), {"csrfmiddlewaretoken": token}
    )
    assert gift.status_code == 302
    assert GiftLink.objects.filter(created_by=member, article=gated).exists()
    # The query budget of a member's kept page: none. The session and the
    # reader (with their POZIRK+ status) come from the cache in one round trip.
    assert len(queries) == 0


def test_the_early_page_has_the_headers_and_cookie_the_chain_gives_it(gated, member):
    """Every header (CSP, X-Frame-Options, Vary, Cache-Control, Referrer-Policy,
    Content-Language, …) as the full chain sets it, and the CSRF cookie with
    the same attributes."""
    full = logged_in(make_subscriber("full@newsroom.test"))
    cache.delete(f"paywall:reader:{full.session['_auth_user_id']}")
    chain = full.get(gated.get_absolute_url())
    early = logged_in(member).get(gated.get_absolute_url())

    assert not before_the_chain(chain) and before_the_chain(early)
    assert dict(early.items()) == dict(chain.items())
    assert "private" in early["Cache-Control"] and "no-store" in early["Cache-Control"]
    assert "frame-ancestors 'none'" in early["Content-Security-Policy"]
    cookie, chain_cookie = (
        response.cookies[settings.CSRF_COOKIE_NAME] for response in (early, chain)
    )
    assert cookie.value != chain_cookie.value
    assert {k: v for k, v in cookie.items() if k != "expires"} == {
        k: v for k, v in chain_cookie.items() if k != "expires"
    }
    assert set(early.cookies) == set(chain.cookies) == {settings.CSRF_COOKIE_NAME}


def test_the_lacinka_editions_page_is_kept_transliterated(member):
    with translation.override("be"):
        home = reverse("articles:home")
    home = home.replace("/be/", "/be-latn/", 1)
    chain = logged_in(make_subscriber("first-latn@newsroom.test")).get(home)
    early = logged_in(member).get(home)

    assert before_the_chain(early) and not before_the_chain(chain)
    assert 'lang="be-Latn"' in early.text
    assert TOKEN.sub("", early.text) == TOKEN.sub("", chain.text)


def test_a_reader_without_pozirk_plus_never_gets_a_members_page(gated, member, reader):
    assert before_the_chain(logged_in(member).get(gated.get_absolute_url()))

    registered = logged_in(reader)
    page = registered.get(gated.get_absolute_url())
    assert CANARY not in page.text and 'id="gate-title"' in page.text
    assert not before_the_chain(page)  # no page of their class known yet

    again = registered.get(gated.get_absolute_url())
    assert before_the_chain(again)
    assert CANARY not in again.text and 'id="gate-title"' in again.text


def test_a_lapsed_member_stops_getting_members_pages_the_moment_it_ends(gated, member, monkeypatch):
    ends_at = timezone.now() + timedelta(minutes=4)
    Subscription.objects.filter(user=member).update(ends_at=ends_at)
    client = logged_in(member)
    client.get(gated.get_absolute_url())
    kept = client.get(gated.get_absolute_url())
    assert CANARY in kept.text and before_the_chain(kept)

    # Nothing is saved when a subscription runs out: only the clock moves.
    monkeypatch.setattr(timezone, "now", lambda: ends_at)

    page = client.get(gated.get_absolute_url())
    assert CANARY not in page.text and 'id="gate-title"' in page.text


def test_logged_out_on_another_device_the_page_is_the_visitors(gated, member):
    phone = logged_in(member)
    assert before_the_chain(phone.get(gated.get_absolute_url()))
    laptop = logged_in(member)

    laptop.post(reverse("paywall:end-other-sessions"))

    page = phone.get(gated.get_absolute_url())
    assert CANARY not in page.text and "Log in" in page.text
    assert not page.wsgi_request.user.is_authenticated


def test_a_password_changed_elsewhere_ends_the_members_pages(gated, member):
    phone = logged_in(member)
    assert before_the_chain(phone.get(gated.get_absolute_url()))
    laptop = logged_in(member)

    changed = laptop.post(
        reverse("paywall:password-change"),
        {
            "old_password": "x",
            "new_password1": "a new long pass phrase",
            "new_password2": "a new long pass phrase",
        },
    )
    assert changed.status_code == 302

    page = phone.get(gated.get_absolute_url())
    assert CANARY not in page.text and not page.wsgi_request.user.is_authenticated


def test_a_session_whose_hash_differs_is_nobodys(gated, member):
    """A session whose password hash is not the reader's (a password changed
    where the sessions could not be told) is served as nobody's."""
    client = logged_in(member)
    assert before_the_chain(client.get(gated.get_absolute_url()))
    session = client.session
    session["_auth_user_hash"] = "0" * 64
    session.save()

    page = client.get(gated.get_absolute_url())
    assert CANARY not in page.text and not page.wsgi_request.user.is_authenticated


def test_staff_pages_are_always_rendered(gated, member, editor):
    client = log_in_staff(Client(), editor)
    for _ in range(2):
        page = client.get(gated.get_absolute_url())
        assert CANARY in page.text and not before_the_chain(page) and page.templates


def test_a_reader_who_must_give_a_second_factor_is_asked_for_it(gated, member):
    """A member who added an authenticator app, between the password and the code."""
    give_app(member)
    client = logged_in(member)
    session = client.session
    session[NEEDS_FACTOR] = True
    session.save()

    page = client.get(gated.get_absolute_url())

    assert page.status_code == 302 and page["Location"].startswith(reverse("security:verify"))


def test_a_pending_message_sends_the_page_down_the_chain(gated, member, settings):
    settings.POZIRK_GIFT_LINKS_PER_MONTH = 0
    client = logged_in(member)
    assert before_the_chain(client.get(gated.get_absolute_url()))

    # Refused, with a notice shown on the next page: the notice is not lost.
    client.post(reverse("paywall:gift-create", args=[gated.pk]))
    page = client.get(gated.get_absolute_url())

    assert "this month" in page.text and not before_the_chain(page)
    assert "this month" not in client.get(gated.get_absolute_url()).text


def test_the_devices_last_seen_time_is_still_written(gated, member):
    client = logged_in(member)
    assert before_the_chain(client.get(gated.get_absolute_url()))
    # The device was last seen six minutes ago: its record is due a refresh.
    session = client.session
    session["paywall_last_seen"] = (timezone.now() - timedelta(minutes=6)).timestamp()
    session.save()
    before = timezone.now()

    page = client.get(gated.get_absolute_url())

    assert CANARY in page.text and not before_the_chain(page)
    assert UserSession.objects.get(session_key=client.session.session_key).last_seen >= before
    assert before_the_chain(client.get(gated.get_absolute_url()))


def test_a_change_retires_the_early_page_at_once(gated, member):
    client = logged_in(member)
    assert before_the_chain(client.get(gated.get_absolute_url()))

    gated.body = "<p>The teaser.</p><p>Rewritten.</p>"
    gated.save()

    assert "Rewritten." in client.get(gated.get_absolute_url()).text


def test_turned_off_with_the_class_page_cache(gated, member, settings):
    settings.NEWSROOM_CLASS_PAGE_CACHE = False
    client = logged_in(member)
    client.get(gated.get_absolute_url())

    page = client.get(gated.get_absolute_url())

    assert CANARY in page.text and not before_the_chain(page) and page.templates
