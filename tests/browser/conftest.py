"""Real-browser tests: Debian's Chromium, driven by Playwright, against the live server.

Every test here is marked `browser`. Without /usr/bin/chromium they are skipped
with the reason; with CI=true a missing browser (or Java, or the npm tools for
the HTML and accessibility checks) fails them instead.
"""

import itertools
import os
import re
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Author, Section
from articles.text import lacinka
from paywall.models import GiftLink, Plan, Subscription, User
from reading.editions import LACINKA
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.second_factor import log_in_browser

# Playwright's sync API runs an event loop in this thread, and Django refuses
# database access from a thread with a running loop unless told otherwise.
# (Set for the whole run: the loop stays until the test session ends.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a long reader passphrase"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def require(present, tool, missing, install):
    """Skip a check whose tool is missing, saying how to get it; in CI, fail it."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is required in CI: {install}", pytrace=False)
    pytest.skip(f"{missing} ({install})")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require(
        CHROMIUM.exists(),
        "Chromium",
        f"Browser tests skipped: {CHROMIUM} not found",
        "apt-get install -y chromium",
    )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # No sandbox in containers; and no calls home to Google, which fail
        # noisily here and would be requests to another host.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class OnlyThisSite:
    """Watches browser contexts: everything a page loads must come from the
    live server, load without error, and nothing may be refused by the
    Content-Security-Policy (which would hide a request to another host)."""

    def __init__(self, origin):
        self.host = urlsplit(origin).netloc
        self.problems = []

    def watch(self, context):
        context.on("request", self._request)
        context.on("response", self._response)
        context.on("console", self._console)

    def _request(self, request):
        url = urlsplit(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.problems.append(f"refused by the CSP: {message.text}")


@pytest.fixture
def open_browser(new_context, live_server):
    """A new browser profile on the live site, logged in as `user` if given.

    Every page opened in it is checked: nothing comes from anywhere but the
    site itself (asserted when the test ends).
    """
    only_this_site = OnlyThisSite(live_server.url)

    def open_(user=None, **context_args):
        context = new_context(base_url=live_server.url, **context_args)
        only_this_site.watch(context)
        if user is not None:
            # Staff with their second factor passed.
            log_in_browser(context, live_server.url, user)
        return context

    yield open_
    assert not only_this_site.problems, "\n".join(only_this_site.problems)


@pytest.fixture
def page(open_browser):
    return open_browser().new_page()


@pytest.fixture
def artifacts(request):
    """This test's folder in test-artifacts/, emptied before the test."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def screenshot(artifacts):
    """screenshot(page, "what it shows"): saved, numbered, in the test's artifacts."""
    numbers = itertools.count(1)

    def save(page, name):
        page.screenshot(path=artifacts / f"{next(numbers):02d}-{name}.png", full_page=True)

    return save


# The newsroom ------------------------------------------------------------------

# Each section's name and description in English, Belarusian and Russian.
SECTIONS = [
    ("Politics", "Палітыка", "Политика", "Power in Minsk and the movement abroad."),
    ("Economy", "Эканоміка", "Экономика", "Prices, wages, sanctions."),
    ("Security", "Бяспека", "Безопасность", "The border, the army, the courts."),
    ("Society", "Грамадства", "Общество", "Schools, hospitals, towns and villages."),
    ("Culture", "Культура", "Культура", "Books, stages and screens."),
    ("Human rights", "Правы чалавека", "Права человека", "Political prisoners and trials."),
    ("World", "Свет", "Мир", "Belarus and its neighbours."),
]
SECTION_DESCRIPTIONS = {
    "Politics": ("Улада ў Мінску і рух за мяжой.", "Власть в Минске и движение за рубежом."),
    "Economy": ("Цэны, заробкі, санкцыі.", "Цены, зарплаты, санкции."),
    "Security": ("Мяжа, войска, суды.", "Граница, армия, суды."),
    "Society": ("Школы, бальніцы, гарады і вёскі.", "Школы, больницы, города и деревни."),
    "Culture": ("Кнігі, сцэны і экраны.", "Книги, сцены и экраны."),
    "Human rights": ("Палітвязні і суды.", "Политзаключённые и суды."),
    "World": ("Беларусь і суседзі.", "Беларусь и соседи."),
}

# The three English stories the tour reads, in Belarusian and Russian (their
# translations, linked to them: headline, dek, body), with a word each
# edition's search finds.
TRANSLATIONS = {
    "be": {
        "free": (
            "Лідары апазіцыі сустрэліся ў Вільні",
            "Тры партыі дамовіліся пра агульную праграму да восені.",
            "<p>Лідары размаўлялі шэсць гадзін.</p><h2>Пра што дамовіліся</h2>"
            "<p>Агульны спіс <strong>палітвязняў</strong>.</p>",
        ),
        "tag": "Выбары",
        "gated": (
            "Як праходзіць чыстка ў рэгіёнах",
            "Хто падпісваў загады пра звальненні ў раёнах.",
            "<p>Чыстка пачалася вясной.</p><p>Падпісчыкі чытаюць, хто падпісваў загады.</p>",
        ),
        "other_gated": (
            "Як абыходзяць санкцыі",
            "Шлях грузаў праз трэція краіны.",
            "<p>Фуры едуць уначы.</p>",
        ),
        "search": "чыстка",
    },
    "ru": {
        "free": (
            "Лидеры оппозиции встретились в Вильнюсе",
            "Три партии договорились об общей программе до осени.",
            "<p>Лидеры говорили шесть часов.</p><h2>О чём договорились</h2>"
            "<p>Общий список <strong>политзаключённых</strong>.</p>",
        ),
        "tag": "Выборы",
        "gated": (
            "Как проходит чистка в регионах",
            "Кто подписывал приказы об увольнениях в районах.",
            "<p>Чистка началась весной.</p><p>Подписчики читают, кто подписывал приказы.</p>",
        ),
        "other_gated": (
            "Как обходят санкции",
            "Путь грузов через третьи страны.",
            "<p>Фуры едут ночью.</p>",
        ),
        "search": "чистка",
    },
}


@dataclass
class Stories:
    """One edition's free and POZIRK+ lead stories, and a word its search finds."""

    free: Article
    gated: Article
    search: str


@dataclass
class Newsroom:
    politics: Section
    author: Author
    free: Article
    gated: Article
    other_gated: Article
    # By language: the English stories above, and their translations.
    stories: dict[str, Stories]


@pytest.fixture
def newsroom(transactional_db):
    """A small live site in three languages: more sections than a phone's
    width holds, each named in every language, a byline, free and POZIRK+
    stories in English with their Belarusian and Russian translations, and
    a few stories of each edition's own."""
    politics, economy, security, society, culture, rights, world = (
        SectionFactory(
            name=name,
            name_be=name_be,
            name_ru=name_ru,
            position=position,
            description=description,
            description_be=SECTION_DESCRIPTIONS[name][0],
            description_ru=SECTION_DESCRIPTIONS[name][1],
        )
        for position, (name, name_be, name_ru, description) in enumerate(SECTIONS)
    )
    author = AuthorFactory(
        name="Hanna Lis",
        name_be="Ганна Ліс",
        name_ru="Анна Лис",
        bio="Covers the regions and the courts.",
        bio_be="Піша пра рэгіёны і суды.",
        bio_ru="Пишет о регионах и судах.",
    )
    now = timezone.now()

    def published(minutes_ago, **fields):
        return ArticleFactory(published_at=now - timedelta(minutes=minutes_ago), **fields)

    published(300, headline="Harvest figures revised again", section=economy)
    published(240, headline="A theatre reopens in Hrodna", section=culture)
    published(220, headline="Border guards detain a cyclist", section=security)
    published(210, headline="Viasna counts 1,200 political prisoners", section=rights)
    published(
        200,
        headline="Лукашэнка сустрэўся з пасланцом ЗША ў Мінску",
        dek="Гаворка ішла пра палітвязняў і санкцыі.",
        section=world,
        language="be",
        body="<p>Сустрэча доўжылася тры гадзіны.</p>",
    )
    published(
        195,
        headline="У Гродне зноў адкрыўся драматычны тэатр",
        dek="Першы спектакль пасля рамонту — па-беларуску.",
        section=culture,
        language="be",
        body="<p>Залу поўнасцю распрадалі за тры дні.</p>",
    )
    published(
        190,
        headline="Пограничники задержали велосипедиста на литовской границе",
        dek="Мужчину обвиняют в незаконном пересечении границы.",
        section=security,
        language="ru",
        body="<p>Задержание произошло утром.</p>",
    )
    published(
        185,
        headline="Правозащитники насчитали 1200 политзаключённых",
        dek="Число растёт второй месяц подряд.",
        section=rights,
        language="ru",
        body="<p>Список обновляется каждую неделю.</p>",
    )
    other_gated = published(
        150,
        headline="How the sanctions are evaded",
        section=economy,
        gated=True,
        body="<p>Trucks cross at night.</p><p>Only members read how the money moves.</p>",
    )
    gated = published(
        90,
        headline="Inside the regional purge",
        section=politics,
        also_in=[society],
        authors=[author],
        gated=True,
        body="<p>The purge began in the spring.</p><p>Members read who signed the orders.</p>",
    )
    free = published(
        30,
        headline="Opposition leaders meet in Vilnius",
        dek="Three parties agree on a common platform before the autumn.",
        section=politics,
        authors=[author],
        tags=["Elections"],
        body=(
            "<p>The leaders met for six hours.</p><h2>What they agreed</h2>"
            "<p>A joint list of <strong>political prisoners</strong> to campaign for.</p>"
        ),
    )
    stories = {"en": Stories(free, gated, "purge")}
    for language, translated in TRANSLATIONS.items():
        headline, dek, body = translated["other_gated"]
        published(
            150,
            headline=headline,
            dek=dek,
            body=body,
            section=economy,
            gated=True,
            language=language,
            translation_of=other_gated,
        )
        headline, dek, body = translated["gated"]
        gated_translation = published(
            90,
            headline=headline,
            dek=dek,
            body=body,
            section=politics,
            also_in=[society],
            authors=[author],
            gated=True,
            language=language,
            translation_of=gated,
        )
        headline, dek, body = translated["free"]
        free_translation = published(
            30,
            headline=headline,
            dek=dek,
            body=body,
            section=politics,
            authors=[author],
            tags=[translated["tag"]],
            language=language,
            translation_of=free,
        )
        stories[language] = Stories(free_translation, gated_translation, translated["search"])
    return Newsroom(politics, author, free, gated, other_gated, stories)


@pytest.fixture
def subscriber(transactional_db):
    """A confirmed reader with POZIRK+ monthly, three days in."""
    user = User.objects.create_user(
        email="member@newsroom.test", password=PASSWORD, email_confirmed_at=timezone.now()
    )
    plan = Plan.objects.create(name="POZIRK+ monthly", duration_days=30)
    Subscription.objects.create(user=user, plan=plan, starts_at=timezone.now() - timedelta(days=3))
    return user


# Every page type, in every edition ---------------------------------------------

# The editions, as their pages' <html lang> says them.
EDITIONS = {"en": "en", "be": "be", "ru": "ru", LACINKA: "be-Latn"}
# What the tour visits in the editions other than English (which has every
# page type): each kind of page whose words, lengths or layout differ.
EDITION_PAGE_TYPES = {
    "be": {
        "home", "section", "article-free", "article-gated", "article-unlocked",
        "members-feed", "search", "login", "signup", "account", "404", "about", "privacy",
    },
    LACINKA: {"home", "article-free", "article-gated"},
}  # fmt: skip
EDITION_PAGE_TYPES["ru"] = EDITION_PAGE_TYPES["be"]


@dataclass
class PageType:
    name: str
    path: str
    reader: User | None = None
    status: int = 200
    edition: str = "en"

    @property
    def lang(self):
        return EDITIONS[self.edition]

    def __str__(self):
        return f"{self.edition}/{self.name}"

    def says(self, message):
        """`message` as this page type's edition shows it: translated, and
        in the Łacinka edition transliterated."""
        with translation.override(self.edition):
            text = translation.gettext(message)
        return lacinka(text) if self.edition == LACINKA else text


def edition_page_types(edition, newsroom, subscriber):
    """One page of each kind the site has in `edition`, each for the reader
    it is meant for."""
    stories = newsroom.stories[edition.split("-")[0]]
    with translation.override(edition):
        pages = [
            PageType("home", reverse("articles:home")),
            PageType("section", newsroom.politics.get_absolute_url()),
            PageType("tag", stories.free.tags.get().get_absolute_url()),
            PageType("author", newsroom.author.get_absolute_url()),
            PageType("article-free", stories.free.get_absolute_url()),
            PageType("article-gated", stories.gated.get_absolute_url()),
            PageType("article-unlocked", stories.gated.get_absolute_url(), subscriber),
            PageType("members-feed", reverse("paywall:plus-feed"), subscriber),
            PageType("search", f"{reverse('articles:search')}?q={stories.search}"),
            PageType("login", reverse("paywall:login")),
            PageType("signup", reverse("paywall:signup")),
            PageType("account", reverse("paywall:account"), subscriber),
            PageType("404", f"/{edition}/no-such-page/", status=404),
            PageType("join", reverse("payments:join")),
            PageType("redeem", reverse("payments:redeem"), subscriber),
            PageType("about", reverse("articles:info-page", kwargs={"kind": "about"})),
            PageType("privacy", reverse("articles:info-page", kwargs={"kind": "privacy"})),
            PageType("mirrors", reverse("reach:mirrors")),
            PageType("daily-files", reverse("reach:editions"), subscriber),
        ]
    wanted = EDITION_PAGE_TYPES.get(edition)
    for page in pages:
        page.edition = edition
    return [page for page in pages if wanted is None or page.name in wanted]


@pytest.fixture
def page_types(newsroom, subscriber):
    """Every page type in English; in the other editions, the pages whose
    words and lengths differ (EDITION_PAGE_TYPES)."""
    GiftLink.objects.issue(subscriber, newsroom.gated)  # listed on the account page
    return [
        page for edition in EDITIONS for page in edition_page_types(edition, newsroom, subscriber)
    ]


# Text in a language other than the page's carries its own `lang` (WCAG
# 3.1.2): each language's name, wherever the page shows it (the language
# switch, "Read in: …"), is marked as written in that language.
LANGUAGE_NAMES_MARKED = """(names) => [...document.querySelectorAll('body *')]
    .filter(element => element.children.length === 0
        && Object.hasOwn(names, element.textContent.trim()))
    .map(element => [element.textContent.trim(), element.closest('[lang]').lang])
    .filter(([name, lang]) => lang !== names[name])
    .map(([name, lang]) => `“${name}” is marked lang=${lang}`)"""
# What the language switch offers in each edition, each name as its own
# language writes it (the Łacinka edition transliterates only Belarusian).
SWITCH = {
    "en": ["Беларуская", "Русский", "English"],
    "be": ["Беларуская", "Русский", "English", "Łacinka"],
    "ru": ["Беларуская", "Русский", "English"],
    LACINKA: ["Łacinka", "Русский", "English", "Kirylica"],
}
LANGUAGE_NAMES = {
    "Беларуская": "be",
    "Русский": "ru",
    "English": "en",
    "Łacinka": "be-Latn",
    "Kirylica": "be-Latn",
}


@pytest.fixture
def tour(open_browser, page_types):
    """tour(editions, **context_args) yields (page type, page, response) for
    every page type of those editions (default: all), each opened in a
    browser of its reader's, having checked its languages are marked."""

    def visit(editions=tuple(EDITIONS), **context_args):
        tabs = {}
        for page_type in page_types:
            if page_type.edition not in editions:
                continue
            if page_type.reader not in tabs:
                tabs[page_type.reader] = open_browser(page_type.reader, **context_args).new_page()
            page = tabs[page_type.reader]
            response = page.goto(page_type.path)
            assert response.status == page_type.status, page_type
            assert page.locator("html").get_attribute("lang") == page_type.lang, page_type
            switch = page.get_by_role("navigation", name=page_type.says("Language"))
            assert switch.get_by_role("listitem").all_inner_texts() == SWITCH[page_type.edition]
            unmarked = page.evaluate(LANGUAGE_NAMES_MARKED, LANGUAGE_NAMES)
            assert not unmarked, f"{page_type}: {unmarked}"
            yield page_type, page, response

    return visit
