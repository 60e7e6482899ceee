"""Articles get readable Latin addresses and bodies free of active content."""

import pytest

from articles.models import Article
from articles.text import latin_slug
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "headline", "slug"),
    [
        ("en", "Łukašenka meets with US envoy", "lukasenka-meets-with-us-envoy"),
        ("be", "Лукашэнка сустрэўся з амбасадарам", "lukasenka-sustreusia-z-ambasadaram"),
        ("be", "У Магілёве зачынілі кнігарню", "u-mahiliovie-zacynili-kniharniu"),
        ("ru", "Лукашенко встретился с послом", "lukashenko-vstretilsya-s-poslom"),
        ("en", "Cichanoŭskaja: “We will return”", "cichanouskaja-we-will-return"),
    ],
)
def test_headlines_in_any_alphabet_give_readable_latin_slugs(language, headline, slug):
    assert ArticleFactory(headline=headline, language=language).slug == slug


def test_belarusian_cyrillic_and_lacinka_give_the_same_slug():
    cyrillic = ArticleFactory(headline="Лукашэнка ў Менску", language="be")
    lacinka = ArticleFactory(headline="Łukašenka ŭ Miensku", language="be")

    assert cyrillic.slug == "lukasenka-u-miensku"
    assert lacinka.slug == "lukasenka-u-miensku-2"


def test_a_headline_with_nothing_to_transliterate_still_gets_a_slug():
    assert ArticleFactory(headline="!!! ???").slug == "article"


def test_long_headlines_are_cut_at_a_word_boundary():
    slug = latin_slug("word " * 40)
    assert len(slug) <= 80
    assert slug.endswith("word")


def test_two_articles_with_one_headline_never_share_an_address():
    first = ArticleFactory(headline="Court hearing postponed")
    second = ArticleFactory(headline="Court hearing postponed")

    assert first.slug == "court-hearing-postponed"
    assert second.slug == "court-hearing-postponed-2"
    assert first.get_absolute_url() != second.get_absolute_url()


def test_the_slug_stays_when_the_headline_is_edited_after_publication(client):
    article = ArticleFactory(headline="Original headline")
    url = article.get_absolute_url()

    article.headline = "A corrected, better headline"
    article.save()

    assert article.slug == "original-headline"
    assert client.get(url).status_code == 200
    assert "A corrected, better headline" in client.get(url).text


def test_script_and_event_handlers_are_removed_on_every_save(client):
    article = ArticleFactory(
        body='<p onclick="steal()">Fine words.</p><script>alert("x")</script>'
        '<p><a href="javascript:alert(1)">bad link</a> <a href="https://example.org">good</a></p>'
    )

    stored = Article.objects.get(pk=article.pk).body
    assert "<script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "Fine words." in stored and 'href="https://example.org"' in stored

    html = client.get(article.get_absolute_url()).text
    assert "steal()" not in html and 'alert("x")' not in html
    assert "Fine words." in html


def test_markup_written_around_the_model_is_still_cleaned_on_display(client):
    article = ArticleFactory(body="<p>Clean.</p>")
    Article.objects.filter(pk=article.pk).update(body='<p>Clean.</p><img src=x onerror="steal()">')

    html = client.get(article.get_absolute_url()).text

    assert "onerror" not in html and "steal()" not in html


def test_a_section_slug_cannot_shadow_the_sites_own_addresses():
    from django.core.exceptions import ValidationError

    section = SectionFactory.build(name="Tags", slug="tag")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "used by the site itself" in str(error.value)


def _first_words_of_the_other_pages():
    """The first word of every address under an edition's prefix that is not
    one of the reader's pages (reading.urls), which the URL patterns try first."""
    from django.urls import URLResolver, get_resolver

    (editions,) = [p for p in get_resolver().url_patterns if hasattr(p.pattern, "language_prefix")]
    words = set()

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver) and not str(entry.pattern):
                walk(entry.url_patterns, route)
            else:
                words.add(route.split("/")[0])

    walk([p for p in editions.url_patterns if getattr(p, "namespace", None) != "articles"], "")
    # Files (sitemap.xml) hold a dot, which no slug does.
    return {word for word in words if "." not in word and not word.startswith("^")}


def test_no_page_of_the_site_is_taken_for_a_section(client):
    """The reader's pages are tried first, so a section's address must never
    swallow another app's: every word those begin with is reserved."""
    from articles.models import RESERVED_SECTION_SLUGS

    words = _first_words_of_the_other_pages()
    assert {"accounts", "feeds", "newsletters", "plus", "preview", "mirrors"} <= words
    assert words <= RESERVED_SECTION_SLUGS
    assert client.get("/en/mirrors/").status_code == 200
    assert client.get("/en/feeds/rss/").status_code == 200
    assert client.get("/en/accounts/login/").status_code == 200
