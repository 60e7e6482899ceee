from django.contrib import admin

from ..models import InfoPage


@admin.register(InfoPage)
class InfoPageAdmin(admin.ModelAdmin):
    """Each edition's about, contact and privacy pages. A migration makes
    one of each kind per language, which the footer of every page links to:
    editors change their title and words, and can neither add a page (it
    would have no link) nor delete one (its link would lead nowhere)."""

    list_display = ["title", "kind", "language", "updated_at", "updated_by"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "body"]
    readonly_fields = ["kind", "language", "updated_at", "updated_by"]
    fields = ["kind", "language", "title", "body", "updated_at", "updated_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # The page in its own edition, whatever language the admin speaks.
        return obj.get_absolute_url()
