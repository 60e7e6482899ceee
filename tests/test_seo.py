"""A search engine's crawler reads the site: robots.txt, the sitemaps, and
each page's canonical address, link-preview tags and JSON-LD. POZIRK+ pieces
are marked as not free, and their gated text is in none of it."""

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.models import Article
from paywall.models import GiftLink
from reading import seo_views
from reading.views import HeadlineFeedView
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    image_bytes,
    make_subscriber,
)

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
CANARY = "Zebra-canary-7f3c: the minister's second ledger"
HOST = "http://testserver"


class Head(HTMLParser):
    """What a crawler reads in a page's <head>: meta tags, links and JSON-LD."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.raw_meta = {}, {}, [], []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
            self.raw_meta.append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def one(self, key):
        (value,) = self.meta[key]
        return value


def head_of(response):
    assert response.status_code == 200
    html = response.text
    return Head(html[: html.index("</head>")])


def xml_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root, tag="sm:url"):
    return [element.findtext("sm:loc", namespaces=NS) for element in root.findall(tag, NS)]


def to_the_second(moment):
    return moment.replace(microsecond=0)


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def newsroom(politics):
    """A free and a gated article (the canary beyond its teaser), a draft and
    a scheduled piece."""
    author = AuthorFactory(name="Anna Kovalenko", slug="anna-kovalenko")
    free = ArticleFactory(
        headline="Free: the border reopens",
        dek="Queues at the crossing.",
        section=politics,
        authors=[author],
        published_at=timezone.now() - timedelta(hours=3),
    )
    gated = ArticleFactory(
        headline="The minister's ledgers",
        dek="What the documents show.",
        body=f"<p>The teaser paragraph.</p><p>{CANARY}</p><p>Closing.</p>",
        section=politics,
        authors=[author],
        gated=True,
        published_at=timezone.now() - timedelta(hours=2),
    )
    draft = ArticleFactory(headline="A draft nobody sees", section=politics, draft=True)
    scheduled = ArticleFactory(headline="Tomorrow's piece", section=politics, scheduled=True)
    return {"free": free, "gated": gated, "draft": draft, "scheduled": scheduled}


# robots.txt and sitemaps


def test_robots_txt_names_every_editions_sitemaps_and_keeps_crawlers_out_of_private_pages(
    client,
):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    for edition in ["be", "ru", "en", "be-latn"]:
        for private in ["accounts/", "plus/", "search/"]:
            assert f"Disallow: /{edition}/{private}" in lines
        assert f"Allow: /{edition}/plus/about/" in lines
        assert f"Sitemap: {HOST}/{edition}/sitemap.xml" in lines
        assert f"Sitemap: {HOST}/{edition}/sitemap-news.xml" in lines


def test_robots_txt_gives_the_host_the_crawler_asked_for(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost")

    assert "Sitemap: http://localhost/be/sitemap.xml" in response.text.splitlines()


def month_sitemap(moment):
    """The address of the sitemap of the month `moment` falls in, locally."""
    local = timezone.localtime(moment)
    return f"/en/sitemap-articles-{local:%Y-%m}.xml"


def test_the_sitemap_index_points_to_the_sections_and_this_months_articles(client, newsroom):
    root = xml_of(client.get("/en/sitemap.xml"))

    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locations(root, "sm:sitemap") == [
        f"{HOST}/en/sitemap-sections.xml",
        HOST + month_sitemap(newsroom["gated"].published_at),
    ]


def test_the_articles_sitemap_lists_published_articles_newest_first_with_lastmod(client, newsroom):
    free, gated = newsroom["free"], newsroom["gated"]
    assert month_sitemap(free.published_at) == month_sitemap(gated.published_at)
    root = xml_of(client.get(month_sitemap(gated.published_at)))

    assert locations(root) == [
        HOST + gated.get_absolute_url(),
        HOST + free.get_absolute_url(),
    ]
    lastmods = [u.findtext("sm:lastmod", namespaces=NS) for u in root.findall("sm:url", NS)]
    assert datetime.fromisoformat(lastmods[0]) == to_the_second(gated.updated_at)
    assert datetime.fromisoformat(lastmods[1]) == to_the_second(free.updated_at)


def test_an_article_scheduled_then_published_is_last_modified_at_publication(client, politics):
    """Edited yesterday for today: its last change for readers is going live."""
    article = ArticleFactory(section=politics)
    went_live = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=article.pk).update(
        updated_at=went_live - timedelta(days=1), published_at=went_live
    )

    root = xml_of(client.get(month_sitemap(went_live)))

    lastmod = root.find("sm:url/sm:lastmod", NS).text
    assert datetime.fromisoformat(lastmod) == to_the_second(went_live)


def test_the_archive_is_split_into_one_sitemap_a_month_listed_in_the_index(client, politics):
    from datetime import datetime as at

    def local(*when):
        return timezone.make_aware(at(*when))

    november = ArticleFactory(section=politics, published_at=local(2026, 11, 3, 9, 0))
    last_of_august = ArticleFactory(section=politics, published_at=local(2026, 8, 31, 23, 59))
    first_of_august = ArticleFactory(section=politics, published_at=local(2026, 8, 1, 0, 0))
    ArticleFactory(section=politics, draft=True)

    index = locations(xml_of(client.get("/en/sitemap.xml")), "sm:sitemap")

    months = ["2026-11", "2026-10", "2026-09", "2026-08"]
    assert index == [f"{HOST}/en/sitemap-sections.xml"] + [
        f"{HOST}/en/sitemap-articles-{month}.xml" for month in months
    ]
    pages = {
        month: locations(xml_of(client.get(f"/en/sitemap-articles-{month}.xml")))
        for month in months
    }
    assert pages == {
        "2026-11": [HOST + november.get_absolute_url()],
        "2026-10": [],
        "2026-09": [],
        "2026-08": [
            HOST + last_of_august.get_absolute_url(),
            HOST + first_of_august.get_absolute_url(),
        ],
    }
    for outside in ["2026-12", "2026-07", "2026-13", "2026-00", "1900-01"]:
        assert client.get(f"/en/sitemap-articles-{outside}.xml").status_code == 404, outside
    assert client.get("/en/sitemap-articles-2026-08.xml?p=2").status_code == 404
    assert client.get("/en/sitemap-articles-2026-08.xml?p=x").status_code == 404
    # The address of the sitemap when it was paged by number leads to the index.
    response = client.get("/en/sitemap-articles.xml?p=3")
    assert response.status_code == 301 and response["Location"] == "/en/sitemap.xml"


def test_the_sections_sitemap_lists_active_sections(client, politics):
    SectionFactory(name="Economy", slug="economy")
    SectionFactory(name="Archive", slug="archive", is_active=False)

    root = xml_of(client.get("/en/sitemap-sections.xml"))

    assert locations(root) == [f"{HOST}/en/politics/", f"{HOST}/en/economy/"]


def test_a_pozirk_piece_is_listed_by_its_address_and_headline_only(client, newsroom):
    sitemaps = [
        "/en/sitemap.xml",
        month_sitemap(newsroom["gated"].published_at),
        "/en/sitemap-news.xml",
    ]
    for url in sitemaps:
        assert CANARY not in client.get(url).content.decode(), url
    assert "The minister&#x27;s ledgers" in client.get("/en/sitemap-news.xml").content.decode()


def test_an_unknown_sitemap_is_not_found(client):
    assert client.get("/en/sitemap-authors.xml").status_code == 404


# Google News sitemap


def test_the_news_sitemap_lists_the_last_two_days_for_google_news(client, politics):
    recent = ArticleFactory(
        headline="Talks & tariffs: <what> changed",
        section=politics,
        language="be",
        published_at=timezone.now() - timedelta(hours=2),
    )
    ArticleFactory(
        headline="Old news", section=politics, published_at=timezone.now() - timedelta(days=3)
    )
    ArticleFactory(headline="A draft nobody sees", section=politics, draft=True)
    ArticleFactory(headline="Tomorrow's piece", section=politics, scheduled=True)

    # The Belarusian edition's: its own language's articles only.
    response = client.get("/be/sitemap-news.xml")
    root = xml_of(response)

    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in response.text
    (url,) = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == HOST + recent.get_absolute_url()
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "be"
    assert news.findtext("news:title", namespaces=NS) == "Talks & tariffs: <what> changed"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == to_the_second(recent.published_at)
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_lacinka_editions_news_sitemap_names_its_pages_in_lacinka(client, politics):
    recent = ArticleFactory(
        headline="Сход у Вільні",
        section=politics,
        language="be",
        published_at=timezone.now() - timedelta(hours=2),
    )

    (url,) = xml_of(client.get("/be-latn/sitemap-news.xml")).findall("sm:url", NS)

    latin = HOST + recent.get_absolute_url().replace("/be/", "/be-latn/")
    assert url.findtext("sm:loc", namespaces=NS) == latin
    assert url.findtext("news:news/news:title", namespaces=NS) == "Schod u Vilni"


def test_the_news_sitemap_holds_at_most_its_limit_newest_first(client, politics, monkeypatch):
    monkeypatch.setattr(seo_views, "NEWS_LIMIT", 2)
    articles = [
        ArticleFactory(section=politics, published_at=timezone.now() - timedelta(hours=hour))
        for hour in range(1, 4)
    ]

    root = xml_of(client.get("/en/sitemap-news.xml"))

    assert locations(root) == [HOST + a.get_absolute_url() for a in articles[:2]]


# Article pages


def test_a_free_article_carries_news_article_json_ld(client, newsroom):
    article = newsroom["free"]

    head = head_of(client.get(article.get_absolute_url()))

    (data,) = head.json_ld
    url = HOST + article.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Free: the border reopens"
    assert data["description"] == "Queues at the crossing."
    assert datetime.fromisoformat(data["datePublished"]) == to_the_second(article.published_at)
    assert datetime.fromisoformat(data["dateModified"]) == to_the_second(article.updated_at)
    assert data["author"] == [
        {"@type": "Person", "name": "Anna Kovalenko", "url": f"{HOST}/en/author/anna-kovalenko/"}
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert data["articleSection"] == ["Politics"]
    assert data["inLanguage"] == "en"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["isAccessibleForFree"] is True
    assert "hasPart" not in data
    assert "image" not in data


def test_the_publisher_logo_is_a_real_png_of_the_size_it_claims(client, newsroom):
    head = head_of(client.get(newsroom["free"].get_absolute_url()))

    logo = head.json_ld[0]["publisher"]["logo"]
    assert logo["url"] == f"{HOST}/static/img/logo.png"
    with Image.open(settings.BASE_DIR / "static/img/logo.png") as image:
        assert image.format == "PNG"
        assert image.size == (logo["width"], logo["height"])
        assert image.width <= 600 and image.height <= 60
    assert finders.find("img/logo.png")  # collected with the site's other static files


def test_a_pozirk_article_is_marked_not_free_and_its_markup_holds_no_gated_text(client, newsroom):
    article = newsroom["gated"]

    response = client.get(article.get_absolute_url())
    head = head_of(response)

    (data,) = head.json_ld
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".story__paywalled",
    }
    # The part it points to is the gate shown instead of the body.
    assert '<aside class="gate story__paywalled"' in response.text
    assert CANARY not in json.dumps(data, ensure_ascii=False)
    assert not [content for content in head.raw_meta if CANARY in content]
    assert CANARY not in response.text


def test_a_subscriber_reads_the_gated_text_in_the_body_and_never_in_the_head(client, newsroom):
    member = make_subscriber()
    client.force_login(member)

    response = client.get(newsroom["gated"].get_absolute_url())

    assert CANARY in response.text
    head = response.text[: response.text.index("</head>")]
    assert CANARY not in head
    assert head_of(response).json_ld[0]["isAccessibleForFree"] is False


def test_a_gift_link_page_stays_out_of_search_results_and_its_key_out_of_the_markup(
    client, newsroom
):
    member = make_subscriber()
    gift = GiftLink.objects.issue(member, newsroom["gated"])

    response = client.get(gift.get_absolute_url())
    head = head_of(response)

    assert CANARY in response.text  # the gift opens it
    assert head.one("robots") == "noindex"
    canonical = HOST + newsroom["gated"].get_absolute_url()
    assert head.links["canonical"] == [canonical]
    assert head.one("og:url") == canonical
    assert head.json_ld[0]["url"] == canonical
    assert gift.key not in response.text[: response.text.index("</head>")]
    assert CANARY not in response.text[: response.text.index("</head>")]


def test_an_article_page_is_not_noindex_for_readers(client, newsroom):
    head = head_of(client.get(newsroom["free"].get_absolute_url()))

    assert "robots" not in head.meta


def test_an_agency_story_is_authored_by_the_newsroom(client, politics):
    article = ArticleFactory(section=politics)

    head = head_of(client.get(article.get_absolute_url()))

    author = head.json_ld[0]["author"]
    assert author["@type"] == "NewsMediaOrganization"
    assert author["name"] == settings.SITE_NAME
    assert author["url"] == f"{HOST}/en/"


def test_an_article_with_a_lead_image_has_opengraph_and_a_large_twitter_card(client, politics):
    economy = SectionFactory(name="Economy", slug="economy")
    article = ArticleFactory(
        headline="Potash exports fall",
        dek="Sanctions bite.",
        section=politics,
        also_in=[economy],
        language="ru",
        lead_image_alt="A potash mine at dusk",
    )
    article.lead_image.save("lead.jpg", ContentFile(image_bytes(300, 200)))

    head = head_of(client.get(article.get_absolute_url()))

    url = HOST + article.get_absolute_url()
    image = HOST + article.lead_image.url
    assert image.startswith(f"{HOST}/media/lead/")
    assert head.links["canonical"] == [url]
    assert head.one("description") == "Sanctions bite."
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "Potash exports fall"
    assert head.one("og:description") == "Sanctions bite."
    assert head.one("og:url") == url
    assert head.one("og:site_name") == settings.SITE_NAME
    assert head.one("og:locale") == "ru_RU"
    assert head.one("og:image") == image
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("300", "200")
    assert head.one("og:image:alt") == "A potash mine at dusk"
    published = datetime.fromisoformat(head.one("article:published_time"))
    assert published == to_the_second(article.published_at)
    assert datetime.fromisoformat(head.one("article:modified_time")) >= published
    assert head.meta["article:section"] == ["Politics", "Economy"]
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == "Potash exports fall"
    assert head.one("twitter:description") == "Sanctions bite."
    assert head.one("twitter:image") == image
    (data,) = head.json_ld
    assert data["image"] == [image]
    assert data["articleSection"] == ["Politics", "Economy"]
    assert data["inLanguage"] == "ru"


def test_an_article_without_an_image_has_a_small_twitter_card(client, newsroom):
    head = head_of(client.get(newsroom["free"].get_absolute_url()))

    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta and "twitter:image" not in head.meta


def test_a_headline_cannot_break_out_of_the_json_ld(client, politics):
    headline = "Ends here </script><script>alert(1)</script> & <!-- more"
    article = ArticleFactory(headline=headline, section=politics)

    response = client.get(article.get_absolute_url())

    assert "<script>alert(1)" not in response.text
    assert head_of(response).json_ld[0]["headline"] == headline


# Headline feeds


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(HeadlineFeedView, "paginate_by", 2)


def test_a_paginated_section_links_its_pages_in_the_head(client, politics, two_per_page):
    for hour in range(1, 6):
        ArticleFactory(section=politics, published_at=timezone.now() - timedelta(hours=hour))

    first = head_of(client.get("/en/politics/"))
    assert first.links["canonical"] == [f"{HOST}/en/politics/"]
    assert "prev" not in first.links
    assert first.links["next"] == [f"{HOST}/en/politics/?page=2"]

    second = head_of(client.get("/en/politics/?page=2&utm_source=newsletter"))
    assert second.links["canonical"] == [f"{HOST}/en/politics/?page=2"]
    assert second.links["prev"] == [f"{HOST}/en/politics/"]
    assert second.links["next"] == [f"{HOST}/en/politics/?page=3"]

    last = head_of(client.get("/en/politics/?page=3"))
    assert last.links["canonical"] == [f"{HOST}/en/politics/?page=3"]
    assert last.links["prev"] == [f"{HOST}/en/politics/?page=2"]
    assert "next" not in last.links


def test_the_home_page_describes_the_newsroom(client, newsroom, two_per_page):
    ArticleFactory(published_at=timezone.now() - timedelta(days=1))

    first = head_of(client.get("/en/"))

    assert first.links["canonical"] == [f"{HOST}/en/"]
    assert first.links["next"] == [f"{HOST}/en/?page=2"]
    (organization,) = first.json_ld
    assert organization == {
        "@context": "https://schema.org",
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": f"{HOST}/en/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{HOST}/static/img/logo.png",
            "width": 200,
            "height": 60,
        },
    }
    assert head_of(client.get("/en/?page=2")).links["prev"] == [f"{HOST}/en/"]


def test_the_same_feed_asked_on_another_host_or_edition_names_that_host_and_edition(
    client, newsroom, two_per_page, settings
):
    """A feed page's head is built once per address: the host and the edition
    are part of the address, so neither reuses the other's links."""
    ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    settings.NEWSROOM_PUBLIC_URL = ""
    assert head_of(client.get("/en/")).json_ld[0]["url"] == f"{HOST}/en/"

    other = head_of(client.get("/en/", HTTP_HOST="localhost"))
    assert other.links["canonical"] == ["http://localhost/en/"]
    assert other.json_ld[0]["url"] == "http://localhost/en/"
    assert "http://localhost/be/" in other.links["alternate"]  # hreflang="be"

    russian = head_of(client.get("/ru/"))
    assert russian.links["canonical"] == [f"{HOST}/ru/"]
    assert russian.json_ld[0]["url"] == f"{HOST}/ru/"
    assert head_of(client.get("/en/")).links["canonical"] == [f"{HOST}/en/"]


# Query budget


def build_archive(count):
    sections = [SectionFactory(name=name) for name in ["Politics", "Economy", "Society"]]
    authors = [AuthorFactory() for _ in range(3)]
    for i in range(count):
        ArticleFactory(
            section=sections[i % 3],
            also_in=[sections[(i + 1) % 3]],
            authors=authors[i % 3 : i % 3 + 2],
            tags=["Belarus"],
            gated=i % 3 == 0,
            published_at=timezone.now() - timedelta(hours=i % 40 + 1),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # The newest and the oldest article (the months between them).
        ("/en/sitemap.xml", 2),
        # The archive's months, then the month's count and its page (the
        # primary section joined).
        ("this month", 4),
        ("/en/sitemap-sections.xml", 2),
        # One query: the section is joined.
        ("/en/sitemap-news.xml", 1),
    ],
)
def test_sitemaps_cost_the_same_for_5_and_40_articles(client, url, budget):
    """Guards against a query per article (the section's slug for each address)."""
    if url == "this month":
        url = month_sitemap(timezone.now() - timedelta(hours=1))
    build_archive(5)
    small = count_queries(client, url)

    build_archive(35)
    large = count_queries(client, url)

    assert small == large <= budget


def test_tag_and_author_pages_link_their_pages_in_the_head(client, politics, two_per_page):
    from tests.factories import AuthorFactory

    author = AuthorFactory(name="Anna Kovalenko", slug="anna-kovalenko")
    for hour in range(1, 4):
        ArticleFactory(
            section=politics,
            tags=["Border"],
            authors=[author],
            published_at=timezone.now() - timedelta(hours=hour),
        )

    for path in ["/en/tag/border/", "/en/author/anna-kovalenko/"]:
        head = head_of(client.get(path))
        assert head.links["canonical"] == [f"{HOST}{path}"]
        assert head.links["next"] == [f"{HOST}{path}?page=2"]
        assert "alternate" in head.links
