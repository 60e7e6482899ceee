"""The image library: uploaded pictures with their descriptions, for reuse."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..images import SafeImageFormField
from ..models import Image
from ..renditions import smallest_rendition_url

THUMBNAIL_WIDTH = 120
PREVIEW_WIDTH = 480
# Library images offered at once by the body editor's picker.
PICKER_SIZE = 24
PICKER_QUERY_LENGTH = 100


class UploadForm(forms.ModelForm):
    """An image uploaded from the body editor's picker: it joins the library,
    with its alt text (required), caption and credit."""

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]
        field_classes = {"file": SafeImageFormField}


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

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("picker/", view(self.picker), name="articles_image_picker"),
            path("picker/upload/", view(self.picker_upload), name="articles_image_picker_upload"),
            path("<int:pk>/thumbnail/", view(self.thumbnail_redirect), name="articles_image_thumb"),
            *super().get_urls(),
        ]

    @staticmethod
    def picker_entry(image):
        return {
            "id": image.pk,
            "alt": image.alt,
            "caption": image.caption,
            "credit": image.credit,
            "thumbnail": smallest_rendition_url(image.file) or image.file.url,
        }

    def picker(self, request):
        """The newest library images matching ?q=, for the body editor (JSON)."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        term = request.GET.get("q", "").strip()[:PICKER_QUERY_LENGTH].replace("\x00", "")
        images = Image.objects.order_by("-uploaded_at", "-pk")
        if term:
            images = images.filter(
                Q(alt__icontains=term) | Q(caption__icontains=term) | Q(credit__icontains=term)
            )
        return JsonResponse({"images": [self.picker_entry(i) for i in images[:PICKER_SIZE]]})

    def picker_upload(self, request):
        """A new image from the body editor: checked as every upload is, then
        added to the library. Answers its picker entry, or the form's errors."""
        if request.method != "POST":
            return JsonResponse({"error": "POST only"}, status=405)
        if not self.has_add_permission(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        return JsonResponse({"image": self.picker_entry(image)}, status=201)

    def thumbnail_redirect(self, request, pk):
        """The smallest rendition of one library image: the body editor shows
        images by their id alone."""
        if not self.has_view_permission(request):
            raise Http404
        image = Image.objects.filter(pk=pk).only("file", "width", "height").first()
        if image is None:
            raise Http404
        return HttpResponseRedirect(smallest_rendition_url(image.file) or image.file.url)

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
