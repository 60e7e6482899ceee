"""The subscriptions manager's desk for payments: batches of access codes
(made, shown once, counted) and revenue at a glance (counts and sums only)."""

import csv
import io
from urllib.parse import quote

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from security.decorators import recent_second_factor_required

from . import codes, revenue
from .models import CardSubscription, CodeBatch

# Codes a batch may hold: made and shown on one page.
MAX_BATCH = 5000


def _size_limit(value):
    if not 1 <= value <= MAX_BATCH:
        raise ValidationError(_("From 1 to %(max)d codes.") % {"max": MAX_BATCH})


@admin.register(CodeBatch)
class CodeBatchAdmin(admin.ModelAdmin):
    """Codes are made when a batch is saved and shown on the next page only:
    the database keeps their digests, so nobody can show them again."""

    list_display = ["__str__", "plan", "code_days", "size", "redeemed", "expires_at", "created_at"]
    list_filter = ["plan"]
    search_fields = ["note"]
    date_hierarchy = "created_at"
    fields = ["plan", "days", "size", "expires_at", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_readonly_fields(self, request, obj=None):
        # A batch's codes are made once: what they give cannot change after.
        return ["plan", "days", "size"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["size"].validators.append(_size_limit)
            form.base_fields["size"].help_text = _("At most %(max)d codes at a time.") % {
                "max": MAX_BATCH
            }
        return form

    @admin.display(description=_("days a code gives"))
    def code_days(self, obj):
        return obj.duration_days

    @admin.display(description=_("redeemed"), ordering="num_redeemed")
    def redeemed(self, obj):
        return f"{obj.num_redeemed} / {obj.num_codes}"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.plain_codes = codes.make_batch(obj)

    def add_view(self, request, form_url="", extra_context=None):
        # Making a batch shows its codes: an export, so the second factor must
        # be fresh.
        guarded = recent_second_factor_required(super().add_view)
        return guarded(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        """The codes, once: on this page and in its CSV file."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["code", "days", "redeem_before", "note"])
        expires = obj.expires_at.isoformat() if obj.expires_at else ""
        for code in obj.plain_codes:
            writer.writerow([code, obj.duration_days, expires, obj.note])
        return TemplateResponse(
            request,
            "admin/payments/codebatch/codes.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "batch": obj,
                "codes": obj.plain_codes,
                "csv_href": "data:text/csv;charset=utf-8," + quote(buffer.getvalue()),
                "csv_name": f"pozirk-codes-batch-{obj.pk}.csv",
                "title": _("The codes of this batch"),
            },
        )

    def get_urls(self):
        return [
            path(
                "revenue/",
                self.admin_site.admin_view(recent_second_factor_required(self.revenue_view)),
                name="payments_revenue",
            ),
            *super().get_urls(),
        ]

    def revenue_view(self, request):
        if not request.user.has_perm("paywall.view_subscription"):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/payments/revenue.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("POZIRK+ at a glance"),
                **revenue.summary(),
            },
        )


@admin.register(CardSubscription)
class CardSubscriptionAdmin(admin.ModelAdmin):
    """Card subscriptions as Stripe last told us: for finding one in Stripe's
    dashboard by its id. Changed only by Stripe (and the reader)."""

    list_display = ["stripe_id", "plan", "status", "cancel_at_period_end", "paid_through"]
    list_filter = ["status", "plan", "cancel_at_period_end"]
    list_select_related = ["plan"]
    search_fields = ["stripe_id", "customer__customer_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
