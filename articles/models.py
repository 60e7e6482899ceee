from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from paywall.access import Access, readable_q

from . import search as search_index
from .addresses import address
from .images import validate_image_upload
from .text import first_paragraphs, latin_slug, unique_slug

# Languages with their own names for sections and authors besides the
# English one in `name` (Section.name_be, Author.bio_ru…).
PER_LANGUAGE = ("be", "ru")

# What a section label reads (its names, address and order): headlines,
# the navigation.
LABEL_FIELDS = ("name", "name_be", "name_ru", "slug", "position")

# URL segments the site itself uses at its top level: a section may not take
# one, or its pages would be shadowed.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "about", "accounts", "admin", "api", "author", "authors", "contact", "edition",
        "embed", "feeds", "media", "mirrors", "newsletters", "plus", "preview", "privacy",
        "robots-txt", "search", "section", "sitemap", "static", "tag", "tags",
    }
)  # fmt: skip

BODY_EDITOR_CONFIG = {
    # What the editor offers is exactly what the sanitiser keeps.
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "History": True,
        # Our own blocks (articles/body_editor.py, body-blocks.js).
        "BodyImage": True,
        "PullQuote": True,
        "Embed": True,
    }
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site itself; choose another slug."),
            params={"slug": value},
            code="reserved",
        )


# "More headlines" ranks this many of the newest pieces (and the related ones
# an editor chose) by kinship with the article being read.
MORE_LIKE_CANDIDATES = 500

# Stored search documents: large, and needed only by the search itself.
SEARCH_FIELDS = (
    "search_text_public",
    "search_text_full",
    "search_norm_public",
    "search_norm_full",
    "search_vector_public",
    "search_vector_full",
)


def staff_reference(verbose_name):
    """Who did something to a piece of content (created it, pinned it…): kept
    for the record, never shown in a form, and left empty if the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def in_reading_language(obj, field):
    """`obj.field` in the language of the edition being shown: its
    `field_be` or `field_ru` where the editors gave one, else `field` itself
    (English, and the fallback). The Łacinka edition reads the Belarusian."""
    language = (get_language() or "").split("-")[0]
    if language in PER_LANGUAGE:
        return getattr(obj, f"{field}_{language}") or getattr(obj, field)
    return getattr(obj, field)


class Language(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    BELARUSIAN = "be", _("Belarusian")
    ENGLISH = "en", _("English")


class Status(models.TextChoices):
    """Where an article stands: draft → in review → published (live, or
    scheduled when its time is in the future) → unpublished. The moves
    between them, and who may make them, are in articles/workflow.py."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class SectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_navigation(self):
        return self.active().only(*LABEL_FIELDS)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("The section's address: /politics/. Changing it breaks old links."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site navigation, lowest first.")
    )
    name_be = models.CharField(
        _("name in Belarusian"),
        max_length=80,
        blank=True,
        help_text=_("Shown in the Belarusian edition; left empty, the name above is."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=80,
        blank=True,
        help_text=_("Shown in the Russian edition; left empty, the name above is."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown under the section's name on its page.")
    )
    description_be = models.TextField(_("description in Belarusian"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Inactive sections leave the navigation and their page, but their "
            "articles stay online. Use this instead of deleting a section."
        ),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:section-feed", slug=self.slug)

    @property
    def local_name(self):
        """The name in the edition's language (in_reading_language)."""
        return in_reading_language(self, "name")

    @property
    def local_description(self):
        return in_reading_language(self, "description")


class Author(models.Model):
    """A byline. Not necessarily a user: guest writers and pen names have none."""

    name = models.CharField(_("name"), max_length=120)
    name_be = models.CharField(
        _("name in Belarusian"),
        max_length=120,
        blank=True,
        help_text=_("As the Belarusian edition writes it; left empty, the name above is."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=120,
        blank=True,
        help_text=_("As the Russian edition writes it; left empty, the name above is."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("short bio"), blank=True)
    bio_be = models.TextField(_("short bio in Belarusian"), blank=True)
    bio_ru = models.TextField(_("short bio in Russian"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="authors/%Y/", blank=True, validators=[validate_image_upload]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        # Only staff: editors choosing a byline's account never see readers.
        limit_choices_to={"is_staff": True},
        help_text=_("Optional: the staff account this author logs in with."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author.objects.exclude(pk=self.pk), self.name, "author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("articles:author-feed", slug=self.slug)

    @property
    def local_name(self):
        """The name in the edition's language (in_reading_language)."""
        return in_reading_language(self, "name")

    @property
    def local_bio(self):
        return in_reading_language(self, "bio")


class Tag(TagBase):
    """A tag whose slug is Latin whatever the alphabet of its name."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def slugify(self, tag, i=None):
        slug = latin_slug(tag, max_length=90) or "tag"
        return slug if i is None else f"{slug}-{i}"

    def get_absolute_url(self):
        return address("articles:tag-feed", slug=self.slug)


def live_q():
    """Articles readers may see: published, and due. Scheduled articles (a
    future published_at) go live by themselves when their time comes, with no
    job to flip them."""
    return Q(status=Status.PUBLISHED, published_at__lte=timezone.now())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see listed (see live_q)."""
        return self.filter(live_q())

    def scheduled(self):
        """Published by an editor but not due yet."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def in_review(self):
        return self.filter(status=Status.REVIEW)

    def plus(self):
        """POZIRK+ pieces (the members' feed)."""
        return self.filter(access=Access.PLUS)

    def in_section(self, section):
        """Articles whose primary section is `section`, or which are also in it."""
        also_in = ArticleSection.objects.filter(section=section, article=OuterRef("pk"))
        return self.filter(Q(section=section) | Exists(also_in))

    def in_language(self, language):
        return self.filter(language=language)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(authors=author)

    def listed_in(self, feed, exclude=(), language=None):
        """These articles in the order `feed` lists them (a Listing feed),
        newest first, leaving out the ids in `exclude` (a page's pins); with
        `language`, only that language's (an edition's page of the feed).

        A sequence to slice, as paginators do: the slice is taken of the
        feed's listings, in their index, and only that page's articles are
        read, in one query (reading/pagination.py)."""
        return ListedArticles(self, feed, exclude, language)

    def with_access(self, user):
        """Annotate `is_unlocked`: may `user` read each article in full?

        The answer comes from paywall.access, the only place that decides.
        """
        return self.annotate(
            is_unlocked=Case(When(readable_q(user), then=Value(True)), default=Value(False))
        )

    def for_headlines(self):
        """Everything a headline feed shows, in a fixed number of queries.

        The headline partial reads the primary section (joined), the other
        sections (one prefetch query) and the lead image fields (own columns);
        nothing else, so feeds of any length cost the same.
        """
        return (
            self.select_related("section")
            .prefetch_related(
                models.Prefetch("sections", queryset=Section.objects.only(*LABEL_FIELDS))
            )
            .defer("body", "lead_image_caption", "lead_image_credit", *SEARCH_FIELDS)
            .order_by("-published_at", "-pk")
        )

    def for_feed(self, user):
        """Published articles for a public headline feed, newest first."""
        return self.published().with_access(user).for_headlines()

    def pinned_on(self, section, now=None):
        """The articles among these with a current pin on a page (`section`;
        None is the home page), in the editors' order, each annotated with
        its `pin_position`.

        Chain it after for_feed(): a pinned draft or scheduled piece then
        stays off the page until it goes live, with no job to flip it.
        """
        pins = Pin.objects.current(now)
        pins = pins.on_home() if section is None else pins.on_section(section)
        # One pin per article and page (a constraint), so the join cannot
        # repeat an article; the annotation and the ordering reuse that join.
        return (
            self.filter(pins__in=pins)
            .annotate(pin_position=models.F("pins__position"))
            .order_by("pin_position", "-pins__created_at", "-published_at", "-pk")
        )

    def more_like(self, article):
        """What to read after `article`, best first: the related pieces its
        editor chose, then recent pieces in its language sharing one of its
        sections (primary or "also in") or tags, then the latest in its
        language; newest first within each. (Its translations are offered
        apart: "Read in".)

        Its cost does not grow with the archive: kin are looked for among the
        newest MORE_LIKE_CANDIDATES pieces only, and which of those share a
        section or a tag is read from their listings, by index, for those
        pieces alone (two small queries before the one that returns them).
        Reads the article's own sections and tags (Article.load_for_page()).
        Chain it after for_feed() and slice it. (A union: its prefetches are
        the queryset's own, and it takes no further filters.)
        """
        chosen = Article.related.through.objects.filter(from_article=article).values("to_article")
        recent = list(
            Article.objects.published()
            .in_language(article.language)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[:MORE_LIKE_CANDIDATES]
        )
        article.load_for_page()
        feeds = [Listing.of_section(section) for section in article.section_labels()]
        feeds += [Listing.of_tag(tag) for tag in article.tags.all()]
        kin = list(
            Listing.objects.filter(article__in=recent, feed__in=feeds)
            .values_list("article", flat=True)
            .distinct()
        )
        others = self.exclude(pk=article.pk).order_by()
        latest = (
            others.filter(pk__in=recent)
            .exclude(pk__in=chosen)
            .annotate(kinship=Case(When(pk__in=kin, then=Value(1)), default=Value(2)))
        )
        related = others.filter(pk__in=chosen).annotate(kinship=Value(0))
        return related.union(latest, all=True).order_by("kinship", "-published_at", "-pk")

    def search(self, query, user):
        """Published articles matching `query`, best first, found only by
        what `user` may read (see articles/search.py), ready for a headline
        feed with snippets: each carries, as `snippet_text`, the stored plain
        text of what `user` may read of it (the whole article if it is
        unlocked for them, else the headline, dek and teaser) to cut its
        passage from; the body and the other search documents are not loaded.

        `found` on the result is how many matches there are where the search
        knew it without counting (PostgreSQL), else None: a copy made by
        filtering further does not carry it."""
        live_times = (
            Listing.objects.filter(feed=Listing.HOME, published_at__lte=timezone.now())
            .order_by("-published_at", "-article_id")
            .values_list("published_at", flat=True)
        )
        matches, found = search_index.search(self.published(), query, user, live_times)
        results = (
            matches.with_access(user)
            .annotate(
                snippet_text=Case(
                    When(readable_q(user), then=F("search_text_full")),
                    default=F("search_text_public"),
                )
            )
            .select_related("section")
            .prefetch_related(
                models.Prefetch("sections", queryset=Section.objects.only(*LABEL_FIELDS))
            )
            .defer("body", *SEARCH_FIELDS)
        )
        results.found = found
        return results

    def for_detail(self):
        """Published articles for the article page: the primary section
        joined. What the page shows around the body (other sections,
        authors, tags, corrections) is loaded by load_for_page() when the
        page's story is rendered rather than kept (reading/cache.py).
        Whether the body itself is shown is paywall.access.can_read's call."""
        return self.published().select_related("section").defer(*SEARCH_FIELDS)

    def for_preview(self):
        """Articles in any status, loaded as for_detail() loads them, for a
        preview of the page readers will get."""
        return self.select_related("section").defer(*SEARCH_FIELDS)

    def for_sitemap(self):
        """Published articles for the sitemaps, newest first in a stable order,
        loading only what an entry reads: the address (slug, primary section's
        slug), headline, language and dates. One query per page of any length."""
        return (
            self.published()
            .select_related("section")
            .only(
                "slug",
                "headline",
                "language",
                "translation_group",
                "published_at",
                "updated_at",
                "revised_at",
                "section__slug",
            )
            .order_by("-published_at", "-pk")
        )

    def for_edition_file(self, language, start, end):
        """The stories of one day's edition file: published in `language`
        at or after `start` and before `end`, in the order they went live,
        with everything the file shows (section, bylines, corrections)."""
        return (
            self.published()
            .in_language(language)
            .published_between(start, end)
            .select_related("section")
            .prefetch_related("authors", "corrections")
            .defer(*SEARCH_FIELDS)
            .order_by("published_at", "pk")
        )

    def published_between(self, start, end):
        """Those that went live at or after `start` and before `end`."""
        return self.filter(published_at__gte=start, published_at__lt=end)

    def for_news_sitemap(self, since):
        """The Google News sitemap: articles that went live at or after `since`."""
        return self.for_sitemap().filter(published_at__gte=since)

    def for_syndication(self):
        """Published articles for RSS and Atom feeds, newest first, in a fixed
        number of queries: the primary section joined, the other sections and
        the authors prefetched. Only the columns an item shows are read (the
        body among them: whether an item carries it or the teaser is
        paywall.access.can_read's call), never columns kept for other uses."""
        return (
            self.published()
            .select_related("section")
            .prefetch_related(
                models.Prefetch("sections", queryset=Section.objects.only(*LABEL_FIELDS)),
                models.Prefetch(
                    "authors", queryset=Author.objects.only("name", "name_be", "name_ru", "slug")
                ),
            )
            .only(
                "headline",
                "slug",
                "dek",
                "body",
                "access",
                "teaser_paragraphs",
                "language",
                "published_at",
                "updated_at",
                "lead_image",
                "lead_image_width",
                "lead_image_height",
                "section__name",
                "section__slug",
                "section__position",
            )
            .order_by("-published_at", "-pk")
        )


class ListedArticles:
    """Articles of one feed, sliced in the feed's listings (Listing)."""

    def __init__(self, articles, feed, exclude, language=None):
        self.articles, self.feed, self.exclude = articles, feed, list(exclude)
        self.language = language

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("Listed articles are read a page (a slice) at a time.")
        listings = Listing.objects.filter(feed=self.feed, published_at__lte=timezone.now())
        if self.language:
            listings = listings.filter(language=self.language)
        listed = (
            listings.exclude(article__in=self.exclude)
            .order_by("-published_at", "-article_id")
            .values("article")[window]
        )
        return self.articles.filter(pk__in=listed).order_by("-published_at", "-pk")


class Article(models.Model):
    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "The article's address. Filled in from the headline (any alphabet is "
            "transliterated) and kept when the headline changes later, so links "
            "never break."
        ),
    )
    dek = models.TextField(
        _("dek"),
        blank=True,
        help_text=_("The standfirst: one or two sentences under the headline."),
    )
    body = ProseEditorField(_("body"), config=BODY_EDITOR_CONFIG, sanitize=True, blank=True)
    dateline_source = models.CharField(
        _("dateline source"),
        max_length=40,
        default="BPN",
        blank=True,
        help_text=_("Agency in the dateline: “February 24, BPN.”"),
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        blank=True,
        related_name="articles",
        help_text=_("Leave empty for an agency story with a dateline only."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("primary section"),
        on_delete=models.PROTECT,
        related_name="primary_articles",
        help_text=_("Drives the article's address and breadcrumbs."),
    )
    sections = models.ManyToManyField(
        Section,
        verbose_name=_("also in"),
        through="ArticleSection",
        blank=True,
        related_name="secondary_articles",
    )
    tags = TaggableManager(
        _("tags"),
        through="TaggedArticle",
        blank=True,
        help_text=_("Separate tags with commas. Suggestions appear as you type."),
    )
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="lead/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
        validators=[validate_image_upload],
        help_text=_("JPEG, PNG, WebP or AVIF."),
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("credit"), max_length=120, blank=True)
    library_image = models.ForeignKey(
        "Image",
        verbose_name=_("from the image library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_(
            "Reuse an image already uploaded, with its alt text, caption and credit. "
            "A new upload above is added to the library by itself."
        ),
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related articles"),
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text=_(
            "Shown first under “More headlines”. Left empty, recent pieces from the "
            "same sections and tags are shown."
        ),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translated_as",
        help_text=_(
            "The same story in another language. Its page then offers readers this "
            "one (“Read in: …”), and the language switch leads from one to the other. "
            "Choose any article of the group: the link is made to the first of them."
        ),
    )
    # The first article of its translation group, on every article of the
    # group (that one included); empty for an article with no translation,
    # whose page then asks for none.
    translation_group = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    access = models.CharField(
        _("access"),
        max_length=4,
        choices=Access.choices,
        default=Access.FREE,
        help_text=_("POZIRK+ articles are read in full by subscribers only."),
    )
    teaser_paragraphs = models.PositiveSmallIntegerField(
        _("teaser paragraphs"),
        default=1,
        validators=[MaxValueValidator(3)],
        help_text=_("POZIRK+ only: how many opening paragraphs readers without access see (0–3)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "A time in the future schedules the article: it appears by itself then. "
            "Left empty, publishing sets it to now."
        ),
    )
    revised_at = models.DateTimeField(
        _("updated for readers"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a live article last changed in substance (headline, dek, body or a "
            "correction); readers see it as “Updated”."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Search documents, rebuilt on every save (see articles/search.py): the
    # public one holds what readers without access see, the full one the body.
    search_text_public = models.TextField(editable=False, default="")
    search_text_full = models.TextField(editable=False, default="")
    search_norm_public = models.TextField(editable=False, default="")
    search_norm_full = models.TextField(editable=False, default="")
    search_vector_public = SearchVectorField(null=True, editable=False)
    search_vector_full = SearchVectorField(null=True, editable=False)
    created_by = staff_reference(_("created by"))
    last_edited_by = staff_reference(_("last edited by"))

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a version. The search documents are rebuilt from the
    # other fields, so versions need not carry them.
    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS, cascade_delete_history=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("edit_any_article", _("Can edit articles by anyone")),
            ("set_article_access", _("Can make articles POZIRK+ or free")),
            ("curate_article", _("Can pin articles and choose related ones")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_feed_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_feed_idx"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # The editor's form sanitises in full_clean(); saves from code, imports
        # and the shell do not pass through it, so sanitise here as well.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        if not self.slug:
            self.slug = unique_slug(
                Article.objects.exclude(pk=self.pk),
                self.headline,
                fallback="article",
                language=self.language,
            )
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self._join_translation_group()
        index = search_index.index_fields(self)
        for field, value in index.items():
            setattr(self, field, value)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body",
                "slug",
                "published_at",
                *index,
            }
        super().save(*args, **kwargs)
        search_index.refresh_vectors(Article.objects.filter(pk=self.pk))
        if self.translation_of_id is not None:
            # The first article joins the group it now heads.
            Article.objects.filter(pk=self.translation_of_id, translation_group=None).update(
                translation_group=self.translation_of_id
            )

    def get_absolute_url(self):
        """The article's address in the edition of its language: the edition
        being shown if it is in that language (the Belarusian articles in
        the Łacinka edition stay there), else the language's own."""
        edition = get_language() or settings.LANGUAGE_CODE
        if edition.split("-")[0] != self.language:
            edition = self.language
        return address(
            "articles:article-detail", language=edition, section=self.section.slug, slug=self.slug
        )

    def translations(self):
        """The published translations of this article, in other languages,
        ready for links (address, headline, language)."""
        if self.translation_group is None:
            return []
        return list(
            Article.objects.published()
            .filter(translation_group=self.translation_group)
            .exclude(pk=self.pk)
            .exclude(language=self.language)
            .select_related("section")
            .only("slug", "headline", "language", "section__slug")
            .order_by("language")
        )

    def _join_translation_group(self):
        """One group, one first article: a translation of a translation is
        linked to the article they both translate, and every article of the
        group carries that one's id in translation_group."""
        if self.translation_of_id is not None:
            root = self.translation_of.translation_of_id
            if root is not None:
                self.translation_of_id = root
            if self.translation_of_id == self.pk:
                self.translation_of_id = None
        if self.translation_of_id is not None:
            self.translation_group = self.translation_of_id
        elif self.pk and Article.objects.filter(translation_of=self.pk).exists():
            self.translation_group = self.pk
        else:
            self.translation_group = None

    def clean(self):
        super().clean()
        if self.translation_of_id is not None:
            group = self.translation_of.translation_of_id or self.translation_of_id
            same_language = (
                Article.objects.filter(Q(pk=group) | Q(translation_of=group))
                .exclude(pk=self.pk)
                .filter(language=self.language)
            )
            if same_language.exists():
                raise ValidationError(
                    {
                        "translation_of": _(
                            "That group already has an article in this language: “%(headline)s”."
                        )
                        % {"headline": same_language.first().headline}
                    }
                )
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": _("Describe the lead image for readers who cannot see it.")}
            )

    @property
    def is_published(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

    @property
    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > timezone.now())
        )

    def state_label(self):
        """Where the article stands, as the admin's lists say it."""
        if self.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT")
            }
        if self.is_published:
            return _("Live")
        return self.get_status_display()

    @property
    def is_plus(self):
        return self.access == Access.PLUS

    def load_for_page(self):
        """Fetch what the article page shows around the body: the other
        sections, authors, tags and corrections (a query each, once)."""
        models.prefetch_related_objects([self], "sections", "authors", "tags", "corrections")
        return self

    def section_labels(self):
        """Primary section first, then the others, each once, in navigation order."""
        # Prefetched (every feed's headlines are): read the prefetched rows
        # as they are. `self.sections.all()` makes a related manager and a
        # queryset each time, twice for each headline a feed renders.
        sections = getattr(self, "_prefetched_objects_cache", {}).get("sections")
        if sections is None:
            sections = self.sections.all()
        others = sorted(
            (s for s in sections if s.pk != self.section_id), key=lambda s: (s.position, s.name)
        )
        return [self.section, *others]

    def body_html(self):
        """The body, sanitised again on the way out: rows written around the
        model (bulk updates, raw SQL, restores) cannot slip markup through."""
        return mark_safe(self._meta.get_field("body").sanitize(self.body or ""))

    def teaser_html(self):
        """What a reader without access sees of a POZIRK+ body: only the
        opening paragraphs the editor chose; the rest never leaves the server."""
        return mark_safe(first_paragraphs(self.body_html(), self.teaser_paragraphs))


class ArticleSection(models.Model):
    """An article's membership of a section other than its primary one.

    Its own model so that deleting a section still holding articles is
    refused (PROTECT) rather than silently unlinking them.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("also in section")
        verbose_name_plural = _("also in sections")
        constraints = [
            models.UniqueConstraint(fields=["article", "section"], name="article_section_unique")
        ]

    def __str__(self):
        return f"“{self.article}” (also in {self.section})"


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")
        ]


class Transition(models.Model):
    """One move of an article from one status to another: who, when, and, for
    a publication, the time it was set to go live."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    publish_at = models.DateTimeField(_("to go live at"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Correction(models.Model):
    """A dated note at the end of an article, telling readers what was wrong."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(
        _("correction"),
        help_text=_("What was wrong and what is right now, in a sentence or two."),
    )
    published_at = models.DateTimeField(_("dated"), default=timezone.now)
    created_by = staff_reference(_("added by"))

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return self.text[:60]


class PinQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def on_home(self):
        return self.filter(section__isnull=True)

    def on_section(self, section):
        return self.filter(section=section)


class Listing(models.Model):
    """An article's place in one headline feed: the home page, POZIRK+, a
    section (primary or "also in"), a tag or an author, with its time there.

    Feeds page through these rows rather than through the articles: a page
    of any feed, the first or the five-thousandth, is a range of one index,
    (feed, time), read without touching the articles beyond the page itself.
    They are kept by articles/listings.py whenever an article, its sections,
    tags or authors change; only published articles (live or scheduled) are
    listed, and feeds still ask ArticleQuerySet.published() of every article
    they show, so a listing that lags can only leave a story out, never
    show one that is not live.
    """

    HOME = "home"
    PLUS = "plus"

    feed = models.CharField(_("feed"), max_length=40)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="listings")
    published_at = models.DateTimeField(_("published at"))
    # The article's, copied: an edition's page of a feed is a range of one
    # index, (feed, language, time), like the page of the whole feed.
    language = models.CharField(_("language"), max_length=8, default="", blank=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(fields=["feed", "article"], name="listing_once_per_feed")
        ]
        indexes = [
            models.Index(fields=["feed", "-published_at", "-article"], name="listing_feed_idx"),
            models.Index(
                fields=["feed", "language", "-published_at", "-article"],
                name="listing_edition_idx",
            ),
        ]

    def __str__(self):
        return f"{self.feed}: {self.article_id}"

    @staticmethod
    def of_section(section):
        return f"section:{section.pk}"

    @staticmethod
    def of_tag(tag):
        return f"tag:{tag.pk}"

    @staticmethod
    def of_author(author):
        return f"author:{author.pk}"


class Pin(models.Model):
    """An editor's choice for the top of the home page (no section) or of a
    section's page. Position 1 is the lead story; the rest follow in order,
    then the chronological feed."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pins", verbose_name=_("article")
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pins",
        help_text=_("Leave empty for the home page."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("1 is the lead story; then 2, 3…")
    )
    expires_at = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("The pin lapses by itself then. Leave empty to keep it until removed."),
    )
    created_by = staff_reference(_("pinned by"))
    created_at = models.DateTimeField(_("pinned at"), auto_now_add=True)

    objects = PinQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "position", "-created_at"]
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        constraints = [
            # One pin per article and page; the home page is the null section,
            # which a plain unique constraint would not compare.
            models.UniqueConstraint(
                fields=["article", "section"],
                condition=Q(section__isnull=False),
                name="pin_once_per_section",
                violation_error_message=_("This article is already pinned on that page."),
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(section__isnull=True),
                name="pin_once_on_home",
                violation_error_message=_("This article is already pinned on the home page."),
            ),
        ]

    def __str__(self):
        page = self.section.name if self.section_id else _("Home page")
        return f"{page} #{self.position}: {self.article}"

    def is_current(self, now=None):
        return self.expires_at is None or self.expires_at > (now or timezone.now())


class Image(models.Model):
    """An uploaded picture with its description, reusable as a lead image."""

    file = models.ImageField(
        _("image"),
        upload_to="library/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=_("JPEG, PNG, WebP or AVIF."),
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = staff_reference(_("uploaded by"))

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("library image")
        verbose_name_plural = _("image library")

    def __str__(self):
        return self.caption or self.alt


# What an information page's editor offers, and so what its sanitiser keeps:
# the article body's text formatting, without the article's own blocks.
INFO_PAGE_EDITOR_CONFIG = {
    "extensions": {
        name: setting
        for name, setting in BODY_EDITOR_CONFIG["extensions"].items()
        if name not in {"BodyImage", "PullQuote", "Embed"}
    }
}


class InfoPageQuerySet(models.QuerySet):
    def for_edition(self, language):
        """The pages of the edition whose articles are in `language`."""
        return self.filter(language=language)


class InfoPage(models.Model):
    """One of the pages every edition links from its footer (about the
    newsroom, how to reach it, what it keeps about readers), in that
    edition's language. The pages are made by a migration, one of each kind
    per language, so the footer's links always lead somewhere; editors
    change their words but neither add nor delete them (articles/admin)."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("About")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = ProseEditorField(
        _("body"),
        config=INFO_PAGE_EDITOR_CONFIG,
        sanitize=True,
        help_text=_("Shown to readers of this language's edition as it is saved."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = staff_reference(_("last changed by"))

    objects = InfoPageQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_info_page_per_edition")
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"

    def save(self, *args, **kwargs):
        # Saves from code and the shell skip the admin form's cleaning.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The page in its language's edition (the Łacinka edition keeps the
        Belarusian one at home)."""
        edition = get_language() or settings.LANGUAGE_CODE
        if edition.split("-")[0] != self.language:
            edition = self.language
        return address("articles:info-page", language=edition, kind=self.kind)

    def body_html(self):
        """The body, sanitised again on the way out (as Article.body_html)."""
        return mark_safe(self._meta.get_field("body").sanitize(self.body or ""))
