from urllib.parse import urlencode

from csp.constants import SELF
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from articles import embeds
from articles.models import LABEL_FIELDS, Article, Author, InfoPage, Listing, Section, Tag
from articles.search import RANKED_CANDIDATES, snippet
from paywall.access import (
    can_give_gift_link,
    can_read,
    has_plus,
    must_stay_private,
    opened_by_gift,
)
from paywall.models import GiftLink, GiftLinkLimitReached
from paywall.views import refuse_without_plus

from . import cache, days, editions, search_limits
from .forms import SearchForm
from .pagination import FeedPage, FeedPaginator


class HeadlineFeedView(ListView):
    """A paginated feed of published headlines; subclasses narrow it.

    The page's headlines are rendered from `feed_template` once per content
    version and kept (reading/cache.py), with whether an older page
    follows: readers who get no cached page (members, editors, a page the
    cache does not hold) cost the feed's queries only after a change. The
    page around them is rendered for each reader.

    Bad page numbers (?page=abc, 0, -1, past the end) are a 404. Pages are
    not counted (reading/pagination.py).
    """

    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    paginator_class = FeedPaginator
    feed_template = "reading/_feed.html"

    def listing(self):
        """The feed of Listing rows this page walks through."""
        return Listing.HOME

    def feed_context(self):
        """What both the page and its headlines show of the feed's owner."""
        return {}

    def articles(self):
        return Article.objects.for_feed(self.request.user)

    def get_queryset(self):
        return self.articles().listed_in(self.listing(), language=editions.article_language())

    def get(self, request, *args, **kwargs):
        try:
            number = self.paginator_class.validate_number(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from None
        # Members see POZIRK+ badges where others see the POZIRK+ line.
        parts = (
            self.feed_template,
            self.listing(),
            number,
            days.today(),
            has_plus(request.user),
        )
        feed = cache.kept(request, "feed", parts, self.render_feed)
        page = FeedPage([], number, feed["has_next"])
        return self.render_to_response(
            {
                **self.feed_context(),
                "view": self,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "feed": feed["html"],
            }
        )

    def get_template_names(self):
        # The page's own template: ListView would look at a queryset that
        # kept headlines never needed.
        return [self.template_name]

    def render_feed(self):
        """This page's headlines (a 404 past the end): {"html", "has_next"}."""
        self.object_list = self.get_queryset()
        context = {**self.get_context_data(), **self.feed_context()}
        return {
            "html": render_to_string(self.feed_template, context),
            "has_next": context["page_obj"].has_next(),
        }


def _load_section_labels(articles):
    """Fetch the section labels of headlines gathered from several querysets
    in one query, so that a page costs the same with or without pins (a
    queryset that finds nothing skips its prefetch). It stands in for the
    prefetch of ArticleQuerySet.for_headlines() and must load the same."""
    prefetch_related_objects(
        articles,
        Prefetch("sections", queryset=Section.objects.only(*LABEL_FIELDS)),
    )
    return articles


class CuratedFeedView(HeadlineFeedView):
    """A feed editors can curate: page 1 opens with the page's current pins,
    in their order; then, on every page, the other stories come newest first.

    Pinned stories are left out of the chronological part on every page, not
    only the first: paging then neither repeats a story nor skips one, and
    every page holds a full page of the feed (page 1 has the pins besides).
    """

    def pinned_page(self):
        """The section whose pins apply; None is the home page."""
        return None

    def get_queryset(self):
        # Fetched on every page, for the exclusion: a constant query.
        language = editions.article_language()
        self.pinned = list(
            self.articles()
            .in_language(language)
            .pinned_on(self.pinned_page())
            .prefetch_related(None)
        )
        return (
            self.articles()
            .prefetch_related(None)
            .listed_in(
                self.listing(), exclude=[article.pk for article in self.pinned], language=language
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        top_stories = [] if context["page_obj"].has_previous() else self.pinned
        latest = list(context["articles"])
        articles = _load_section_labels([*top_stories, *latest])
        context.update(
            articles=articles, object_list=articles, top_stories=top_stories, latest=latest
        )
        return context


class HomeView(CuratedFeedView):
    template_name = "reading/home.html"
    feed_template = "reading/_feed_home.html"

    def feed_context(self):
        # Here rather than a {% blocktranslate %}, which cost a page the page
        # cache missed about 20 µs, more than the rest of its header.
        return {"feed_title": _("Latest news from %(name)s") % {"name": settings.SITE_NAME}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["page_obj"].has_previous() and context["articles"]:
            # The first pin leads (position 1, or the next one up if that pin
            # lapsed); without pins, the newest story does.
            context["lead_story"] = context["articles"][0]
            if context["top_stories"]:
                context["top_stories"] = context["top_stories"][1:]
            else:
                context["latest"] = context["latest"][1:]
        return context


class SectionFeedView(CuratedFeedView):
    template_name = "reading/section_feed.html"
    feed_template = "reading/_feed_section.html"

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section.objects.active(), slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def pinned_page(self):
        return self.section

    def listing(self):
        return Listing.of_section(self.section)

    def feed_context(self):
        return {"section": self.section, "current_section_slug": self.section.slug}


class TagFeedView(HeadlineFeedView):
    template_name = "reading/tag_feed.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def listing(self):
        return Listing.of_tag(self.tag)

    def feed_context(self):
        return {"tag": self.tag}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A tag used only on drafts is not public yet. (Checked on the first
        # page itself rather than with allow_empty, which costs a query.)
        if not context["articles"]:
            raise Http404("No published articles with this tag.")
        return context


class AuthorFeedView(HeadlineFeedView):
    template_name = "reading/author_feed.html"

    def get(self, request, *args, **kwargs):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def listing(self):
        return Listing.of_author(self.author)

    def feed_context(self):
        return {"author": self.author}


class SearchView(ListView):
    """Search results in the headline-feed format. A bad query (too long, an
    unknown section or language) is answered with the form and a 400."""

    template_name = "reading/search.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    # Results are counted: there are at most RANKED_CANDIDATES of them.
    paginator_class = Paginator

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        self.form.offer_sections(cache.active_sections(request))
        self.object_list = Article.objects.none()
        if self.form.is_bound and not self.form.is_valid():
            return self.render_to_response({"form": self.form}, status=400)
        self.query = self.form.cleaned_data["q"] if self.form.is_bound else ""
        if not self.query:
            return self.render_to_response({"form": self.form})
        # A search the page cache did not answer: the database's work, limited
        # per client and per process (reading/search_limits.py). Readers
        # without a session were limited before their request got this far.
        if cache.is_anonymous(request):
            return self.results(request, *args, **kwargs)
        return search_limits.guarded(
            request,
            editions.current(),
            lambda request: self.results(request, *args, **kwargs),
        )

    def results(self, request, *args, **kwargs):
        # The queries run as the page renders: inside the search slot.
        return super().get(request, *args, **kwargs).render()

    def get_queryset(self):
        # Narrowed before the search: the newest matches ranked are those
        # the reader asked for.
        articles = Article.objects.all()
        if section := self.form.cleaned_data["section"]:
            articles = articles.in_section(section)
        # The edition's own language unless the reader asks for another, or all.
        language = self.form.cleaned_data["language"] or editions.article_language()
        if language != SearchForm.ANY_LANGUAGE:
            articles = articles.in_language(language)
        return articles.search(self.query, self.request.user)

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if (found := getattr(queryset, "found", None)) is not None:
            # Counted by the search already (ArticleQuerySet.search).
            paginator.count = found
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form, query=self.query, ranked_limit=RANKED_CANDIDATES, **kwargs
        )
        for article in context["articles"]:
            article.snippet = snippet(article, self.query)
        context["page_query"] = self.request.GET.copy()
        context["page_query"].pop("page", None)
        return context


def _live_article(slug):
    """The live article at `slug` (else a 404), with its translations."""
    article = get_object_or_404(Article.objects.for_detail(), slug=slug)
    article.translated = article.translations()
    return article


def article_detail(request, section, slug):
    # The article as this content version has it: read once per change, not
    # once per reader. (An address that is not a live article is a 404 and
    # is not kept.) Whether this reader may read it is still asked below.
    article = cache.kept(request, "article", (slug,), lambda: _live_article(slug))
    gift_key = request.GET.get("gift")
    if article.section.slug != section or article.language != editions.article_language():
        # The primary section changed, the link was mistyped, or it names
        # another edition: one address per article, in its language's
        # edition. A gift key travels along.
        url = article.get_absolute_url()
        return redirect(
            f"{url}?{urlencode({'gift': gift_key})}" if gift_key else url, permanent=True
        )
    article.is_unlocked = can_read(request.user, article, gift_key)
    article.opened_by_gift = opened_by_gift(request.user, article, article.is_unlocked)
    article.can_give_gift = can_give_gift_link(request.user, article)
    # Built only if the list is not kept (reading/cache.py): building the
    # query costs more than fetching the kept list.
    more_headlines = SimpleLazyObject(
        lambda: Article.objects.for_feed(request.user).more_like(article)[
            : settings.NEWSROOM_MORE_HEADLINES
        ]
    )
    new_gift_url = _new_gift_url(request, article)
    response = render(
        request,
        "reading/article_detail.html",
        {
            "article": article,
            "story": cache.story(request, article),
            "more_headlines": more_headlines,
            "current_section_slug": article.section.slug,
            "gift_key": gift_key if article.opened_by_gift else None,
            "new_gift_url": new_gift_url,
        },
    )
    if must_stay_private(article, article.is_unlocked) or new_gift_url:
        # Gated text, or a member's own gift link, is in this response: no
        # shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
    if gift_key or new_gift_url:
        # A gift link must not leak through the Referer of links on the page.
        response["Referrer-Policy"] = "no-referrer"
    return response


def _new_gift_url(request, article):
    """The full address of the gift link the reader has just made for
    `article` (create_gift_link put its key in their session), shown to
    them once; None on any other visit."""
    if not request.user.is_authenticated:
        return None
    key = request.session.pop(cache.NEW_GIFT_LINK_SESSION_KEY, None)
    if key is None:
        return None
    gift = GiftLink.objects.filter(key=key, created_by=request.user, article=article).first()
    if gift is None or not gift.is_valid:
        return None
    # Absolute on the host the member is reading, as the account page lists it.
    return request.build_absolute_uri(gift.get_absolute_url())


def info_page(request, kind):
    """The edition's about, contact or privacy page (the footer links them),
    as its editors last saved it; read once per content version."""
    page = cache.kept(
        request,
        "info-page",
        (kind,),
        lambda: get_object_or_404(
            InfoPage.objects.for_edition(editions.article_language()), kind=kind
        ),
    )
    return render(request, "reading/info_page.html", {"page": page})


class MembersFeedView(HeadlineFeedView):
    """POZIRK+ headlines for members. Anonymous readers are sent to what
    POZIRK+ is; readers without POZIRK+ are told what it is (403)."""

    template_name = "paywall/plus_feed.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            # A visitor is told what POZIRK+ is and how to join (with a way
            # to log in there), not shown a bare login form.
            return redirect("paywall:plus-about")
        if not has_plus(request.user):
            return refuse_without_plus(request)
        return super().dispatch(request, *args, **kwargs)

    def listing(self):
        return Listing.PLUS


@login_required
@require_POST
def create_gift_link(request, article_id):
    article = get_object_or_404(Article.objects.published().plus(), pk=article_id)
    if not can_give_gift_link(request.user, article):
        return refuse_without_plus(request)
    try:
        gift = GiftLink.objects.issue(request.user, article)
    except GiftLinkLimitReached as limit:
        messages.error(
            request,
            _("You have used this month's %(limit)s gift links.") % {"limit": limit.args[0]},
        )
        return redirect(article)
    messages.success(
        request,
        _("Gift link created. Anyone with it can read “%(headline)s” until %(date)s.")
        % {
            "headline": article.headline,
            "date": date_format(timezone.localtime(gift.expires_at), "DATETIME_FORMAT"),
        },
    )
    # Back to the article, which shows the new link to its giver once
    # (the key travels in the session, never in an address).
    request.session[cache.NEW_GIFT_LINK_SESSION_KEY] = gift.key
    return redirect(f"{article.get_absolute_url()}#new-gift-link")


@xframe_options_sameorigin
def embed_frame(request):
    """Our own page around one embedded video or post, opened in a frame of
    the article page when the reader clicks its placeholder.

    The article page's policy lets it frame nothing but this site; this page's
    policy lets it frame only the one provider its link belongs to, and only
    this site may frame it. So nothing is asked of a provider before the
    click, and a click opens exactly one. A link we do not recognise is a 404.
    """
    embed = embeds.recognise(request.GET.get("url", ""))
    if embed is None:
        raise Http404("Not something we embed.")
    response = render(request, "reading/embed_frame.html", {"embed": embed})
    response._csp_replace = {"frame-src": [embed.provider.origin], "frame-ancestors": [SELF]}
    response["X-Robots-Tag"] = "noindex"
    return response
