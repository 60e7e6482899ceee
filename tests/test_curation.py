"""Editors choose the top of the home page and of each section, and what to
read next under an article; everything else stays newest first."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Pin, Status
from tests.factories import ArticleFactory, SectionFactory
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
PIN_LIST = reverse("admin:articles_pin_changelist")
PIN_ADD = reverse("admin:articles_pin_add")
ARTICLE_LIST = reverse("admin:articles_article_changelist")
PLUS_LINE = "The material is available only to POZIRK+"


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics", position=1)


@pytest.fixture
def economy():
    return SectionFactory(name="Economy", slug="economy", position=2)


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def story(headline, section, hours, **kwargs):
    return ArticleFactory(
        headline=headline, section=section, published_at=hours_ago(hours), **kwargs
    )


def pin(article, position=1, section=None, expires_at=None):
    return Pin.objects.create(
        article=article, position=position, section=section, expires_at=expires_at
    )


def lead_of(html):
    return html[html.index('class="lead-story"') :].split("</article>")[0]


def in_order(html, *headlines):
    """Each headline appears exactly once, and in this order."""
    for headline in headlines:
        assert html.count(headline) == 1, headline
    positions = [html.index(headline) for headline in headlines]
    return positions == sorted(positions)


def listed_pins(html):
    """The headlines of the pins in the admin's list, top to bottom."""
    return re.findall(r'class="field-headline"><a [^>]*>([^<]*)</a>', html)


def list_form(html):
    """The editable fields of the admin's change list, as the browser sends them."""
    fields = re.findall(r'<input type="(?:number|text|hidden)" name="(form-[^"]+)"([^>]*)>', html)
    values = {name: re.search(r'value="([^"]*)"', rest) for name, rest in fields}
    return {name: match.group(1) if match else "" for name, match in values.items()}


def count_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The home page and the sections ------------------------------------------------


def test_the_pin_at_position_one_leads_the_home_page_and_the_other_pins_follow(
    client, politics, economy
):
    story("Minsk marathon results", politics, 1)
    verdict = story("Verdict in the Babaryka case", politics, 30)
    talks = story("Gas talks resume", economy, 5)
    story("Ruble steady", economy, 2)
    pin(verdict, position=1)
    pin(talks, position=2)

    html = client.get(HOME).text

    assert "Verdict in the Babaryka case" in lead_of(html)
    assert in_order(
        html,
        "Verdict in the Babaryka case",
        "Top stories",
        "Gas talks resume",
        "Latest headlines",
        "Minsk marathon results",
        "Ruble steady",
    )


def test_without_pins_the_home_page_is_newest_first(client, politics):
    story("Story from yesterday", politics, 24)
    story("Story from this morning", politics, 3)

    html = client.get(HOME).text

    assert "Story from this morning" in lead_of(html)
    assert "Top stories" not in html
    assert in_order(html, "Story from this morning", "Story from yesterday")


def test_a_sections_pins_order_that_section_only(client, politics, economy):
    story("New border rules", politics, 1)
    budget = story("Budget cuts explained", politics, 48, also_in=[economy])
    story("Factory closes", economy, 3)
    pin(budget, section=politics)

    section_page = client.get(politics.get_absolute_url()).text
    assert in_order(
        section_page,
        "Top stories",
        "Budget cuts explained",
        "Latest in Politics",
        "New border rules",
    )

    # The same story on the home page and on Economy's page is where its time puts it.
    assert "New border rules" in lead_of(client.get(HOME).text)
    economy_page = client.get(economy.get_absolute_url()).text
    assert "Top stories" not in economy_page
    assert in_order(economy_page, "Factory closes", "Budget cuts explained")


def test_an_expired_pin_is_ignored(client, politics):
    story("Fresh news", politics, 1)
    old_lead = story("Lead from last week", politics, 24 * 7)
    pin(old_lead, expires_at=hours_ago(1))

    html = client.get(HOME).text

    assert "Fresh news" in lead_of(html)
    assert in_order(html, "Fresh news", "Lead from last week")


def test_with_its_lead_pin_lapsed_the_next_pin_moves_up(client, politics):
    story("Fresh news", politics, 1)
    pin(story("Morning lead", politics, 5), position=1, expires_at=hours_ago(1))
    pin(story("Explainer", politics, 30), position=2)

    html = client.get(HOME).text

    assert "Explainer" in lead_of(html)


def test_a_pinned_draft_or_scheduled_story_shows_only_once_it_is_live(client, politics):
    story("Live story", politics, 2)
    draft = ArticleFactory(headline="Investigation in progress", section=politics, draft=True)
    embargoed = ArticleFactory(headline="Embargoed report", section=politics, scheduled=True)
    pin(draft, position=1)
    pin(embargoed, position=2)

    html = client.get(HOME).text
    assert "Investigation in progress" not in html
    assert "Embargoed report" not in html
    assert "Live story" in lead_of(html)

    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    embargoed.published_at = hours_ago(1)
    embargoed.save()

    html = Client().get(HOME).text
    assert "Investigation in progress" in lead_of(html)
    assert in_order(html, "Investigation in progress", "Embargoed report", "Live story")


def test_pinned_stories_are_neither_repeated_nor_skipped_on_later_pages(client, politics):
    headlines = [f"Story from {hour} hours ago" for hour in range(1, 25)]
    articles = [story(headline, politics, hour) for hour, headline in enumerate(headlines, 1)]
    pin(articles[5])
    pin(articles[22], position=2)

    first = client.get(HOME).text
    second = client.get(HOME, {"page": 2}).text

    assert headlines[5] in lead_of(first)
    seen = [headline for headline in headlines if headline in first]
    rest = [headline for headline in headlines if headline in second]
    assert len(seen) == 22 and len(rest) == 2
    assert sorted(seen + rest) == sorted(headlines)
    assert "Top stories" not in second


def test_a_pinned_story_leads_only_the_edition_in_its_language(client, politics):
    story("Morning news in English", politics, 1)
    story("Утренние новости", politics, 3, language="ru")
    pin(story("Приговор оглашён", politics, 30, language="ru"))
    with translation.override("ru"):
        russian_home = reverse("articles:home")

    russian = client.get(russian_home).text
    english = client.get(HOME).text

    assert "Приговор оглашён" in lead_of(russian)
    assert in_order(russian, "Приговор оглашён", "Утренние новости")
    assert "Morning news in English" in lead_of(english)
    assert "Приговор оглашён" not in english and "Top stories" not in english


def test_a_pinned_pozirk_story_keeps_its_marker(client, politics):
    story("Free news", politics, 1)
    pin(story("Analysis for members", politics, 10, gated=True))

    lead = lead_of(client.get(HOME).text)

    assert "Analysis for members" in lead and PLUS_LINE in lead


# Cached pages ------------------------------------------------------------------


def test_a_pin_lapses_from_a_cached_page_with_nobody_saving_anything(client, politics):
    story("Fresh news", politics, 1)
    expires_at = timezone.now() + timedelta(seconds=2)
    pin(story("Evening lead", politics, 6), expires_at=expires_at)

    assert "Evening lead" in lead_of(client.get(HOME).text)
    with CaptureQueriesContext(connection) as queries:
        still = Client().get(HOME).text
    assert len(queries) == 0, "served from the page cache"
    assert "Evening lead" in lead_of(still)

    time.sleep(max(0, (expires_at - timezone.now()).total_seconds()) + 0.1)

    assert "Fresh news" in lead_of(Client().get(HOME).text)


def test_pinning_and_unpinning_retire_cached_pages(client, politics):
    story("Fresh news", politics, 1)
    analysis = story("Weekend analysis", politics, 20)
    assert "Fresh news" in lead_of(client.get(HOME).text)

    the_pin = pin(analysis)
    assert "Weekend analysis" in lead_of(Client().get(HOME).text)

    the_pin.delete()
    assert "Fresh news" in lead_of(Client().get(HOME).text)


def test_choosing_related_articles_retires_the_cached_article_page(client, politics, economy):
    article = story("Sanctions widened", politics, 1)
    background = story("How the sanctions began", economy, 24 * 30)
    client.get(article.get_absolute_url())

    article.related.add(background)

    more = Client().get(article.get_absolute_url()).text.split("More headlines")[1]
    assert "How the sanctions began" in more


# More headlines ----------------------------------------------------------------


def test_related_articles_come_first_then_shared_sections_and_tags_then_the_latest(
    client, politics, economy, settings
):
    settings.NEWSROOM_MORE_HEADLINES = 5
    sport = SectionFactory(name="Sport", slug="sport", position=3)
    article = story("Border queues grow", politics, 2, tags=["Border"])
    chosen = story("Queues: a year in figures", sport, 24 * 60, gated=True)
    chosen_draft = ArticleFactory(headline="Unfinished queue data", section=sport, draft=True)
    article.related.add(chosen, chosen_draft)
    story("Parliament session opens", politics, 30)
    story("Customs tariffs change", economy, 10, tags=["border"])
    story("Trade outlook", economy, 40, also_in=[politics])
    story("Hockey final tonight", sport, 1)
    story("Cup draw", sport, 3)
    story("Old sports notes", sport, 24 * 90)

    more = client.get(article.get_absolute_url()).text.split("More headlines")[1]

    assert in_order(
        more,
        "Queues: a year in figures",
        "Customs tariffs change",
        "Parliament session opens",
        "Trade outlook",
        "Hockey final tonight",
    )
    assert PLUS_LINE in more.split("Customs tariffs change")[0]
    for absent in ["Unfinished queue data", "Border queues grow", "Cup draw", "Old sports notes"]:
        assert absent not in more


def test_an_article_related_and_in_the_same_section_is_listed_once(client, politics):
    article = story("Protest anniversary", politics, 2)
    sibling = story("Five years on", politics, 5)
    article.related.add(sibling)

    more = client.get(article.get_absolute_url()).text.split("More headlines")[1]

    assert more.count("Five years on") == 1


# Query counts ------------------------------------------------------------------


def test_pins_and_related_articles_do_not_add_queries(client, politics, economy):
    article = story("Sanctions widened", politics, 1, tags=["Sanctions"])
    others = [
        story(f"Story {n}", [politics, economy][n % 2], n + 2, tags=["Sanctions"], gated=n % 3 == 0)
        for n in range(8)
    ]
    pages = [HOME, politics.get_absolute_url(), article.get_absolute_url()]
    before = [count_queries(client, url) for url in pages]

    for position, other in enumerate(others[:5], 1):
        pin(other, position=position)
        pin(other, position=position, section=politics)
    article.related.add(*others)
    after = [count_queries(client, url) for url in pages]

    assert before == after
    assert "Story 0" in lead_of(client.get(HOME).text)
    more = client.get(article.get_absolute_url()).text.split("More headlines")[1]
    assert in_order(more, *(f"Story {n}" for n in range(8)))


# The pins in the admin ---------------------------------------------------------


def test_an_editor_pins_a_story_from_the_admin(editor_client, editor, client, politics):
    story("Fresh news", politics, 1)
    analysis = story("Weekend analysis", politics, 20)

    response = editor_client.post(
        PIN_ADD, {"article": analysis.pk, "section": "", "position": 1, "expires_at": ""}
    )

    assert response.status_code == 302
    created = Pin.objects.get()
    assert created.created_by == editor and created.section is None
    assert "Weekend analysis" in lead_of(client.get(HOME).text)


def test_the_pin_list_tells_the_editor_why_a_pin_is_not_showing(editor_client, politics):
    pin(story("On the page", politics, 1), position=1)
    pin(ArticleFactory(headline="Still a draft", section=politics, draft=True), position=2)
    pin(ArticleFactory(headline="Due tomorrow", section=politics, scheduled=True), position=3)
    pin(story("Old news", politics, 100), position=4, expires_at=hours_ago(1))
    pin(story("Section lead", politics, 3), section=politics)

    html = editor_client.get(PIN_LIST).text

    assert listed_pins(html) == [
        "On the page",
        "Still a draft",
        "Due tomorrow",
        "Old news",
        "Section lead",
    ]
    assert "Scheduled for" in html and ">Draft<" in html
    assert html.count('alt="True"') == 2  # the live stories' pins
    waiting = editor_client.get(PIN_LIST, {"state": "waiting"}).text
    assert listed_pins(waiting) == ["Still a draft", "Due tomorrow"]
    on_politics = editor_client.get(PIN_LIST, {"page": politics.pk}).text
    assert listed_pins(on_politics) == ["Section lead"]


def test_an_editor_reorders_pins_from_the_list(editor_client, client, politics):
    morning = pin(story("Morning lead", politics, 1), position=1)
    afternoon = pin(story("Afternoon lead", politics, 2), position=2)
    pin(story("Lapsed lead", politics, 50), position=3, expires_at=hours_ago(5))
    client.get(HOME)

    form = list_form(editor_client.get(PIN_LIST).text)
    assert any(name.endswith("expires_at_1") and value for name, value in form.items())
    swap = {str(morning.pk): "2", str(afternoon.pk): "1"}
    for name, value in list(form.items()):
        if name.endswith("-id") and value in swap:
            form[name.replace("-id", "-position")] = swap[value]
    response = editor_client.post(PIN_LIST, {**form, "_save": "Save"})

    assert response.status_code == 302, "the lapsed pin's time, sent back unchanged, is fine"
    assert "Afternoon lead" in lead_of(Client().get(HOME).text)


def test_a_pin_cannot_be_set_to_lapse_in_the_past(editor_client, politics):
    article = story("Weekend analysis", politics, 20)
    past = timezone.localtime(hours_ago(2))

    response = editor_client.post(
        PIN_ADD,
        {
            "article": article.pk,
            "section": "",
            "position": 1,
            "expires_at_0": past.strftime("%Y-%m-%d"),
            "expires_at_1": past.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 200
    assert "That time has passed" in response.text
    assert not Pin.objects.exists()


def test_the_pin_list_costs_the_same_however_many_pins(editor_client, politics, economy):
    for n in range(2):
        pin(story(f"Early {n}", politics, n + 1), position=n + 1)
    editor_client.get(PIN_LIST)
    small = count_queries(editor_client, PIN_LIST)

    for n in range(8):
        article = story(f"Later {n}", economy, n + 10)
        pin(article, position=n + 3)
        pin(article, section=economy, position=n + 1, expires_at=hours_ago(1))

    assert count_queries(editor_client, PIN_LIST) == small


@pytest.fixture
def desk_assistant(django_user_model):
    """Staff who may handle pins and articles in the admin but is no editor."""
    user = django_user_model.objects.create_user(
        email="assistant@newsroom.test", password="x", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=[
                "add_pin",
                "change_pin",
                "delete_pin",
                "view_pin",
                "change_article",
                "view_article",
            ],
        )
    )
    return log_in_staff(Client(), user)


def test_pins_are_for_editors_only(desk_assistant, politics):
    existing = pin(story("Morning lead", politics, 1))

    listing = desk_assistant.get(PIN_LIST)
    assert listing.status_code == 200
    assert "Only editors can pin stories" in listing.text
    assert desk_assistant.get(PIN_ADD).status_code == 403
    assert (
        desk_assistant.post(
            reverse("admin:articles_pin_delete", args=[existing.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Pin.objects.filter(pk=existing.pk).exists()


def test_an_editor_ends_pins_at_once(editor_client, client, politics):
    story("Fresh news", politics, 1)
    the_pin = pin(story("Morning lead", politics, 5))
    client.get(HOME)

    editor_client.post(PIN_LIST, {"action": "lapse_now", "_selected_action": [the_pin.pk]})

    the_pin.refresh_from_db()
    assert the_pin.expires_at <= timezone.now()
    assert "Fresh news" in lead_of(Client().get(HOME).text)


def test_pin_to_the_home_page_from_the_article_list_appends_after_existing_pins(
    editor_client, client, politics
):
    pin(story("Current lead", politics, 10), position=1)
    pin(story("Second story", politics, 11), position=2)
    newcomer = story("Newcomer", politics, 30)
    upcoming = ArticleFactory(headline="Report due tomorrow", section=politics, scheduled=True)

    response = editor_client.post(
        ARTICLE_LIST,
        {"action": "pin_to_home", "_selected_action": [newcomer.pk, upcoming.pk]},
        follow=True,
    )

    assert Pin.objects.get(article=newcomer, section=None).position > 2
    assert "pinned to the home page" in response.text
    assert "Report due tomorrow" in response.text and "goes live" in response.text
    html = client.get(HOME).text
    assert in_order(html, "Current lead", "Second story", "Newcomer")


def test_pinning_from_the_article_list_is_refused_to_non_editors_with_a_reason(
    desk_assistant, politics
):
    article = story("Morning lead", politics, 1)

    response = desk_assistant.post(
        ARTICLE_LIST, {"action": "pin_to_home", "_selected_action": [article.pk]}, follow=True
    )

    assert "Only editors can pin stories" in response.text
    assert not Pin.objects.exists()


def test_pin_stories_to_their_own_section_pages_from_the_article_list(
    editor_client, client, politics, economy
):
    story("Fresh politics", politics, 1)
    story("Fresh economy", economy, 1)
    vote = story("Vote count disputed", politics, 30)
    prices = story("Prices up again", economy, 30)
    earlier = pin(vote, section=politics, expires_at=hours_ago(2))

    response = editor_client.post(
        ARTICLE_LIST,
        {"action": "pin_to_section", "_selected_action": [vote.pk, prices.pk]},
        follow=True,
    )

    assert "2 articles pinned to Economy, Politics" in response.text
    earlier.refresh_from_db()
    assert earlier.expires_at is None  # the lapsed pin is renewed, not doubled
    assert "Top stories" not in client.get(HOME).text
    assert in_order(client.get(politics.get_absolute_url()).text, "Vote count disputed", "Fresh")
    assert in_order(client.get(economy.get_absolute_url()).text, "Prices up again", "Fresh")
