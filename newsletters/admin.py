"""The editors' newsletter desk: letters built from the day's pieces, their
previews, a test to oneself, scheduling or sending now, and each send's
progress and failures (by domain only)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tasks
from .models import DeliveryStatus, Kind, Letter, LetterItem, Newsletter, Status, Subscriber
from .render import Composer


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "language", "send_time", "weekday", "is_active"]
    list_filter = ["kind", "language", "is_active"]
    list_editable = ["send_time", "is_active"]
    fields = ["kind", "language", "send_time", "weekday", "is_active"]
    readonly_fields = ["kind", "language"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """For administrators only (removing an address on request, checking a
    complaint): readers' addresses are not editors' business, whatever their
    group's permissions say."""

    list_display = ["email", "confirmed_at", "discreet"]
    list_filter = ["newsletters", "discreet"]
    search_fields = ["email"]
    fields = ["email", "newsletters", "discreet", "confirmed_at"]
    readonly_fields = ["email", "confirmed_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class LetterItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        letter = self.instance
        newsletter = getattr(letter, "newsletter", None)
        if newsletter is None or newsletter.kind != Kind.BREAKING:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("included")
        ]
        if len(kept) != 1:
            raise forms.ValidationError(_("A breaking alert carries exactly one article."))


class LetterItemInline(admin.TabularInline):
    model = LetterItem
    formset = LetterItemFormSet
    fields = ["position", "article", "included"]
    autocomplete_fields = ["article"]
    extra = 1
    ordering = ["position", "pk"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "newsletter", "status", "send_at", "progress_summary"]
    list_filter = ["status", "newsletter__kind", "newsletter__language"]
    list_select_related = ["newsletter"]
    date_hierarchy = "send_at"
    inlines = [LetterItemInline]
    readonly_fields = ["status", "started_at", "finished_at", "progress_table", "failures_table"]
    change_form_template = "admin/newsletters/letter/change_form.html"

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ["newsletter", "subject", "note", "send_at"]})
        if obj is None:
            return [main]
        return [
            main,
            (
                _("Sending"),
                {
                    "fields": [
                        "status",
                        "started_at",
                        "finished_at",
                        "progress_table",
                        "failures_table",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("newsletter")
            if not obj.is_editable:
                fields += ["subject", "note", "send_at"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        """The list's progress column, counted in the list's one query."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                recipients=Count("deliveries"),
                sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            )
        )

    @admin.display(description=gettext_lazy("Progress"))
    def progress_summary(self, obj):
        if obj.status not in (Status.SENDING, Status.SENT):
            return "—"
        return _("%(sent)s of %(recipients)s sent, %(failed)s failed") % {
            "sent": obj.sent,
            "recipients": obj.recipients,
            "failed": obj.failed,
        }

    @admin.display(description=gettext_lazy("Progress"))
    def progress_table(self, obj):
        progress = obj.progress()
        return format_html(
            "<dl class='letter-progress'>"
            "<dt>{}</dt><dd data-count='recipients'>{}</dd>"
            "<dt>{}</dt><dd data-count='sent'>{}</dd>"
            "<dt>{}</dt><dd data-count='failed'>{}</dd>"
            "<dt>{}</dt><dd data-count='remaining'>{}</dd>"
            "<dt>{}</dt><dd data-count='skipped'>{}</dd></dl>",
            _("Recipients"),
            progress["recipients"],
            _("Sent"),
            progress["sent"],
            _("Failed"),
            progress["failed"],
            _("Remaining"),
            progress["remaining"],
            _("Unsubscribed meanwhile"),
            progress["skipped"],
        )

    @admin.display(description=gettext_lazy("Failures by domain"))
    def failures_table(self, obj):
        rows = obj.failures_by_domain()
        if not rows:
            return "—"
        return format_html(
            "<ul class='letter-failures'>{}</ul>",
            format_html_join(
                "",
                "<li><span class='domain'>{}</span>: {} ({})</li>",
                ((row["domain"], row["count"], row["error"]) for row in rows),
            ),
        )

    # The desk's buttons (templates/admin/newsletters/letter/change_form.html).

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/<str:reader>/",
                wrap(self.preview_view),
                name="newsletters_letter_preview",
            ),
            path(
                "<path:object_id>/act/<str:action>/",
                wrap(self.action_view),
                name="newsletters_letter_act",
            ),
            *super().get_urls(),
        ]

    def _letter(self, request, object_id, change=False):
        letter = self.get_object(request, unquote(object_id))
        if letter is None:
            raise Http404(_("No letter with that key."))
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, letter):
            raise PermissionDenied
        return letter

    def preview_view(self, request, object_id, reader):
        """The letter exactly as a free reader or a member will get it."""
        if reader not in ("free", "member"):
            raise Http404
        letter = self._letter(request, object_id)
        rendered = Composer(letter).rendered(plus=reader == "member", discreet=False)
        response = HttpResponse(rendered.html)
        # The letter's HTML is the message as sent: nothing in it runs.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response

    def action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        letter = self._letter(request, object_id, change=True)
        change_url = reverse("admin:newsletters_letter_change", args=[quote(letter.pk)])
        handler = {
            "test-free": self._send_test,
            "test-member": self._send_test,
            "send-now": self._send_now,
            "schedule": self._schedule,
            "cancel": self._cancel,
            "retry": self._retry,
            "refresh": self._refresh,
        }.get(action)
        if handler is None:
            raise Http404
        handler(request, letter, action)
        return redirect(change_url)

    def _send_test(self, request, letter, action):
        plus = action == "test-member"
        transaction.on_commit(lambda: tasks.send_test.enqueue(letter.pk, request.user.email, plus))
        messages.success(
            request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
        )

    def _editable(self, request, letter):
        if letter.is_editable:
            return True
        messages.error(request, _("This letter has gone out already; it cannot be changed."))
        return False

    def _send_now(self, request, letter, action):
        if not self._editable(request, letter):
            return
        if not letter.items.filter(included=True).exists():
            messages.error(request, _("The letter has no article: add one first."))
            return
        Letter.objects.filter(pk=letter.pk).update(status=Status.SCHEDULED, send_at=timezone.now())
        transaction.on_commit(lambda: tasks.start_letter.enqueue(letter.pk))
        self.log_change(request, letter, _("Sent now."))
        messages.success(request, _("The letter is going out. Its progress shows below."))

    def _schedule(self, request, letter, action):
        if not self._editable(request, letter):
            return
        if letter.send_at is None or letter.send_at <= timezone.now():
            messages.error(request, _("Set “send at” to a time ahead, save, then schedule."))
            return
        Letter.objects.filter(pk=letter.pk).update(status=Status.SCHEDULED)
        self.log_change(request, letter, _("Scheduled."))
        messages.success(request, _("Scheduled: it goes out by itself at the set time."))

    def _cancel(self, request, letter, action):
        if not self._editable(request, letter):
            return
        Letter.objects.filter(pk=letter.pk).update(status=Status.CANCELLED)
        self.log_change(request, letter, _("Cancelled."))
        messages.success(request, _("Cancelled: it will not be sent."))

    def _retry(self, request, letter, action):
        count = tasks.retry_failed(letter)
        messages.success(
            request, _("%(count)s failed deliveries are being tried again.") % {"count": count}
        )

    def _refresh(self, request, letter, action):
        if not self._editable(request, letter):
            return
        added = letter.refresh_items()
        messages.success(request, _("%(count)s newly published pieces added.") % {"count": added})
