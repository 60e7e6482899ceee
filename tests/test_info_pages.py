"""About, contact and privacy: every edition's footer leads to its own three
pages, in its language; editors change their words in the admin and readers
see the change at once; nobody deletes them."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.models import InfoPage
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

EDITIONS = ["be", "ru", "en"]
KINDS = ["about", "contact", "privacy"]
TITLES = {
    ("about", "be"): "Пра нас",
    ("about", "ru"): "О нас",
    ("about", "en"): "About us",
    ("contact", "be"): "Кантакты",
    ("contact", "ru"): "Контакты",
    ("contact", "en"): "Contact",
    ("privacy", "be"): "Прыватнасць: што мы захоўваем",
    ("privacy", "ru"): "Конфиденциальность: что мы храним",
    ("privacy", "en"): "Privacy: what we keep",
}
FOOTER_WORDS = {
    "be": ["Пра нас", "Кантакты", "Прыватнасць"],
    "ru": ["О нас", "Контакты", "Конфиденциальность"],
    "en": ["About us", "Contact", "Privacy"],
}


def page_url(kind, edition):
    with translation.override(edition):
        return reverse("articles:info-page", kwargs={"kind": kind})


def footer(html):
    return html[html.index('<footer class="site-footer">') :]


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_editions_footer_links_to_its_own_pages_in_its_language(client, edition):
    home = client.get(f"/{edition}/").content.decode()
    links = footer(home)
    for kind, word in zip(KINDS, FOOTER_WORDS[edition], strict=True):
        assert f'href="/{edition}/{kind}/">{word}</a>' in links
        page = client.get(f"/{edition}/{kind}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<html lang="{edition}">' in html
        assert f"<h1>{TITLES[(kind, edition)]}</h1>" in html
        assert f"<title>{TITLES[(kind, edition)]} — " in html


def test_the_latin_script_edition_shows_the_belarusian_pages_transliterated(client):
    html = client.get("/be-latn/about/").content.decode()
    assert '<html lang="be-Latn">' in html
    assert "<h1>Pra nas</h1>" in html
    assert 'href="/be-latn/privacy/"' in footer(html)


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_privacy_page_says_what_is_kept(client, edition):
    """The README's list, in each edition's words."""
    html = client.get(f"/{edition}/privacy/").content.decode()
    expected = {
        "be": ["Argon2", "Firefox on Android", "ключавых хэшаў", "Stripe", "стрыманы рэжым"],
        "ru": ["Argon2", "Firefox on Android", "ключевых хешей", "Stripe", "скрытный режим"],
        "en": ["Argon2", "Firefox on Android", "keyed hashes", "Stripe", "discreet mode"],
    }[edition]
    for words in expected:
        assert words in html


def test_the_footer_says_truthfully_what_is_loaded_from_elsewhere(client):
    html = footer(client.get("/en/").content.decode())
    assert "Only the card payment pages load our card processor's payment form." in html
    assert "Картай" not in html


def test_an_editor_changes_the_about_page_and_readers_see_it_at_once(
    client, desk_editor, django_assert_num_queries
):
    reader = Client()
    assert "<h1>About us</h1>" in reader.get("/en/about/").content.decode()
    # The page is kept now: the next reader gets it without the database.
    with django_assert_num_queries(0):
        before = reader.get("/en/about/").content.decode()
    assert "<h1>About us</h1>" in before

    page = InfoPage.objects.get(kind="about", language="en")
    editor = log_in_staff(client, desk_editor)
    change = reverse("admin:articles_infopage_change", args=[page.pk])
    form = editor.get(change)
    assert form.status_code == 200
    response = editor.post(
        change,
        {
            "title": "Who we are",
            "body": '<p>We are twelve reporters.</p><script>alert("x")</script>',
        },
    )
    assert response.status_code == 302

    html = reader.get("/en/about/").content.decode()
    assert "<h1>Who we are</h1>" in html
    assert "We are twelve reporters." in html
    assert "alert(" not in html  # the body is sanitised like an article's
    page.refresh_from_db()
    assert page.updated_by == desk_editor
    # The other editions' pages are their own.
    assert "<h1>О нас</h1>" in reader.get("/ru/about/").content.decode()


def test_an_editor_can_neither_delete_nor_add_a_page(client, desk_editor):
    page = InfoPage.objects.get(kind="privacy", language="be")
    editor = log_in_staff(client, desk_editor)
    assert editor.get(reverse("admin:articles_infopage_changelist")).status_code == 200
    delete = reverse("admin:articles_infopage_delete", args=[page.pk])
    assert editor.get(delete).status_code == 403
    assert editor.post(delete, {"post": "yes"}).status_code == 403
    assert editor.post(reverse("admin:articles_infopage_add"), {}).status_code == 403
    bulk = editor.post(
        reverse("admin:articles_infopage_changelist"),
        {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert InfoPage.objects.filter(pk=page.pk).exists()
    assert InfoPage.objects.count() == 9


def test_a_reporter_may_not_change_the_pages(client, reporter):
    page = InfoPage.objects.get(kind="about", language="en")
    staff = log_in_staff(client, reporter)
    change = reverse("admin:articles_infopage_change", args=[page.pk])
    assert staff.post(change, {"title": "Mine now", "body": "<p>x</p>"}).status_code == 403
    page.refresh_from_db()
    assert page.title == "About us"


def test_an_anonymous_visitor_cannot_reach_the_pages_admin(client):
    page = InfoPage.objects.get(kind="about", language="en")
    response = client.get(reverse("admin:articles_infopage_change", args=[page.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("kind", KINDS)
def test_hreflang_alternates_are_reciprocal_and_absolute(client, kind):
    found = {}
    for edition in [*EDITIONS, "be-latn"]:
        html = client.get(f"/{edition}/{kind}/").content.decode()
        found[edition] = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', html))
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        assert canonical == f"http://testserver/{edition}/{kind}/"
    expected = {
        "be": f"http://testserver/be/{kind}/",
        "ru": f"http://testserver/ru/{kind}/",
        "en": f"http://testserver/en/{kind}/",
        "be-Latn": f"http://testserver/be-latn/{kind}/",
        "x-default": f"http://testserver/{kind}/",
    }
    for edition, alternates in found.items():
        assert alternates == expected, edition


@pytest.mark.parametrize(
    "address", ["/en/imprint/", "/en/about/extra/", "/en/privacy/%00/", "/ru/contact-us/"]
)
def test_an_unknown_page_is_not_found(client, address):
    assert client.get(address).status_code == 404


def test_a_page_removed_from_the_database_is_not_found_not_an_error(client):
    InfoPage.objects.filter(kind="contact", language="ru").delete()
    assert client.get("/ru/contact/").status_code == 404
    assert client.get("/en/contact/").status_code == 200


def test_a_section_cannot_take_a_pages_address(editor_client):
    response = editor_client.post(
        reverse("admin:articles_section_add"), {"name": "Privacy", "slug": "privacy"}
    )
    assert response.status_code == 200
    assert "is used by the site itself" in response.content.decode()


def test_the_about_page_keeps_how_to_reach_us_when_blocked(client):
    html = client.get("/en/about/").content.decode()
    assert "When the site is blocked" in html
    assert 'href="/en/mirrors/"' in html
    assert 'id="key"' in html


def test_logged_in_readers_get_the_pages_too(client, reader):
    client.force_login(reader)
    for kind in KINDS:
        assert client.get(f"/ru/{kind}/").status_code == 200
