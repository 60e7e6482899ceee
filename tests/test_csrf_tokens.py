"""The CSRF token filled into a member's kept page (security/csrf.py) is one
Django's CsrfViewMiddleware takes as its own, and no easier to guess."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import RequestFactory
from django.urls import reverse

from security.csrf import random_characters, token_for

from .factories import ArticleFactory, SectionFactory, make_subscriber
from .test_class_pages import logged_in

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_first_visit_gets_a_new_secret_and_its_cookie_is_sent():
    request = RequestFactory().get("/")

    token = token_for(request)

    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_returning_reader_keeps_their_secret_under_a_new_mask_each_time():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = random_characters(32)

    tokens = {token_for(request) for _ in range(20)}

    assert len(tokens) == 20
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert request.META["CSRF_COOKIE"] == secret


def test_every_character_is_drawn_equally_often():
    # 2,000 of each expected, a standard deviation of 44: a draw that mapped
    # every byte onto the 62 characters (eight of them likelier) would give
    # those about 2,420.
    counts = Counter(random_characters(62 * 2000))

    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(1750 < count < 2250 for count in counts.values()), counts.most_common(3)


@pytest.mark.django_db
def test_a_member_who_has_a_csrf_cookie_posts_a_kept_page_form_with_it():
    gated = ArticleFactory(section=SectionFactory(slug="politics"), gated=True)
    for reader in ("first@newsroom.test", "second@newsroom.test"):
        client = logged_in(make_subscriber(reader), enforce_csrf_checks=True)
        client.get(reverse("articles:home"))  # a page without a form: no cookie yet
        first = client.get(gated.get_absolute_url())
        cookie = client.cookies[settings.CSRF_COOKIE_NAME].value

        again = client.get(gated.get_absolute_url())
        token = TOKEN.search(again.text).group(1)

        assert first.status_code == again.status_code == 200
        assert client.cookies[settings.CSRF_COOKIE_NAME].value == cookie
        assert _unmask_cipher_token(token) == cookie
        made = client.post(
            reverse("paywall:gift-create", args=[gated.pk]), {"csrfmiddlewaretoken": token}
        )
        assert made.status_code == 302, made
