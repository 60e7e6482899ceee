"""RSS and Atom feeds, as a feed reader and a POZIRK+ member meet them.

Public feeds (latest, section, tag, author) are the same for everyone, so
POZIRK+ pieces show only their teaser there. A member's private feed, at a
secret address on the account page, carries them in full while the
membership lasts, and not a moment longer.
"""

import re
from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from paywall.accounts import delete_account
from paywall.models import MemberFeed, Plan, Subscription, SubscriptionStatus, User
from reading.feeds import FEED_ITEMS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, image_bytes
from tests.second_factor import log_in_user

pytestmark = pytest.mark.django_db

CANARY = "CANARY-feeds-51d2: the second ledger's last page"
LINE = "The material is available only to POZIRK+"
FORMATS = ["rss", "atom"]
KINDS = ["latest", "section", "tag", "author"]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def newsroom():
    """Politics with a free piece (two authors, an image, also in Security),
    a newer POZIRK+ piece with the canary beyond its teaser, a draft and a
    scheduled piece; everything tagged "Corruption" and by Anna."""
    politics = SectionFactory(name="Politics", slug="politics")
    security = SectionFactory(name="Security", slug="security")
    anna = AuthorFactory(name="Anna Kovalenko", slug="anna-kovalenko")
    ihar = AuthorFactory(name="Ihar Ilyash", slug="ihar-ilyash")
    common = {"section": politics, "tags": ["Corruption"], "authors": [anna]}
    free = ArticleFactory(
        headline="Лукашэнка і Łukašenka",
        dek="Two spellings, one man.",
        body="<p>Free opening.</p><p>Free closing paragraph.</p>",
        published_at=hours_ago(3),
        lead_image=SimpleUploadedFile("lead.jpg", image_bytes(), content_type="image/jpeg"),
        lead_image_alt="A man at a lectern",
        **{**common, "authors": [anna, ihar]},
        also_in=[security],
    )
    gated = ArticleFactory(
        headline="The minister's ledgers",
        dek="What the documents show.",
        body=f"<p>Teaser paragraph.</p><p>{CANARY}</p>",
        published_at=hours_ago(1),
        gated=True,
        **common,
    )
    ArticleFactory(headline="A draft nobody may see", draft=True, **common)
    ArticleFactory(headline="A piece scheduled for tomorrow", scheduled=True, **common)
    return {"free": free, "gated": gated, "politics": politics, "anna": anna}


def feed_url(kind, fmt, slug=None):
    kwargs = {"slug": slug} if slug else {}
    return reverse(f"feeds:{kind}-{fmt}", kwargs=kwargs)


def public_feed_urls(fmt):
    return {
        "latest": feed_url("latest", fmt),
        "section": feed_url("section", fmt, "politics"),
        "tag": feed_url("tag", fmt, "corruption"),
        "author": feed_url("author", fmt, "anna-kovalenko"),
    }


def parse(response):
    """The feed as a feed reader sees it; it must parse cleanly."""
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.fixture
def plan():
    return Plan.objects.create(name="POZIRK+ monthly", duration_days=30)


def make_reader(email):
    return User.objects.create_user(
        email=email, password="a long passphrase", email_confirmed_at=timezone.now()
    )


@pytest.fixture
def member(plan):
    user = make_reader("member@newsroom.test")
    Subscription.objects.create(user=user, plan=plan, starts_at=timezone.now() - timedelta(days=1))
    return user


# Public feeds ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_public_feed_lists_published_articles_newest_first(client, newsroom, kind, fmt):
    response = client.get(public_feed_urls(fmt)[kind])
    feed = parse(response)

    assert response["Content-Type"].startswith(f"application/{fmt}+xml")
    assert [entry.title for entry in feed.entries] == [
        "The minister's ledgers",
        "Лукашэнка і Łukašenka",
    ]
    free = feed.entries[1]
    assert free.link == f"http://testserver{newsroom['free'].get_absolute_url()}"
    assert free.author == "Anna Kovalenko, Ihar Ilyash"
    assert [tag.term for tag in free.tags] == ["Politics", "Security"]
    assert free.published_parsed is not None
    (enclosure,) = free.enclosures
    assert enclosure.href == f"http://testserver{newsroom['free'].lead_image.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == newsroom["free"].lead_image.size > 0
    assert feed.entries[0].author == "Anna Kovalenko"
    assert not feed.entries[0].get("enclosures")


def test_feeds_are_named_after_what_they_follow(client, newsroom):
    assert parse(client.get(feed_url("latest", "rss"))).feed.title == "BPN — Latest"
    section = parse(client.get(feed_url("section", "atom", "politics"))).feed
    assert section.title == "BPN — Politics"
    assert section.link == f"http://testserver{reverse('articles:section-feed', args=['politics'])}"
    assert section.language == "en"
    tag = parse(client.get(feed_url("tag", "rss", "corruption"))).feed
    assert tag.title == "BPN — Corruption"
    author = parse(client.get(feed_url("author", "rss", "anna-kovalenko"))).feed
    assert author.title == "BPN — Anna Kovalenko"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_free_article_comes_with_its_dek_and_full_text(client, newsroom, fmt):
    entry = parse(client.get(feed_url("latest", fmt))).entries[1]

    assert "Two spellings, one man." in entry.summary
    assert "Free opening." in entry.summary and "Free closing paragraph." in entry.summary
    assert LINE not in entry.summary


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("who", ["anonymous", "subscriber", "staff"])
def test_a_pozirk_article_in_a_public_feed_shows_only_its_teaser(
    client, newsroom, member, editor, fmt, who
):
    """Public feeds are public even when a member or an editor fetches them:
    whatever a shared cache keeps must hold no gated text."""
    if who != "anonymous":
        log_in_user(client, member if who == "subscriber" else editor)
    article_url = f"http://testserver{newsroom['gated'].get_absolute_url()}"

    for kind, url in public_feed_urls(fmt).items():
        response = client.get(url)
        assert CANARY not in response.text, (who, kind)
        gated = parse(response).entries[0]
        assert "What the documents show." in gated.summary
        assert "Teaser paragraph." in gated.summary
        assert LINE in gated.summary
        assert f'href="{article_url}"' in gated.summary


def test_cyrillic_lacinka_and_ampersands_round_trip(client, newsroom):
    ArticleFactory(headline="Ціханоўская & “Сход” <у Вільні>", section=newsroom["politics"])
    for fmt in FORMATS:
        titles = [entry.title for entry in parse(client.get(feed_url("latest", fmt))).entries]
        assert titles[0] == "Ціханоўская & “Сход” <у Вільні>"
        assert "Лукашэнка і Łukašenka" in titles


def test_the_lacinka_editions_feeds_are_in_lacinka(client, newsroom):
    """The Łacinka edition offers its feeds as "BPN — Apošniaje": a reader
    who subscribes gets its headlines and summaries in Łacinka too, the
    entries' markup and addresses as they were."""
    story = ArticleFactory(
        headline="Сход у Вільні",
        dek="Што вырашылі ўдзельнікі & госці.",
        language="be",
        section=newsroom["politics"],
    )
    with translation.override("be-latn"):
        for fmt in FORMATS:
            response = client.get(feed_url("latest", fmt))
            assert not re.search("[\u0400-\u04ff]", response.text), fmt
            feed = parse(response)
            assert feed.feed.title == "BPN — Apošniaje"
            (entry,) = feed.entries
            assert entry.title == "Schod u Vilni"
            assert "Što vyrašyli ŭdzielniki &amp; hosci." in entry.summary
            assert entry.link.endswith(story.get_absolute_url().replace("/be/", "/be-latn/"))


def test_each_edition_has_its_own_feeds_in_its_language(client, newsroom):
    """The Belarusian edition's feeds list the Belarusian articles, and say so;
    the English edition's do not list them."""
    ArticleFactory(headline="Сход у Вільні", language="be", section=newsroom["politics"])
    with translation.override("be"):
        belarusian = parse(client.get(feed_url("latest", "atom")))
        section = parse(client.get(feed_url("section", "rss", "politics")))
    assert [entry.title for entry in belarusian.entries] == ["Сход у Вільні"]
    assert [entry.summary_detail.language for entry in belarusian.entries] == ["be"]
    assert belarusian.feed.title == "BPN — Апошняе"
    assert section.feed.language == "be"
    assert [entry.title for entry in section.entries] == ["Сход у Вільні"]
    english = parse(client.get(feed_url("latest", "atom"))).entries
    assert "Сход у Вільні" not in [entry.title for entry in english]


def test_a_feed_holds_a_fixed_number_of_the_newest_articles(client, newsroom):
    section = newsroom["politics"]
    for hours in range(10, 10 + FEED_ITEMS + 5):
        ArticleFactory(
            headline=f"Older by {hours} hours", section=section, published_at=hours_ago(hours)
        )

    titles = [
        entry.title for entry in parse(client.get(feed_url("section", "rss", "politics"))).entries
    ]

    assert 20 <= FEED_ITEMS <= 50
    assert len(titles) == FEED_ITEMS
    assert titles[:3] == ["The minister's ledgers", "Лукашэнка і Łukašenka", "Older by 10 hours"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_or_hidden_subjects_have_no_feed(client, newsroom, fmt):
    SectionFactory(name="Archive", slug="archive", is_active=False)
    ArticleFactory(section=newsroom["politics"], tags=["Arrest of the minister"], draft=True)

    assert client.get(feed_url("section", fmt, "no-such-section")).status_code == 404
    assert client.get(feed_url("section", fmt, "archive")).status_code == 404
    assert client.get(feed_url("tag", fmt, "no-such-tag")).status_code == 404
    # A tag only drafts use is not public yet: its name may say what is coming.
    assert client.get(feed_url("tag", fmt, "arrest-of-the-minister")).status_code == 404
    assert client.get(feed_url("author", fmt, "nobody")).status_code == 404


def test_public_feeds_may_be_kept_by_a_shared_cache(client, newsroom):
    response = client.get(feed_url("latest", "rss"))
    assert "max-age=300" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]


def build_articles(count, section, author):
    """`count` published articles in the section, each also in a second
    section, by the author and someone else, tagged, a third of them gated,
    half of them with a lead image."""
    other_section = SectionFactory()
    co_author = AuthorFactory()
    for i in range(count):
        ArticleFactory(
            section=section,
            also_in=[other_section],
            authors=[author, co_author],
            tags=["Corruption", "Belarus"],
            gated=i % 3 == 0,
            **(
                {
                    "lead_image": SimpleUploadedFile("lead.png", image_bytes(image_format="PNG")),
                    "lead_image_alt": "An image",
                }
                if i % 2
                else {}
            ),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_feed_costs_the_same_few_queries_whatever_its_length(client, newsroom, fmt):
    """Guards against a query per item for sections, authors or the body:
    5 and 40 more articles cost the same."""
    urls = public_feed_urls(fmt)
    build_articles(5, newsroom["politics"], newsroom["anna"])
    small = {kind: count_queries(client, url) for kind, url in urls.items()}

    build_articles(35, newsroom["politics"], newsroom["anna"])
    large = {kind: count_queries(client, url) for kind, url in urls.items()}

    assert small == large
    # Articles, their other sections, their authors; plus the feed's subject.
    assert large == {"latest": 3, "section": 4, "tag": 4, "author": 4}


# Feed discovery ----------------------------------------------------------------------


def alternates(html):
    return [
        line.strip() for line in html.splitlines() if 'rel="alternate"' in line and "+xml" in line
    ]


def test_pages_announce_their_feeds(client, newsroom):
    latest = [
        '<link rel="alternate" type="application/rss+xml" title="BPN — Latest" '
        'href="/en/feeds/rss/">',
        '<link rel="alternate" type="application/atom+xml" title="BPN — Latest (Atom)" '
        'href="/en/feeds/atom/">',
    ]

    def own(kind, slug, name):
        return [
            f'<link rel="alternate" type="application/rss+xml" title="BPN — {name}" '
            f'href="/en/feeds/{kind}/{slug}/rss/">',
            f'<link rel="alternate" type="application/atom+xml" title="BPN — {name} (Atom)" '
            f'href="/en/feeds/{kind}/{slug}/atom/">',
        ]

    assert alternates(client.get("/en/").text) == latest
    assert (
        alternates(client.get("/en/politics/").text)
        == own("section", "politics", "Politics") + latest
    )
    assert (
        alternates(client.get("/en/tag/corruption/").text)
        == own("tag", "corruption", "Corruption") + latest
    )
    assert (
        alternates(client.get("/en/author/anna-kovalenko/").text)
        == own("author", "anna-kovalenko", "Anna Kovalenko") + latest
    )
    for link in own("section", "politics", "Politics") + latest:
        href = link.split('href="')[1].rstrip('">')
        parse(client.get(href))


# The member's private feed -----------------------------------------------------------


def member_feed_url(user, fmt="rss"):
    return reverse(f"feeds:member-{fmt}", kwargs={"key": MemberFeed.objects.for_user(user).key})


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_member_reads_pozirk_pieces_in_full_in_their_private_feed(client, newsroom, member, fmt):
    response = client.get(member_feed_url(member, fmt))
    feed = parse(response)

    gated, free = feed.entries
    assert CANARY in gated.summary and "Teaser paragraph." in gated.summary
    assert LINE not in gated.summary
    assert "Free closing paragraph." in free.summary
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "max-age" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_member_feed_costs_the_same_whatever_its_length(client, newsroom, member):
    url = member_feed_url(member)
    build_articles(5, newsroom["politics"], newsroom["anna"])
    small = count_queries(client, url)
    build_articles(35, newsroom["politics"], newsroom["anna"])
    # The key and its member, one subscription check, then as a public feed.
    assert count_queries(client, url) == small == 5


def test_the_account_page_gives_a_member_their_feed_address(client, member):
    client.force_login(member)

    page = client.get(reverse("paywall:account")).text

    address = f"http://testserver{member_feed_url(member)}"
    assert f'value="{address}"' in page
    assert "New address" in page


def test_a_reader_without_pozirk_gets_no_feed_address(client, reader, plan):
    lapsed = make_reader("lapsed@newsroom.test")
    Subscription.objects.create(
        user=lapsed, plan=plan, starts_at=hours_ago(24 * 40), ends_at=hours_ago(24 * 10)
    )
    for user in (reader, lapsed):
        client.force_login(user)
        page = client.get(reverse("paywall:account")).text
        assert "Your private feed" not in page and "/feeds/member/" not in page
        assert client.post(reverse("feeds:member-rotate")).status_code == 403
    assert not MemberFeed.objects.exists()


def test_a_member_gets_a_new_address_and_the_old_one_stops_working(client, newsroom, member):
    old_url = member_feed_url(member)
    client.force_login(member)

    assert client.get(reverse("feeds:member-rotate")).status_code == 405
    assert client.get(old_url).status_code == 200

    response = client.post(reverse("feeds:member-rotate"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('paywall:account')}#member-feed"
    new_url = member_feed_url(member)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert CANARY in client.get(new_url).text
    assert new_url in client.get(reverse("paywall:account")).text


def test_nobody_rotates_a_feed_without_logging_in(client):
    response = client.post(reverse("feeds:member-rotate"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("paywall:login"))


@pytest.mark.parametrize("ending", ["expired", "cancelled", "deactivated"])
def test_the_feed_closes_when_the_membership_ends(client, newsroom, member, ending):
    url = member_feed_url(member)
    assert CANARY in client.get(url).text

    if ending == "expired":
        member.subscriptions.update(ends_at=timezone.now() - timedelta(seconds=1))
    elif ending == "cancelled":
        member.subscriptions.update(status=SubscriptionStatus.CANCELLED)
    else:
        User.objects.filter(pk=member.pk).update(is_active=False)

    for fmt in FORMATS:
        response = client.get(url.replace("/rss/", f"/{fmt}/"))
        assert response.status_code == 404
        assert CANARY not in response.text and "Teaser paragraph." not in response.text


def test_the_feed_reopens_with_a_renewal(client, newsroom, member, plan):
    url = member_feed_url(member)
    member.subscriptions.update(ends_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404

    Subscription.objects.create(user=member, plan=plan)

    assert CANARY in client.get(url).text


def test_deleting_the_account_deletes_its_feed(client, newsroom, member):
    url = member_feed_url(member)

    delete_account(member)

    assert client.get(url).status_code == 404
    assert not MemberFeed.objects.exists()


def test_a_forged_feed_address_is_a_404(client, newsroom, member):
    MemberFeed.objects.for_user(member)
    response = client.get(reverse("feeds:member-rss", kwargs={"key": "forged-key"}))
    assert response.status_code == 404
    assert CANARY not in response.text
