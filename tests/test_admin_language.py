"""Editors work in their own language: the admin speaks Belarusian, Russian
or English, as the editor's browser asks or as they pick in the admin's
header, apart from the edition the reader's site shows them."""

import pytest
from django.urls import reverse, set_script_prefix

from articles.models import Status
from newsroom.admin_language import COOKIE_NAME
from tests.factories import ArticleFactory, SectionFactory
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")
CHOOSE = reverse("admin-language")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def desk_client(client, desk_editor):
    return log_in_staff(client, desk_editor)


@pytest.fixture
def draft():
    return ArticleFactory(
        section=SectionFactory(name="Politics", slug="politics"),
        headline="Strike at the tractor works",
        status=Status.DRAFT,
    )


def test_an_editor_whose_browser_asks_for_belarusian_writes_in_belarusian(desk_client, draft):
    response = desk_client.get(change_url(draft), headers={"accept-language": "be,en;q=0.5"})
    # The project's own labels, help text and fieldsets…
    assert response["Content-Language"] == "be"
    assert '<html lang="be"' in response.text
    assert "Загаловак" in response.text
    assert "Асноўная рубрыка" in response.text
    assert "Вызначае адрас артыкула і навігацыйны ланцужок." in response.text
    assert "Публікацыя" in response.text
    # …and Django's own.
    assert "Захаваць" in response.text
    assert "primary section" not in response.text.lower()
    assert "Drives the article's address" not in response.text


def test_the_desk_greets_a_russian_editor_in_russian(desk_client, draft):
    draft.status = Status.REVIEW
    draft.save()
    response = desk_client.get(DESK, headers={"accept-language": "ru"})
    assert "Стол редактора" in response.text
    assert "На проверке" in response.text
    assert "Мои черновики" in response.text
    assert "Написать новую статью" in response.text
    assert "Write a new article" not in response.text


def test_a_workflow_action_reports_in_the_editors_language(desk_client, draft):
    desk_client.get(DESK, headers={"accept-language": "be"})
    response = desk_client.post(
        CHANGELIST,
        {"action": "publish_now", "_selected_action": [draft.pk]},
        headers={"accept-language": "be"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert "1 артыкул цяпер на сайце." in response.text
    # The action's name in the menu, too.
    assert "Апублікаваць зараз" in response.text


def test_an_english_editor_sees_english(desk_client, draft):
    response = desk_client.get(change_url(draft), headers={"accept-language": "en-GB,en"})
    assert response["Content-Language"] == "en"
    assert "Primary section" in response.text
    assert "Drives the article's address and breadcrumbs." in response.text
    assert "Асноўная рубрыка" not in response.text


def test_a_browser_asking_for_another_language_gets_the_default_editions(desk_client):
    response = desk_client.get(DESK, headers={"accept-language": "de"})
    assert response["Content-Language"] == "en"
    assert "Write a new article" in response.text


def test_an_editor_picks_russian_in_the_header_and_it_is_remembered(desk_client, draft):
    page = desk_client.get(change_url(draft), headers={"accept-language": "be"})
    # The header offers the three languages, each named in itself.
    assert 'action="/admin/language/"' in page.text
    for name in ("Беларуская", "Русский", "English"):
        assert name in page.text

    response = desk_client.post(CHOOSE, {"language": "ru", "next": change_url(draft)})
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert desk_client.cookies[COOKIE_NAME].value == "ru"

    # The choice wins over the browser's Accept-Language, page after page.
    for url in (change_url(draft), DESK):
        again = desk_client.get(url, headers={"accept-language": "be"})
        assert again["Content-Language"] == "ru"
    assert "Основная рубрика" in desk_client.get(change_url(draft)).text


def test_picking_the_admins_language_leaves_the_readers_edition_alone(desk_client):
    desk_client.cookies["edition"] = "en"
    desk_client.post(CHOOSE, {"language": "be", "next": DESK})
    assert desk_client.cookies["edition"].value == "en"
    # The site still opens in the English edition…
    home = desk_client.get("/", headers={"accept-language": "be"})
    assert home.status_code == 302
    assert home["Location"] == "/en/"
    # …while the admin speaks Belarusian.
    assert desk_client.get(DESK)["Content-Language"] == "be"


def test_the_readers_edition_does_not_turn_the_admin(desk_client):
    """Reading the Russian edition to check a story leaves the desk in the
    language the editor's browser asks for."""
    desk_client.get(reverse("edition-switch", args=["ru"]))
    assert desk_client.cookies["edition"].value == "ru"
    response = desk_client.get(DESK, headers={"accept-language": "be"})
    assert response["Content-Language"] == "be"
    assert "Мае чарнавікі" in response.text


def test_the_login_page_speaks_the_browsers_language_and_offers_the_choice(client):
    response = client.get(reverse("admin:login"), headers={"accept-language": "ru"})
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert "Редакция" in response.text  # the site header, "… newsroom"
    assert 'name="language"' in response.text
    assert "Accept-Language" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_the_second_factor_pages_follow_the_admins_language_for_staff(desk_client):
    desk_client.post(CHOOSE, {"language": "be", "next": DESK})
    response = desk_client.get(reverse("security:factors"), headers={"accept-language": "en"})
    assert response["Content-Language"] == "be"
    assert "Коды аднаўлення" in response.text


@pytest.fixture
def served_under_newsroom():
    """The site behind a proxy that serves it at /newsroom/, as gunicorn's
    WSGI handler sets it from SCRIPT_NAME (the test client does not)."""
    set_script_prefix("/newsroom/")
    yield "/newsroom"
    set_script_prefix("/")


def test_under_a_script_prefix_the_login_page_still_speaks_the_admins_language(
    client, served_under_newsroom
):
    """The admin's pages are known by their address below the prefix."""
    client.cookies[COOKIE_NAME] = "be"
    response = client.get(
        "/admin/login/", headers={"accept-language": "ru"}, SCRIPT_NAME=served_under_newsroom
    )
    assert response.status_code == 200
    # The editor's choice, not the browser's language.
    assert response["Content-Language"] == "be"
    assert 'action="/newsroom/admin/login/' in response.text
    # A reader's page under the same prefix keeps its edition.
    page = client.get("/en/", headers={"accept-language": "ru"}, SCRIPT_NAME=served_under_newsroom)
    assert page["Content-Language"] == "en"


def test_a_readers_second_factor_pages_follow_their_edition(client, reader):
    client.force_login(reader)
    client.cookies[COOKIE_NAME] = "be"
    client.cookies["edition"] = "ru"
    response = client.get(reverse("security:factors"))
    assert response["Content-Language"] == "ru"


def test_an_unknown_language_is_refused(desk_client):
    response = desk_client.post(CHOOSE, {"language": "be-latn", "next": DESK})
    assert response.status_code == 400
    assert COOKIE_NAME not in desk_client.cookies


def test_the_choice_only_returns_to_this_site(desk_client):
    response = desk_client.post(CHOOSE, {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == DESK


def test_the_choice_is_a_post(desk_client):
    assert desk_client.get(CHOOSE + "?language=ru").status_code == 405
