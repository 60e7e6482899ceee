from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget
from taggit.models import Tag as TaggitTag

from paywall.access import Access

from .. import blocks, workflow
from ..image_library import apply_library_image
from ..images import SafeImageFormField
from ..models import SEARCH_FIELDS, Article, Author, Correction, Section, Status, Tag
from ..renditions import smallest_rendition_url
from .curation import pin_to_home, pin_to_section
from .revisions import RevisionsAdminMixin

try:
    admin.site.unregister(TaggitTag)
except admin.exceptions.NotRegistered:
    pass

TAG_SUGGESTIONS = 10


class TagSuggestionWidget(TagWidget):
    """Taggit's comma-separated input, with suggestions for the tag being typed."""

    template_name = "articles/widgets/tag_suggestions.html"

    class Media:
        js = ["articles/admin/tag-suggestions.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "size": 60, **(attrs or {})})


class ArticleAdminForm(forms.ModelForm):
    also_in = forms.ModelMultipleChoiceField(
        label=_("Also in"),
        queryset=Section.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("sections"), admin.site),
        help_text=_("Other sections that list this article, besides the primary one."),
    )

    minor_edit = forms.BooleanField(
        label=_("Minor fix"),
        required=False,
        help_text=_(
            "A typo or a broken link: readers are not shown this live article as "
            "“Updated”. Leave unticked when the facts change."
        ),
    )

    # Set by ArticleAdmin.get_form: whoever is editing, for the workflow's say.
    user = None

    class Meta:
        model = Article
        # The admin chooses the fields through ArticleAdmin.fieldsets.
        fields = "__all__"  # noqa: DJ007
        widgets = {
            "tags": TagSuggestionWidget,
            # Two lines tall, so a long headline is seen whole while writing.
            "headline": forms.Textarea(attrs={"rows": 2, "maxlength": 255}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_status = self.instance.status if self.instance.pk else Status.DRAFT
        self.old_published_at = self.instance.published_at
        self.was_live = bool(self.instance.pk) and self.instance.is_published
        if "status" in self.fields and self.user is not None:
            allowed = workflow.allowed_statuses(self.user, self.instance)
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
        if self.instance.pk:
            self.initial.setdefault("also_in", list(self.instance.sections.all()))
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs["data-suggestions-url"] = reverse(
                "admin:articles_article_tag_suggestions"
            )

    def _post_clean(self):
        super()._post_clean()
        if self.user is not None and "status" not in self.errors:
            try:
                workflow.check_move(
                    self.user, self.instance, self.old_status, self.old_published_at
                )
            except forms.ValidationError as refusal:
                self.add_error(None, refusal)

    def clean_headline(self):
        # Written in a box of two lines; a headline is still one line.
        return " ".join((self.cleaned_data.get("headline") or "").split())

    def clean_body(self):
        """Every block in the body must still make sense: an embed of a link
        we can show, an image still in the library."""
        body = Article._meta.get_field("body").sanitize(self.cleaned_data.get("body") or "")
        found = blocks.problems(body)
        if found:
            raise ValidationError(found)
        return body

    def is_substantive_change(self):
        """Did a live article change in what it tells readers?"""
        return (
            self.was_live
            and not self.cleaned_data.get("minor_edit")
            and bool({"headline", "dek", "body"} & set(self.changed_data))
        )


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["published_at", "text"]
    verbose_name = _("correction note")
    verbose_name_plural = _("Corrections (shown at the end of the article)")


class SectionListFilter(admin.SimpleListFilter):
    """Any section the article is in, primary or not."""

    title = _("section")
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.name) for s in Section.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        section = Section.objects.filter(pk=self.value()).first()
        if section is None:
            return queryset.none()
        return queryset.in_section(section)


class AuthorListFilter(admin.SimpleListFilter):
    """Articles with this author in their byline."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(str(a.pk), a.name) for a in Author.objects.only("pk", "name").order_by("name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(authors__pk=int(self.value()))


class PublicationListFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live on the site")),
            ("scheduled", _("Scheduled")),
            ("review", _("In review")),
            ("draft", _("Draft")),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "review":
            return queryset.in_review()
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "unpublished":
            return queryset.filter(status=Status.UNPUBLISHED)
        return queryset


@admin.register(Article)
class ArticleAdmin(RevisionsAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "headline",
        "publication_state",
        "section_list",
        "access",
        "language",
        "published_at",
        "byline",
    ]
    # The writing screen: the text on the left, the publishing panel beside
    # it (below it on a narrow screen). See admin/articles/article/change_form.html.
    MAIN, SIDE = "desk-main", "desk-side"
    list_display_links = ["headline"]
    list_filter = [
        PublicationListFilter,
        "status",
        SectionListFilter,
        AuthorListFilter,
        "access",
        "language",
        "published_at",
    ]
    list_per_page = 50
    # "50 of 10,000" would cost a second count of the whole table on every page.
    show_full_result_count = False
    inlines = [CorrectionInline]
    # Drafts (no publication time yet) first on every database, then newest.
    ordering = [F("published_at").desc(nulls_first=True), "-pk"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "section", "related", "library_image"]
    readonly_fields = [
        "created_at",
        "created_by",
        "updated_at",
        "last_edited_by",
        "revised_at",
        "lead_image_thumbnail",
    ]
    actions = [
        "submit_for_review",
        "publish_now",
        "unpublish",
        "mark_plus",
        "mark_free",
        pin_to_home,
        pin_to_section,
    ]
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}
    fieldsets = [
        (None, {"classes": [MAIN], "fields": ["headline", "slug", "dek", "body"]}),
        (
            _("Publishing"),
            {
                "classes": [SIDE],
                "fields": [
                    "status",
                    "published_at",
                    "access",
                    "teaser_paragraphs",
                    "minor_edit",
                ],
            },
        ),
        (
            _("Sections and tags"),
            {"classes": [SIDE], "fields": ["section", "also_in", "tags", "related"]},
        ),
        (_("Byline"), {"classes": [SIDE], "fields": ["authors", "dateline_source", "language"]}),
        (
            _("Lead image"),
            {
                "classes": [SIDE],
                "fields": [
                    "lead_image_thumbnail",
                    "lead_image",
                    "library_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ],
            },
        ),
        (
            _("Record"),
            {
                "classes": [MAIN, "collapse"],
                "fields": [
                    "created_at",
                    "created_by",
                    "updated_at",
                    "last_edited_by",
                    "revised_at",
                ],
            },
        ),
    ]

    @admin.display(description=_("current lead image"))
    def lead_image_thumbnail(self, obj):
        if obj is None or not obj.lead_image:
            return "—"
        url = smallest_rendition_url(obj.lead_image) or obj.lead_image.url
        return format_html(
            '<img class="desk-thumbnail" src="{}" alt="{}" width="240">',
            url,
            obj.lead_image_alt,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["body_blocks"] = {
            "urls": {
                "picker": reverse("admin:articles_image_picker"),
                "upload": reverse("admin:articles_image_picker_upload"),
                "thumbnail": reverse("admin:articles_image_thumb", args=[0]),
            },
            "labels": {
                "image": gettext("Image from the library"),
                "imageTitle": gettext("An image in the body"),
                "library": gettext("Image library"),
                "search": gettext("Search the library"),
                "upload": gettext("…or upload a new image to the library"),
                "alt": gettext("Alt text (required)"),
                "caption": gettext("Caption"),
                "credit": gettext("Credit"),
                "none": gettext("No image matches."),
                "uploading": gettext("Uploading…"),
                "failed": gettext("The upload failed."),
                "choose": gettext("Choose an image or upload one."),
                "insert": gettext("Insert"),
                "update": gettext("Update"),
                "cancel": gettext("Cancel"),
                "pullQuote": gettext("Pull quote"),
                "embed": gettext("Embed a video or post"),
                "embedUrl": gettext("Address of the video or post"),
                "embedHelp": gettext(
                    "YouTube or Vimeo video; Telegram, X (Twitter) or Instagram post. "
                    "Readers see a placeholder until they choose to load it."
                ),
            },
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_queryset(self, request):
        """The change list shows sections and authors: load them in two queries
        for the whole page rather than two per row. Reporters see their own
        work and what is public, not colleagues' unpublished pieces."""
        articles = (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related("sections", "authors")
            .defer("body", *SEARCH_FIELDS)
        )
        if not request.user.has_perm(workflow.EDIT_ANY):
            articles = articles.filter(workflow.own_or_live_q(request.user))
        return articles

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class made for this request alone: the workflow needs to know who
        # is asking to limit the statuses offered and to explain refusals.
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(workflow.PUBLISH):
            fields.append("published_at")
        if not request.user.has_perm(workflow.SET_ACCESS):
            fields += ["access", "teaser_paragraphs"]
        if not request.user.has_perm(workflow.CURATE):
            fields.append("related")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and workflow.can_change(
            request.user, obj
        )

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH)

    def has_set_access_permission(self, request):
        return request.user.has_perm(workflow.SET_ACCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            if not self.has_change_permission(request, article) and self.has_view_permission(
                request, article
            ):
                self.message_user(
                    request, workflow.why_not_change(request.user, article), messages.INFO
                )
            extra_context["transitions"] = article.transitions.select_related("by")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        term = request.GET.get("term", "").strip()
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        names = []
        if term:
            names = list(
                Tag.objects.filter(name__icontains=term)
                .annotate(uses=Count("tagged_articles"))
                .order_by("-uses", "name")
                .values_list("name", flat=True)[:TAG_SUGGESTIONS]
            )
        return JsonResponse({"tags": names})

    def view_on_site(self, obj):
        # Drafts and scheduled pieces are not on the site yet; no dead link.
        return obj.get_absolute_url() if obj.is_published else None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        if form.is_substantive_change():
            obj.revised_at = timezone.now()
        apply_library_image(obj, request.user)
        super().save_model(request, obj, form, change)
        workflow.record(obj, form.old_status, request.user, form.old_published_at)

    def save_formset(self, request, form, formset, change):
        corrections = formset.save(commit=False)
        for correction in corrections:
            if correction.pk is None:
                correction.created_by = request.user
            correction.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()
        article = form.instance
        if (
            formset.model is Correction
            and any(c in formset.new_objects for c in corrections)
            and article.is_published
        ):
            # A correction is news about the article: readers see it updated.
            article.revised_at = timezone.now()
            article.save(update_fields=["revised_at"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.sections.set(form.cleaned_data["also_in"].exclude(pk=article.section_id))

    @admin.display(description=_("state"), ordering="status")
    def publication_state(self, obj):
        return obj.state_label()

    @admin.display(description=_("sections"))
    def section_list(self, obj):
        return ", ".join(s.name for s in obj.section_labels())

    @admin.display(description=_("authors"))
    def byline(self, obj):
        return ", ".join(a.name for a in obj.authors.all()) or "—"

    def _each(self, request, queryset, change, done_message):
        """Apply `change(article)` to each selected article the user may
        change, one save at a time (each keeps a revision and retires cached
        pages), and say what happened, including what was refused and why."""
        done, refused = 0, {}
        for article in queryset.select_related("section").prefetch_related("authors"):
            try:
                if change(article) is False:
                    continue
                done += 1
            except ValidationError as refusal:
                for reason in refusal.messages:
                    refused.setdefault(reason, []).append(article.headline)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for reason, headlines in refused.items():
            self.message_user(
                request,
                _("Not changed: %(headlines)s. %(reason)s")
                % {"headlines": "; ".join(f"“{h}”" for h in headlines), "reason": reason},
                messages.WARNING,
            )
        if not done and not refused:
            self.message_user(request, _("Nothing needed changing."), messages.INFO)

    def _move_each(self, request, queryset, to_status, done_message, skip):
        def change(article):
            if skip(article):
                return False
            workflow.move(article, to_status, request.user)

        self._each(request, queryset, change, done_message)

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move_each(
            request,
            queryset,
            Status.REVIEW,
            lambda n: (
                ngettext(
                    "%d article is waiting for an editor.",
                    "%d articles are waiting for an editor.",
                    n,
                )
                % n
            ),
            skip=lambda article: article.status == Status.REVIEW,
        )

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._move_each(
            request,
            queryset,
            Status.PUBLISHED,
            lambda n: ngettext("%d article is now live.", "%d articles are now live.", n) % n,
            skip=lambda article: article.is_published,
        )

    @admin.action(description=_("Unpublish (take off the site)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move_each(
            request,
            queryset,
            Status.UNPUBLISHED,
            lambda n: (
                ngettext(
                    "%d article was taken off the site.", "%d articles were taken off the site.", n
                )
                % n
            ),
            skip=lambda article: article.status != Status.PUBLISHED,
        )

    def _set_access(self, request, queryset, access, done_message):
        def change(article):
            if article.access == access:
                return False
            article.access = access
            article.last_edited_by = request.user
            article.save()

        self._each(request, queryset, change, done_message)

    @admin.action(description=_("Mark POZIRK+"), permissions=["set_access"])
    def mark_plus(self, request, queryset):
        self._set_access(
            request,
            queryset,
            Access.PLUS,
            lambda n: ngettext("%d article is now POZIRK+.", "%d articles are now POZIRK+.", n) % n,
        )

    @admin.action(description=_("Mark free"), permissions=["set_access"])
    def mark_free(self, request, queryset):
        self._set_access(
            request,
            queryset,
            Access.FREE,
            lambda n: ngettext("%d article is now free.", "%d articles are now free.", n) % n,
        )
