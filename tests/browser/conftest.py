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
from django.utils import timezone

from articles.models import Article, Author, Section
from paywall.models import GiftLink, Plan, Subscription, User
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


@dataclass
class Newsroom:
    politics: Section
    author: Author
    free: Article
    gated: Article
    other_gated: Article


@pytest.fixture
def newsroom(transactional_db):
    """A small live site: more sections than a phone's width holds, a byline,
    free and POZIRK+ stories, one of them in Belarusian."""
    politics, economy, security, society, culture, rights, world = (
        SectionFactory(name=name, position=position, description=f"News about {name.lower()}.")
        for position, name in enumerate(
            ["Politics", "Economy", "Security", "Society", "Culture", "Human rights", "World"]
        )
    )
    author = AuthorFactory(name="Hanna Lis", bio="Covers the regions and the courts.")
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
        section=world,
        language="be",
        body="<p>Сустрэча доўжылася тры гадзіны.</p>",
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
    return Newsroom(politics, author, free, gated, other_gated)


@pytest.fixture
def subscriber(transactional_db):
    """A confirmed reader with POZIRK+ monthly, three days in."""
    user = User.objects.create_user(
        email="member@newsroom.test", password=PASSWORD, email_confirmed_at=timezone.now()
    )
    plan = Plan.objects.create(name="POZIRK+ monthly", duration_days=30)
    Subscription.objects.create(user=user, plan=plan, starts_at=timezone.now() - timedelta(days=3))
    return user


# Every page type ---------------------------------------------------------------


@dataclass
class PageType:
    name: str
    path: str
    reader: User | None = None
    status: int = 200


@pytest.fixture
def page_types(newsroom, subscriber):
    """One page of each kind the site has, each for the reader it is meant for."""
    GiftLink.objects.issue(subscriber, newsroom.gated)  # listed on the account page
    return [
        PageType("home", "/"),
        PageType("section", newsroom.politics.get_absolute_url()),
        PageType("tag", newsroom.free.tags.get().get_absolute_url()),
        PageType("author", newsroom.author.get_absolute_url()),
        PageType("article-free", newsroom.free.get_absolute_url()),
        PageType("article-gated", newsroom.gated.get_absolute_url()),
        PageType("article-unlocked", newsroom.gated.get_absolute_url(), subscriber),
        PageType("members-feed", "/plus/", subscriber),
        PageType("search", "/search/?q=purge"),
        PageType("login", "/accounts/login/"),
        PageType("signup", "/accounts/signup/"),
        PageType("account", "/accounts/", subscriber),
        PageType("404", "/no-such-page/", status=404),
        PageType("join", reverse("payments:join")),
        PageType("redeem", reverse("payments:redeem"), subscriber),
        PageType("about", reverse("articles:info-page", kwargs={"kind": "about"})),
        PageType("privacy", reverse("articles:info-page", kwargs={"kind": "privacy"})),
        PageType("mirrors", reverse("reach:mirrors")),
        PageType("daily-files", reverse("reach:editions"), subscriber),
    ]


@pytest.fixture
def tour(open_browser, page_types):
    """tour(**context_args) yields (page type, page, response) for every page
    type, each opened in a browser of its reader's."""

    def visit(**context_args):
        tabs = {}
        for page_type in page_types:
            if page_type.reader not in tabs:
                tabs[page_type.reader] = open_browser(page_type.reader, **context_args).new_page()
            page = tabs[page_type.reader]
            response = page.goto(page_type.path)
            assert response.status == page_type.status, page_type
            yield page_type, page, response

    return visit
