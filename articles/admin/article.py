from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.db.models import Count, F
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.forms import TagWidget
from taggit.models import Tag as TaggitTag

from ..images import SafeImageFormField
from ..models import Access, Article, Section, Status, Tag
from ..page_cache import content_changed
from .preview import PreviewAdminMixin
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

    class Meta:
        model = Article
        # The admin chooses the fields through ArticleAdmin.fieldsets.
        fields = "__all__"  # noqa: DJ007
        widgets = {"tags": TagSuggestionWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("also_in", list(self.instance.sections.all()))
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs["data-suggestions-url"] = reverse(
                "admin:articles_article_tag_suggestions"
            )


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


class PublicationListFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live on the site")),
            ("scheduled", _("Scheduled")),
            ("draft", _("Draft")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.drafts()
        return queryset


@admin.register(Article)
class ArticleAdmin(RevisionsAdminMixin, PreviewAdminMixin, admin.ModelAdmin):
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
    list_display_links = ["headline"]
    list_filter = [
        PublicationListFilter,
        "status",
        SectionListFilter,
        "access",
        "language",
        "published_at",
    ]
    list_per_page = 50
    # Drafts (no publication time yet) first on every database, then newest.
    ordering = [F("published_at").desc(nulls_first=True), "-pk"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "section"]
    readonly_fields = ["created_at", "created_by", "updated_at", "last_edited_by"]
    actions = ["publish_now", "unpublish", "mark_plus", "mark_free"]
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (_("Sections and tags"), {"fields": ["section", "also_in", "tags"]}),
        (_("Byline"), {"fields": ["authors", "dateline_source", "language"]}),
        (
            _("Lead image"),
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "access", "teaser_paragraphs"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "last_edited_by"],
            },
        ),
    ]

    def get_queryset(self, request):
        """The change list shows sections and authors: load them in two queries
        for the whole page rather than two per row."""
        return (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related("sections", "authors")
            .defer("body")
        )

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
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.sections.set(form.cleaned_data["also_in"].exclude(pk=article.section_id))

    @admin.display(description=_("state"), ordering="status")
    def publication_state(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
            }
        return obj.get_status_display()

    @admin.display(description=_("sections"))
    def section_list(self, obj):
        return ", ".join(s.name for s in obj.section_labels())

    @admin.display(description=_("authors"))
    def byline(self, obj):
        return ", ".join(a.name for a in obj.authors.all()) or "—"

    def _bulk_update(self, request, queryset, message, **changes):
        updated = queryset.update(updated_at=timezone.now(), last_edited_by=request.user, **changes)
        # update() sends no signals: retire the cached pages here.
        content_changed()
        self.message_user(request, message(updated), messages.SUCCESS)

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_now(self, request, queryset):
        self._bulk_update(
            request,
            queryset,
            lambda n: ngettext("%d article is now live.", "%d articles are now live.", n) % n,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._bulk_update(
            request,
            queryset,
            lambda n: (
                ngettext(
                    "%d article was taken off the site.", "%d articles were taken off the site.", n
                )
                % n
            ),
            status=Status.DRAFT,
        )

    @admin.action(description=_("Mark POZIRK+"), permissions=["change"])
    def mark_plus(self, request, queryset):
        self._bulk_update(
            request,
            queryset,
            lambda n: ngettext("%d article is now POZIRK+.", "%d articles are now POZIRK+.", n) % n,
            access=Access.PLUS,
        )

    @admin.action(description=_("Mark free"), permissions=["change"])
    def mark_free(self, request, queryset):
        self._bulk_update(
            request,
            queryset,
            lambda n: ngettext("%d article is now free.", "%d articles are now free.", n) % n,
            access=Access.FREE,
        )
