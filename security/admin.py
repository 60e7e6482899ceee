from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from paywall.admin import UserAdmin as AccountAdmin
from paywall.models import User

from . import factors
from .decorators import ask_again
from .models import Event, SecurityEvent

# Factors are set up by their owner and only reset by an administrator: no
# admin page where someone could add a device to another person's account.
for model in (TOTPDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

ROLE_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountAdmin):
    """Accounts, with two guards: changing another staff account (its roles
    or factors) asks for the second factor again, and an administrator can
    reset someone's factors, which is recorded in the admin log."""

    actions = ["reset_second_factors"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        account = self.get_object(request, unquote(object_id))
        if (
            account is not None
            and account != request.user
            and (account.is_staff or request.POST.get("is_staff"))
            and not factors.recently_passed(request)
        ):
            return ask_again(request, request.get_full_path())
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [name for name in ROLE_FIELDS if name in form.changed_data]
        if changed:
            SecurityEvent.objects.record(
                Event.ROLES_CHANGED,
                form.instance,
                request=request,
                by=request.user,
                detail=", ".join(changed),
            )

    @admin.action(description=_("Reset second factors (lost key or phone)"), permissions=["change"])
    def reset_second_factors(self, request, queryset):
        if not factors.recently_passed(request):
            return ask_again(request, request.get_full_path())
        for account in queryset:
            factors.reset(account, by=request.user, request=request)
            self.log_change(request, account, "Second factors reset.")
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%d account's second factors were reset: it sets one up at its next login.",
                "%d accounts' second factors were reset: they set one up at their next login.",
                count,
            )
            % count,
            messages.SUCCESS,
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log: read only, for administrators (superusers, or whoever
    is given its view permission)."""

    list_display = ["at", "account", "kind", "factor", "device", "by", "detail"]
    list_filter = ["kind", "factor"]
    list_select_related = ["account", "by"]
    search_fields = ["account__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
