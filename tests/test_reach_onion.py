"""The site over its onion service: plain HTTP inside Tor, the same pages,
the same gate, cookies a Tor Browser keeps, canonical links to the public
domain; and the public domain pointing Tor Browser to the onion service."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paywall.models import User
from reading.cache import page_key
from tests.factories import ArticleFactory, make_subscriber
from tests.reach_support import ONION, PUBLIC, reach_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reach_settings")]

CANARY = "Onion-canary-41d2: the ledger's second page"


def onion_get(client, path, **extra):
    return client.get(path, HTTP_HOST=ONION, **extra)


def test_a_tor_reader_gets_the_home_page_over_plain_http_without_redirect_or_hsts(client):
    ArticleFactory(headline="Strike at the tractor works")
    home = reverse("articles:home")
    response = onion_get(client, home)
    assert response.status_code == 200
    assert "Strike at the tractor works" in response.content.decode()
    assert "Strict-Transport-Security" not in response
    # Search engines are sent to the public domain, never the onion name.
    assert response["X-Robots-Tag"] == "noindex"
    assert f'<link rel="canonical" href="https://{PUBLIC}{home}">' in response.content.decode()
    assert "Onion-Location" not in response


def test_the_public_domain_redirects_to_https_sends_hsts_and_points_tor_browser_to_onion(client):
    article = ArticleFactory()
    plain = client.get(article.get_absolute_url(), HTTP_HOST=PUBLIC)
    assert plain.status_code == 301
    assert plain["Location"].startswith(f"https://{PUBLIC}/")

    secure = client.get(article.get_absolute_url() + "?page=1", HTTP_HOST=PUBLIC, secure=True)
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert secure["Onion-Location"] == f"http://{ONION}{article.get_absolute_url()}?page=1"
    assert "X-Robots-Tag" not in secure


def test_links_stay_on_the_onion_host_and_canonical_names_the_public_domain(client):
    article = ArticleFactory(headline="Minsk court hearing")
    html = onion_get(client, article.get_absolute_url()).content.decode()
    canonical = f"https://{PUBLIC}{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    # Every link a reader follows is relative: it stays on the onion host.
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert hrefs and not [href for href in hrefs if href.startswith("http")]


@pytest.mark.parametrize("page", ["home", "article", "about"])
def test_over_the_onion_service_alternates_name_the_public_domain_as_the_canonical_does(
    client, page
):
    """Search engines are told one address per page, whichever host served it:
    the editions' alternates agree with the canonical link, on the public
    domain, and never name the onion host (readers follow links, which stay
    relative)."""
    article = ArticleFactory(headline="Minsk court hearing")
    path = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "about": reverse("articles:info-page", kwargs={"kind": "about"}),
    }[page]
    html = onion_get(client, path).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', html))
    assert canonical == f"https://{PUBLIC}{path}"
    assert alternates and all(url.startswith(f"https://{PUBLIC}/") for url in alternates.values())
    assert canonical in alternates.values()
    assert ONION not in canonical + "".join(alternates.values())


def test_a_reader_logs_in_over_the_onion_service_and_the_cookies_work_over_plain_http():
    reader = Client(enforce_csrf_checks=True)
    User.objects.create_user(
        email="tor.reader@newsroom.test",
        password="correct horse battery staple",
        email_confirmed_at=timezone.now(),
    )
    login = reverse("paywall:login")
    form = reader.get(login, HTTP_HOST=ONION)
    assert form.status_code == 200
    token = reader.cookies["csrftoken"].value
    # Tor Browser sends the page's own origin with a form: plain HTTP.
    response = reader.post(
        login,
        {
            "username": "tor.reader@newsroom.test",
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": token,
        },
        HTTP_HOST=ONION,
        HTTP_ORIGIN=f"http://{ONION}",
    )
    assert response.status_code == 302
    set_cookies = [str(morsel) for morsel in response.cookies.values()]
    assert any(cookie.startswith("Set-Cookie: sessionid=") for cookie in set_cookies)
    # Production marks cookies Secure (HTTPS only); on the onion host they
    # must come back over plain HTTP.
    assert not [cookie for cookie in set_cookies if "Secure" in cookie]
    assert "Secure" not in str(form.cookies["csrftoken"])
    account = reader.get(reverse("paywall:account"), HTTP_HOST=ONION)
    assert account.status_code == 200
    assert "tor.reader@newsroom.test" in account.content.decode()


def test_the_public_domain_keeps_secure_cookies(client):
    form = client.get(reverse("paywall:login"), HTTP_HOST=PUBLIC, secure=True)
    assert "Secure" in str(form.cookies["csrftoken"])


def test_the_gate_holds_on_the_onion_service(client):
    gated = ArticleFactory(
        gated=True, body=f"<p>The teaser everyone sees.</p><p>{CANARY}</p>", teaser_paragraphs=1
    )
    visitor = onion_get(client, gated.get_absolute_url()).content.decode()
    assert "The teaser everyone sees." in visitor
    assert CANARY not in visitor
    assert "The material is available only to POZIRK+" in visitor

    client.force_login(make_subscriber())
    member = onion_get(client, gated.get_absolute_url())
    assert CANARY in member.content.decode()
    assert "no-store" in member["Cache-Control"]


def test_the_page_cache_keeps_onion_pages_apart_from_public_ones(
    client, rf, django_assert_num_queries
):
    ArticleFactory(headline="Kept apart")
    home = reverse("articles:home")
    public_key = page_key(rf.get(home, HTTP_HOST=PUBLIC, secure=True))
    onion_key = page_key(rf.get(home, HTTP_HOST=ONION))
    assert public_key != onion_key

    assert client.get(home, HTTP_HOST=PUBLIC, secure=True).status_code == 200
    with django_assert_num_queries(0):
        again = client.get(home, HTTP_HOST=PUBLIC, secure=True)
    assert again["Onion-Location"] == f"http://{ONION}{home}"
    assert cache.get(public_key) is not None
    # The public page is kept; the onion one is not that entry but its own.
    assert cache.get(onion_key) is None
    onion = onion_get(client, home)
    assert cache.get(onion_key) is not None
    # Headers set for the public domain never reach a Tor reader.
    assert "Onion-Location" not in onion
    assert onion["X-Robots-Tag"] == "noindex"
    assert "Strict-Transport-Security" not in onion


def test_unknown_hosts_are_refused(client):
    home = reverse("articles:home")
    assert client.get(home, HTTP_HOST="evil.example.com").status_code == 400
    assert client.get(home, HTTP_HOST="other.onion").status_code == 400
