from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Mirror

PERMISSION = "reach.rotate_mirrors"


@admin.register(Mirror)
class MirrorAdmin(admin.ModelAdmin):
    """The mirror list, kept by editors with the "rotate mirrors" permission.

    Adding a mirror makes the site answer on it at once; retiring one turns
    it into a page pointing to the current ones. Mirrors are not deleted: a
    retired domain keeps telling readers where to go."""

    list_display = ["host", "state", "added_at", "retired_at", "note"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["host", "note"]
    readonly_fields = ["added_at", "retired_at", "added_by"]
    actions = ["retire"]

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"), ordering="retired_at")
    def state(self, mirror):
        return _("Current") if mirror.is_current else _("Retired")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Retire the selected mirrors"), permissions=["change"])
    def retire(self, request, queryset):
        count = queryset.retire()
        self.message_user(
            request,
            ngettext(
                "%(count)d mirror retired: it now points readers to the current ones.",
                "%(count)d mirrors retired: they now point readers to the current ones.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
