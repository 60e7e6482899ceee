"""The newsroom in three languages: a reader of each edition meets its own
language everywhere, its own articles only, and a way to the same story in
the other editions.
"""

import re
from datetime import datetime

import pytest
from django.core import mail
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from articles.text import lacinka
from reading.editions import transliterate_html
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, make_subscriber

pytestmark = pytest.mark.django_db

GATE = {
    "be": "Матэрыял даступны толькі для POZIRK+",
    "ru": "Материал доступен только для POZIRK+",
    "en": "The material is available only to POZIRK+",
}
LOG_IN = {"be": "Увайсці", "ru": "Войти", "en": "Log in"}
MORE = {"be": "Яшчэ навіны", "ru": "Ещё новости", "en": "More headlines"}
DATELINE = {"be": "24 лютага", "ru": "24 февраля", "en": "February 24"}
TODAY = {"be": "Сёння, ", "ru": "Сегодня, ", "en": "Today, "}
EDITIONS = ["be", "ru", "en"]


def in_edition(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, **kwargs)


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", name_be="Палітыка", name_ru="Политика", slug="politics")


@pytest.fixture
def story(politics):
    """One story in three languages, linked as translations; each gated."""
    published = timezone.make_aware(datetime(2026, 2, 24, 10, 11))
    author = AuthorFactory(
        name="Hanna Kavalenka", name_be="Ганна Каваленка", name_ru="Анна Коваленко"
    )
    original = ArticleFactory(
        headline="Сход у Вільні",
        language="be",
        section=politics,
        published_at=published,
        authors=[author],
        gated=True,
        body="<p>Першы абзац.</p><p>Другі абзац, толькі для POZIRK+.</p>",
    )
    russian = ArticleFactory(
        headline="Сход в Вильнюсе",
        language="ru",
        section=politics,
        published_at=published,
        translation_of=original,
        gated=True,
    )
    english = ArticleFactory(
        headline="A gathering in Vilnius",
        language="en",
        section=politics,
        published_at=published,
        translation_of=russian,  # a translation of a translation joins the group
        gated=True,
    )
    return {"be": original, "ru": russian, "en": english}


@pytest.mark.parametrize("code", EDITIONS)
def test_each_edition_speaks_its_language_down_to_dates_and_the_gate(client, story, code):
    article = story[code]
    html = client.get(article.get_absolute_url()).text

    assert f'<html lang="{code}">' in html
    assert GATE[code] in html
    assert LOG_IN[code] in html
    assert MORE[code] in html
    assert f">{DATELINE[code]}</time>" in html
    assert {"be": "Палітыка", "ru": "Политика", "en": "Politics"}[code] in html
    others = [c for c in EDITIONS if c != code]
    for other in others:
        assert GATE[other] not in html


@pytest.mark.parametrize("code", EDITIONS)
def test_each_home_page_lists_only_its_own_language(client, story, code):
    html = client.get(in_edition(code, "articles:home")).text

    assert story[code].headline in html
    for other in EDITIONS:
        if other != code:
            assert story[other].headline not in html


@pytest.mark.parametrize("code", EDITIONS)
def test_todays_headlines_say_today_in_the_editions_language(client, politics, code):
    ArticleFactory(headline="Fresh", language=code, section=politics, published_at=timezone.now())
    html = client.get(in_edition(code, "articles:home")).text
    assert re.search(rf">{TODAY[code]}\d\d:\d\d</time>", html)


def test_an_article_shows_its_translations_and_reciprocal_absolute_alternates(client, story):
    pages = {code: client.get(article.get_absolute_url()).text for code, article in story.items()}
    urls = {
        code: f"http://testserver{article.get_absolute_url()}" for code, article in story.items()
    }

    assert "Іншыя мовы:" in pages["be"] and ">English</a>" in pages["be"]
    assert ">Русский</a>" in pages["be"]
    assert "Read in:" in pages["en"] and ">Беларуская</a>" in pages["en"]
    for code, html in pages.items():
        for other, url in urls.items():
            hreflang = {"be": "be", "ru": "ru", "en": "en"}[other]
            assert f'<link rel="alternate" hreflang="{hreflang}" href="{url}">' in html, code
        assert f'<link rel="alternate" hreflang="x-default" href="{urls["en"]}">' in html
        latin = urls["be"].replace("/be/", "/be-latn/")
        assert f'<link rel="alternate" hreflang="be-Latn" href="{latin}">' in html


def test_the_switch_lands_on_the_translation_and_remembers_the_edition(client, story):
    response = client.get(
        reverse("edition-switch", args=["ru"]), {"next": story["be"].get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == story["ru"].get_absolute_url()
    assert response.cookies["edition"].value == "ru"
    # Next time the bare address opens the remembered edition.
    assert client.get("/")["Location"] == "/ru/"


def test_the_switch_goes_to_the_section_when_there_is_no_translation(client, politics):
    lonely = ArticleFactory(language="en", section=politics)
    response = client.get(
        reverse("edition-switch", args=["be"]), {"next": lonely.get_absolute_url()}
    )
    assert response["Location"] == "/be/politics/"


def test_the_switch_keeps_other_pages_and_refuses_other_sites(client, politics):
    switch = reverse("edition-switch", args=["be"])
    assert client.get(switch, {"next": "/en/politics/"})["Location"] == "/be/politics/"
    assert client.get(switch, {"next": "https://evil.example/"})["Location"] == "/be/"
    assert client.get(reverse("edition-switch", args=["xx"]), follow=True).status_code == 404


def test_a_first_visit_goes_by_accept_language_and_crawlers_get_the_urls_edition(story):
    assert Client(HTTP_ACCEPT_LANGUAGE="be,ru;q=0.8").get("/")["Location"] == "/be/"
    assert Client(HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").get("/")["Location"] == "/ru/"
    assert Client(HTTP_ACCEPT_LANGUAGE="de").get("/")["Location"] == "/en/"
    crawler = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_USER_AGENT="Googlebot/2.1")
    crawler.cookies["edition"] = "en"
    html = crawler.get(story["ru"].get_absolute_url()).text
    assert '<html lang="ru">' in html and GATE["ru"] in html


def test_an_article_asked_for_in_another_edition_goes_to_its_own(client, story):
    with translation.override("be"):
        wrong = reverse(
            "articles:article-detail", kwargs={"section": "politics", "slug": story["ru"].slug}
        )
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == story["ru"].get_absolute_url()


def test_editions_are_cached_apart(client, story):
    for _ in range(2):  # the second time from the page cache
        assert story["be"].headline in client.get("/be/").text
        assert story["be"].headline not in client.get("/ru/").text


def test_search_stays_in_the_edition_unless_asked(client, story):
    with translation.override("ru"):
        url = reverse("articles:search")
    found = client.get(url, {"q": "Сход"}).context["articles"]
    assert [a.headline for a in found] == ["Сход в Вильнюсе"]
    anywhere = client.get(url, {"q": "Сход", "language": "any"}).context["articles"]
    assert len(anywhere) == 2
    html = client.get(url, {"q": "Сход", "language": "any"}).text
    assert "2 результата по запросу" in html


def test_plural_forms_follow_each_language(client, politics):
    for n in range(5):
        ArticleFactory(headline=f"Вынік {n}", language="be", section=politics)
    html = client.get(in_edition("be", "articles:search"), {"q": "Вынік"}).text
    assert "5 вынікаў па запыце" in html


def test_sitemaps_carry_the_translations_as_alternates(client, story):
    month = timezone.localtime(story["be"].published_at)
    xml = client.get(f"/ru/sitemap-articles-{month:%Y-%m}.xml").text
    assert f"<loc>http://testserver{story['ru'].get_absolute_url()}</loc>" in xml
    for code, article in story.items():
        link = f'hreflang="{code}" href="http://testserver{article.get_absolute_url()}"/>'
        assert link in xml
    assert story["be"].headline not in xml
    sections = client.get("/be/sitemap-sections.xml").text
    assert 'hreflang="ru" href="http://testserver/ru/politics/"' in sections


def test_the_news_sitemap_is_per_edition_with_its_language(client, politics):
    ArticleFactory(language="ru", section=politics, headline="Свежая новость")
    xml = client.get("/ru/sitemap-news.xml").text
    assert "<news:language>ru</news:language>" in xml and "Свежая новость" in xml
    assert "Свежая новость" not in client.get("/en/sitemap-news.xml").text


@pytest.mark.parametrize(
    "code, text", [("be", "Такой старонкі няма"), ("ru", "Такой страницы нет")]
)
def test_error_pages_are_in_the_editions_language(client, code, text):
    response = client.get(f"/{code}/politics/no-such-story/")
    assert response.status_code == 404
    assert text in response.text and f'<html lang="{code}">' in response.text


def test_a_reader_signing_up_in_russian_gets_the_email_in_russian(client):
    client.post(
        in_edition("ru", "paywall:signup"),
        {
            "email": "reader@example.org",
            "password1": "a long passphrase 7",
            "password2": "a long passphrase 7",
        },
    )
    (message,) = mail.outbox
    assert "Подтвердите учётную запись" in message.subject
    assert "Здравствуйте!" in message.body and "/ru/accounts/confirm/" in message.body


def test_lacinka_is_the_belarusian_edition_transliterated_markup_untouched(client, story):
    latin = story["be"].get_absolute_url().replace("/be/", "/be-latn/")
    html = client.get(latin).text

    assert '<html lang="be-Latn">' in html
    assert ' lang="be-Latn"' in html and not re.search(r'\slang="be"', html)
    assert lacinka(GATE["be"]) == "Materyjał dastupny tolki dla POZIRK+"
    assert "Materyjał dastupny tolki dla POZIRK+" in html
    assert "Schod u Vilni" in html  # the headline
    assert "<p>Pieršy abzac.</p>" in html  # the body, its markup as it was
    assert "Матэрыял" not in html
    # The switch offers Cyrillic back; the Russian edition keeps its own name.
    assert "Кірыліца" not in html and "Kirylica" in html
    assert re.search(r'lang="ru"[^>]*>Русский<', html)


def test_lacinka_leaves_a_russian_headline_in_russian_and_its_labels_in_lacinka(client, story):
    html = client.get("/be-latn/search/?q=Сход&language=ru").text

    russian = html[html.index('class="headline__title" lang="ru"') :].split("</article>")[0]
    assert ">Сход в Вильнюсе</a>" in russian
    assert "Materyjał dastupny tolki dla POZIRK+" in russian


def test_more_headlines_are_in_the_articles_language(client, story, politics):
    ArticleFactory(headline="Мытня зноў павысіла пошліны", language="be", section=politics)

    more = client.get(story["be"].get_absolute_url()).text.split(MORE["be"])[1]

    assert "Мытня зноў павысіла пошліны" in more
    assert "Сход в Вильнюсе" not in more and "A gathering in Vilnius" not in more


def test_lacinka_leaves_text_in_other_languages_as_it_is():
    html = (
        '<p>Чытаць <a href="/ru/" lang="ru" title="Читать">Русский <b>текст</b> ещё</a> '
        '<img lang="ru" alt="фота"> і <q lang="en">Ok</q> <span lang="be">тут</span></p>'
    )
    assert transliterate_html(html) == (
        '<p>Čytać <a href="/ru/" lang="ru" title="Читать">Русский <b>текст</b> ещё</a> '
        '<img lang="ru" alt="фота"> i <q lang="en">Ok</q> <span lang="be-Latn">tut</span></p>'
    )


def test_lacinka_follows_the_slug_rules():
    assert lacinka("Лукашэнка сустрэўся з пасланцом") == "Łukašenka sustreŭsia z pasłancom"
    assert lacinka("Еўропа, з’ява, лёс, сьнег") == "Jeŭropa, zjava, los, śnieh"
    assert lacinka("ЧЫТАЦЬ Чытаць") == "ČYTAĆ Čytać"


def test_a_member_sees_a_badge_not_the_gate_line(story):
    member = Client()
    member.force_login(make_subscriber())
    html = member.get(story["en"].get_absolute_url()).text
    assert GATE["en"] not in html
    assert 'class="plus-marker plus-marker--member"' in html
    assert "Першы абзац" not in html and "A gathering in Vilnius" in html
    home = member.get("/en/").text
    assert GATE["en"] not in home and "plus-marker--member" in home


def test_every_page_has_the_search_box_and_the_switch(client, story):
    html = client.get("/be/").text
    assert 'role="search"' in html and 'name="q"' in html
    for code in ("ru", "en", "be-latn"):
        assert reverse("edition-switch", args=[code]) in html


def test_links_follow_the_edition_and_the_address_the_site_is_served_under(client, story):
    """Addresses are worked out once per process (articles/addresses.py,
    reading/editions.py): a site served under a path prefix still links each
    edition, its alternates and its stories under that prefix."""
    from django.urls import set_script_prefix

    from reading.editions import translated_path

    politics = story["en"].section
    for code in EDITIONS:
        with translation.override(code):
            assert politics.get_absolute_url() == f"/{code}/politics/"
            # A story keeps to its own language's edition.
            assert story["ru"].get_absolute_url().startswith("/ru/politics/")
    try:
        set_script_prefix("/news/")
        with translation.override("be"):
            assert politics.get_absolute_url() == "/news/be/politics/"
            assert story["en"].get_absolute_url().startswith("/news/en/politics/")
        with translation.override("en"):
            assert translated_path("/en/politics/", "ru") == "/news/ru/politics/"
    finally:
        set_script_prefix("/")

    # Back without the prefix, the addresses remembered under it stay there.
    page = client.get("/en/politics/").content.decode()
    assert 'href="/en/politics/"' in page and "/news/" not in page
    # Static files' addresses too, as Django's {% static %} gives them,
    # wherever the operator puts the files.
    assert f'href="{static("css/site.css")}"' in page
    with override_settings(STATIC_URL="/assets/"):
        page = client.get("/en/politics/?again").content.decode()
        assert static("css/site.css").startswith("/assets/css/site.")
        assert f'href="{static("css/site.css")}"' in page
    assert 'hreflang="ru" href="http://testserver/ru/politics/"' in page
