"""A member gives an article and finds the new link where they were reading,
ready to copy; nobody else ever sees it, from any cache."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from paywall.models import GiftLink
from tests.factories import ArticleFactory, SectionFactory, make_subscriber

pytestmark = pytest.mark.django_db

FIELD = re.compile(
    r'<input class="gift-link__url" id="new-gift-link-url" type="text" readonly value="([^"]+)">'
)


def logged_in(user):
    client = Client()
    client.force_login(user)
    # The device's last-seen time is written on a first page: out of the way.
    client.get(reverse("paywall:plus-about"))
    return client


def give(client, article, **options):
    return client.post(reverse("paywall:gift-create", args=[article.pk]), **options)


@pytest.fixture
def gated():
    politics = SectionFactory(name="Politics", slug="politics")
    return ArticleFactory(
        section=politics, gated=True, body="<p>The teaser.</p><p>Only for members.</p>"
    )


@pytest.fixture
def member():
    return make_subscriber("giver@newsroom.test")


def test_the_new_link_is_shown_on_the_article_ready_to_copy(gated, member):
    client = logged_in(member)
    client.get(gated.get_absolute_url())  # the members' page is kept now

    response = give(client, gated)

    # Post, redirect, get: back to the article, at the new link.
    assert response.status_code == 302
    assert response["Location"] == f"{gated.get_absolute_url()}#new-gift-link"
    page = client.get(gated.get_absolute_url())
    html = page.content.decode()
    gift = GiftLink.objects.get(created_by=member, article=gated)
    # Absolute, on the host the member reads, as the account page lists it.
    assert FIELD.search(html).group(1) == f"http://testserver{gift.get_absolute_url()}"
    assert "Gift link created." in html
    assert 'data-copy-from="new-gift-link-url"' in html
    assert 'data-copied="Copied"' in html
    # Our own script from our own origin; no inline script (the CSP allows none).
    assert re.search(r'<script src="/static/js/copy-link[^"]*\.js" defer></script>', html)
    assert "<script>" not in html
    # The member's own link: no shared cache keeps the page, no Referer carries it.
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    assert "Gift this article" in html  # another one may be made

    # Shown once: the next visit is the ordinary members' page.
    again = client.get(gated.get_absolute_url()).content.decode()
    assert gift.key not in again
    assert "Gift this article" in again


def test_nobody_else_sees_a_members_new_link(gated, member):
    other = logged_in(make_subscriber("other@newsroom.test"))
    anonymous = Client()
    # Both kinds of reader have the article kept for their class.
    other.get(gated.get_absolute_url())
    anonymous.get(gated.get_absolute_url())

    giver = logged_in(member)
    give(giver, gated)
    assert GiftLink.objects.get().key in giver.get(gated.get_absolute_url()).text

    key = GiftLink.objects.get().key
    for reader in (other, anonymous, Client()):
        for _ in range(2):  # rendered, then as kept
            html = reader.get(gated.get_absolute_url()).content.decode()
            assert key not in html
            assert "new-gift-link-url" not in html


def test_the_link_is_shown_only_on_the_article_it_opens(gated, member):
    elsewhere = ArticleFactory(section=gated.section, gated=True)
    client = logged_in(member)
    give(client, gated)

    html = client.get(elsewhere.get_absolute_url()).content.decode()

    assert "new-gift-link-url" not in html
    assert GiftLink.objects.get().key not in html


def test_a_revoked_link_is_not_shown(gated, member):
    client = logged_in(member)
    give(client, gated)
    gift = GiftLink.objects.get()
    client.post(reverse("paywall:gift-revoke", args=[gift.key]))

    html = client.get(gated.get_absolute_url()).content.decode()

    assert "new-gift-link-url" not in html


def test_the_monthly_limit_is_told_on_the_article(gated, member, settings):
    settings.POZIRK_GIFT_LINKS_PER_MONTH = 1
    client = logged_in(member)
    give(client, gated)
    client.get(gated.get_absolute_url())

    refused = give(client, gated, follow=True)

    assert refused.redirect_chain[-1][0] == gated.get_absolute_url()
    html = refused.content.decode()
    assert "You have used this month&#x27;s 1 gift links." in html
    assert "new-gift-link-url" not in html
    assert GiftLink.objects.count() == 1


def test_in_belarusian_the_link_and_its_button_speak_belarusian(member):
    story = ArticleFactory(
        language="be", gated=True, section=SectionFactory(name="Culture", slug="culture")
    )
    client = logged_in(member)
    give(client, story)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "Ваша падарункавая спасылка" in html
    assert ">Скапіяваць</button>" in html
    assert 'data-copied="Скапіявана"' in html
