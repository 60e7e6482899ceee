"""The site's editions: Belarusian, Russian and English, each at its own
prefix (/be/, /ru/, /en/), and the Belarusian edition in Łacinka (/be-latn/).

An edition is Django's active language (settings.LANGUAGES; LocaleMiddleware
takes it from the address's prefix, so a crawler always gets the edition its
address names). Its pages list the articles in its language and speak it
(the catalogues in locale/). The Łacinka edition lists the Belarusian
articles and uses the Belarusian catalogue; LacinkaMiddleware transliterates
its pages' text as they are sent.

The language switch (`switch`) remembers the reader's choice in a cookie,
which LocaleMiddleware reads when an address has no prefix (a first visit
to /): without one, Accept-Language decides.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import redirect
from django.urls import (
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article
from articles.text import lacinka

LACINKA = "be-latn"
EDITIONS = dict(settings.LANGUAGES)
# How each edition is written in a `lang` attribute (BCP 47).
HTML_LANG = {LACINKA: "be-Latn"}
# Each edition's name in itself, short, for the switch.
SWITCH_NAMES = {"be": "Беларуская", "ru": "Русский", "en": "English", LACINKA: "Łacinka"}


def current():
    """The edition being shown."""
    return translation.get_language() or settings.LANGUAGE_CODE


def article_language(edition=None):
    """The language of the articles `edition` (default: the current one) lists."""
    edition = edition or current()
    return "be" if edition == LACINKA else edition


def html_lang(code=None):
    """`code` (an edition, or an article's language: default, the current
    edition) as a `lang` attribute says it; in the Łacinka edition Belarusian
    text is in Latin script."""
    code = code or current()
    if code == "be" and current() == LACINKA:
        code = LACINKA
    return HTML_LANG.get(code, code)


def switch_choices():
    """The editions the switch offers on a page of the current one: the
    three languages, and in Belarusian the other script."""
    here = current()
    codes = ["be", "ru", "en"]
    if article_language(here) == "be":
        codes.append(LACINKA if here == "be" else "be")
        if here == LACINKA:
            codes[0] = LACINKA
    return [
        {
            "code": code,
            "name": "Кірыліца" if here == LACINKA and code == "be" else SWITCH_NAMES[code],
            "lang": HTML_LANG.get(code, code),
            "current": code == here,
        }
        for code in codes
    ]


def alternates(request, article=None):
    """This page in every edition, for hreflang: [{"lang", "url"}], absolute,
    x-default last. An article's are itself and its published translations
    (x-default: the one in the default edition's language, else itself);
    any other page's are its address under each prefix (x-default: the
    address without one, which sends each reader to their edition). On the
    public domain, as the canonical link is (`crawler_url`)."""
    found = []
    if article is not None:
        found = [{"lang": lang, "url": path} for lang, path in alternate_paths(article)]
    else:
        # A key in the address (a newsletter or sign-in link) is not kept.
        translate = translated_path if keeps_address(request) else translate_url
        for code in EDITIONS:
            found.append(
                {"lang": HTML_LANG.get(code, code), "url": translate(request.path_info, code)}
            )
        prefix = f"/{current()}/"
        if request.path_info.startswith(prefix):
            found.append(
                {"lang": "x-default", "url": get_script_prefix() + request.path_info[len(prefix) :]}
            )
    for alternate in found:
        alternate["url"] = crawler_url(request, alternate["url"])
    return found


def keeps_address(request):
    """May this process keep what it works out from `request`'s address? For
    the reader's public pages (reading.urls) only: other pages' addresses
    may hold someone's key (a newsletter link's, a sign-in link's)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespace == "articles"


def translated_path(path, code):
    """translate_url(path, code) for `path` as the URL patterns see it (no
    script prefix; the answer has one), worked out once per process: every
    page names its alternates, each a resolve() and a reverse() (a tenth of
    a cached feed page's render). The answer depends on the path, the
    edition it is read in, the URLconf and the script prefix: the key."""
    return _translated(
        path,
        code,
        current(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


# Bounded: a path is the reader's to choose.
@lru_cache(maxsize=10_000)
def _translated(path, code, edition, urlconf, prefix):
    return translate_url(path, code)


@receiver(setting_changed)
def _forget_translations(setting, **kwargs):
    # Tests swap the URL patterns or the editions.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _translated.cache_clear()


def crawler_url(request, path):
    """`path` as search engines are to know it: on the public domain
    (NEWSROOM_PUBLIC_URL) whichever host was asked, the onion service or a
    mirror, so that a page's canonical address and its alternates in the
    other editions agree; on the host asked when no public domain is set."""
    public = settings.NEWSROOM_PUBLIC_URL
    return f"{public}{path}" if public else request.build_absolute_uri(path)


def alternate_paths(article):
    """[(hreflang, path)] of `article` (with its `translated` articles) in
    every edition that shows it or a translation, x-default last: the one in
    the default edition's language, else the article itself."""
    pieces = [article, *getattr(article, "translated", [])]
    found = []
    for piece in pieces:
        for code in ("be", LACINKA) if piece.language == "be" else (piece.language,):
            with translation.override(code):
                found.append((HTML_LANG.get(code, code), piece.get_absolute_url()))
    default = next(
        (p for p in pieces if p.language == article_language(settings.LANGUAGE_CODE)), article
    )
    with translation.override(default.language):
        found.append(("x-default", default.get_absolute_url()))
    return found


def _edition_of(path):
    code = translation.get_language_from_path(path)
    return code if code in EDITIONS else None


def same_page_in(path, code):
    """The address of the page at `path` in edition `code`: an article's
    translation into its language (else its section's page there); any
    other page at the same address under the other prefix."""
    edition = _edition_of(path)
    if edition is None:
        return reverse("articles:home") if code == current() else _home(code)
    with translation.override(edition):
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            return _home(code)
        if match.view_name == "articles:article-detail":
            return _article_in(match.kwargs["slug"], code) or _home(code)
        return translate_url(path, code)


def _home(code):
    with translation.override(code):
        return reverse("articles:home")


def _article_in(slug, code):
    article = Article.objects.published().select_related("section").filter(slug=slug).first()
    if article is None:
        return None
    language = article_language(code)
    with translation.override(code):
        if article.language == language:
            return article.get_absolute_url()
        for translated in article.translations():
            if translated.language == language:
                return translated.get_absolute_url()
        return article.section.get_absolute_url()


def switch(request, code):
    """GET /language/<code>/?next=<the page>: remember the edition, then go
    to the same page in it. A plain link rather than a form, so that cached
    pages need no CSRF token; all it changes is this browser's cookie."""
    if code not in EDITIONS:
        raise Http404("No such edition.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    response = redirect(same_page_in(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


class EditionScopeMiddleware:
    """The edition LocaleMiddleware activates for a request lasts as long as
    the request: afterwards the thread speaks the language it spoke before,
    so that what it does next (a test's next step, a command) does not
    inherit the edition of the page it last served. Before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = translation.get_language()
        try:
            return self.get_response(request)
        finally:
            translation.activate(before) if before else translation.deactivate()


# --- Łacinka ---------------------------------------------------------------------

# What a page's text is split by: comments, scripts and styles (left as they
# are), and tags (their attribute values are text too: alt, title, labels).
_MARKUP = re.compile(
    r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.DOTALL | re.IGNORECASE
)
_BELARUSIAN_LANG = re.compile(r'(\slang=")be(")')
# An opening tag that says its element is in another language than
# Belarusian (the switch's "Русский"): its name, and the language.
_OTHER_LANGUAGE = re.compile(r'<([a-zA-Z][\w-]*)\b[^>]*\slang="(?!be\b)[^"]*"', re.IGNORECASE)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


def transliterate_html(html):
    """An HTML page with its Belarusian Cyrillic text in Łacinka: text and
    attribute values transliterated, tags and scripts as they were, and
    `lang="be"` said as `lang="be-Latn"`. An element marked as written in
    another language (lang="ru") is left as it is, with all it holds."""
    parts = _MARKUP.split(html)
    # While inside an element in another language: its tag name, and how
    # many elements of that name are open.
    foreign, depth = None, 0
    for index, part in enumerate(parts):
        if foreign is not None:
            tag = _TAG_NAME.match(part) if index % 2 else None
            if tag and tag[2].lower() == foreign:
                depth += -1 if tag[1] else 1
                if depth == 0:
                    foreign = None
        elif index % 2 == 0:
            parts[index] = lacinka(part)
        elif not part.startswith(("<!--", "<script", "<style", "<SCRIPT", "<STYLE")):
            other = _OTHER_LANGUAGE.match(part)
            if other is None:
                parts[index] = _BELARUSIAN_LANG.sub(r"\1be-Latn\2", lacinka(part))
            elif other[1].lower() not in _VOID and not part.endswith("/>"):
                foreign, depth = other[1].lower(), 1
    return "".join(parts)


# What the Łacinka edition transliterates: its pages; its RSS and Atom feeds,
# which its pages offer under a Łacinka title; and its sitemaps, whose news
# sitemap names each of its pages by its headline.
TRANSLITERATED_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
)


class LacinkaMiddleware:
    """The Łacinka edition's HTML pages, feeds and sitemaps, transliterated
    from the Belarusian they were rendered in. Inside the page cache, which
    keeps them so. A feed or sitemap is markup like a page: its text and
    attributes are transliterated, its tags, addresses and the escaped HTML of
    its entries keep their Latin letters as they were."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            translation.get_language() == LACINKA
            and not response.streaming
            and response.get("Content-Type", "").startswith(TRANSLITERATED_TYPES)
            # A download (a daily edition file) is signed as it was built:
            # changing a byte would break its signature (reach/editions.py).
            and not response.get("Content-Disposition", "").startswith("attachment")
        ):
            charset = response.charset or "utf-8"
            response.content = transliterate_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
