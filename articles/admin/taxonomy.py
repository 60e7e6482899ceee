from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..images import SafeImageFormField
from ..models import Author, Section, Tag


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active", "article_count"]
    list_editable = ["position", "is_active"]
    # The article counts group the rows, which drops Meta.ordering: say it again.
    ordering = ["position", "name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    delete_confirmation_template = "admin/articles/section/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/articles/section/delete_selected_confirmation.html"
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                primary_count=Count("primary_articles", distinct=True),
                secondary_count=Count("secondary_articles", distinct=True),
            )
        )

    @admin.display(description=_("articles"))
    def article_count(self, obj):
        return obj.primary_count + obj.secondary_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(num_articles=Count("articles"))
        )

    @admin.display(description=_("articles"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_articles=Count("tagged_articles"))

    @admin.display(description=_("articles"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles
