"""The image library: uploaded pictures with their descriptions, for reuse."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..images import SafeImageFormField
from ..models import Image
from ..renditions import smallest_rendition_url

THUMBNAIL_WIDTH = 120
PREVIEW_WIDTH = 480


def _thumbnail(image, width):
    url = smallest_rendition_url(image.file)
    if url is None:
        return "—"
    height = round(image.height * width / image.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" loading="lazy" style="{}">',
        url,
        width,
        height,
        "display: block; object-fit: contain; background: #eee;",
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt", "caption", "credit", "uploaded_at", "uploaded_by", "usage"]
    list_display_links = ["thumbnail", "alt"]
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    # The usage count groups the rows, which drops Meta.ordering: say it again.
    ordering = ["-uploaded_at", "-pk"]
    # Also what the article form's autocomplete searches.
    search_fields = ["alt", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    fields = [
        "file",
        "preview",
        "alt",
        "caption",
        "credit",
        "uploaded_at",
        "uploaded_by",
        "used_in",
    ]
    readonly_fields = ["preview", "uploaded_at", "uploaded_by", "used_in"]
    formfield_overrides = {models.ImageField: {"form_class": SafeImageFormField}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return _thumbnail(obj, THUMBNAIL_WIDTH)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return _thumbnail(obj, PREVIEW_WIDTH) if obj.pk else "—"

    @admin.display(description=_("used by"), ordering="article_count")
    def usage(self, obj):
        return obj.article_count

    @admin.display(description=_("used by articles"))
    def used_in(self, obj):
        articles = obj.articles.only("headline") if obj.pk else []
        links = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("admin:articles_article_change", args=[article.pk]), article.headline)
                for article in articles
            ),
        )
        return format_html("<ul>{}</ul>", links) if links else "—"
