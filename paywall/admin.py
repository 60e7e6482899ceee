import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .backends import forget_readers
from .models import Plan, Subscription, SubscriptionStatus, User

# The "expiring" filter's horizon: time enough to remind a reader to renew.
EXPIRING_DAYS = 7


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = UserCreationForm
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        ),
    ]


class SubscriptionStateFilter(admin.SimpleListFilter):
    """Where a subscription stands right now, as `Subscription.state` says it;
    each choice asks SubscriptionQuerySet, so the list and the gate agree."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Active now")),
            ("expiring", _("Expiring within %(days)d days") % {"days": EXPIRING_DAYS}),
            ("expired", _("Expired")),
            ("upcoming", _("Starts later")),
            ("cancelled", _("Cancelled")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "active":
            return queryset.current()
        if value == "expiring":
            return queryset.expiring_within(EXPIRING_DAYS)
        if value == "expired":
            return queryset.expired()
        if value == "upcoming":
            return queryset.upcoming()
        if value == "cancelled":
            return queryset.cancelled()
        return queryset


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_days", "is_active", "active_subscriptions"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        """Each plan with the number of its subscriptions in force now, counted
        in the same query as the list."""
        in_force = Subscription.objects.current()
        return (
            super()
            .get_queryset(request)
            .annotate(
                num_active=Count("subscription", filter=Q(subscription__in=in_force.values("pk")))
            )
        )

    @admin.display(description=_("active subscriptions"), ordering="num_active")
    def active_subscriptions(self, obj):
        return obj.num_active


class SubscriptionAdminForm(forms.ModelForm):
    class Meta:
        model = Subscription
        # The admin chooses the fields through SubscriptionAdmin.fieldsets.
        fields = "__all__"  # noqa: DJ007

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.fields.get("plan")
        if plan is not None:
            # Only offered plans can be granted; an existing subscription keeps its own.
            plan.queryset = plan.queryset.filter(Q(is_active=True) | Q(pk=self.instance.plan_id))


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """The subscriptions manager's desk: find a reader, grant, extend, cancel."""

    form = SubscriptionAdminForm
    list_display = ["reader", "plan", "starts_at", "ends_at", "current_state", "source"]
    list_display_links = ["reader"]
    list_select_related = ["user", "plan"]
    list_filter = [SubscriptionStateFilter, "plan", "source"]
    search_fields = ["user__email"]
    search_help_text = _("Find a reader by email address.")
    autocomplete_fields = ["user"]
    date_hierarchy = "ends_at"
    readonly_fields = ["created_at", "updated_at"]
    actions = ["extend", "cancel_now"]
    fieldsets = [
        (None, {"fields": ["user", "plan", "starts_at", "ends_at"]}),
        (_("Status"), {"fields": ["status", "source", "note"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # A grant has no record yet.
            return self.fieldsets[:-1]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.user_id is None:
            # The reader deleted their account: the row stays anonymous.
            fields.append("user")
        return fields

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            extra_context = {**(extra_context or {}), **plan_summary()}
        return super().changelist_view(request, extra_context)

    # The admin history names a subscription without its reader: Django would
    # store str(subscription), email included, and keep it after the reader
    # deletes their account.

    def log_addition(self, request, obj, message):
        log_history(request, [obj], ADDITION, message)

    def log_change(self, request, obj, message):
        log_history(request, [obj], CHANGE, message)

    def log_deletions(self, request, queryset):
        log_history(request, queryset, DELETION, "")

    @admin.display(description=_("reader"), ordering="user__email")
    def reader(self, obj):
        return obj.user.email if obj.user_id else _("deleted reader")

    @admin.display(description=_("state"))
    def current_state(self, obj):
        return obj.state

    @admin.action(description=_("Extend by the plan's duration"), permissions=["change"])
    def extend(self, request, queryset):
        """From the current end, or from now if it has already passed."""
        now = timezone.now()
        subscriptions = list(queryset.select_related("plan"))
        reactivated = 0
        for subscription in subscriptions:
            if subscription.status != SubscriptionStatus.ACTIVE:
                reactivated += 1
            subscription.ends_at = max(subscription.ends_at, now) + subscription.plan.duration
            subscription.status = SubscriptionStatus.ACTIVE
            subscription.updated_at = now
        with transaction.atomic():
            Subscription.objects.bulk_update(subscriptions, ["ends_at", "status", "updated_at"])
            changed_readers([s.user_id for s in subscriptions])
            log_history(request, subscriptions, CHANGE, "Extended by the plan's duration.")
        count = len(subscriptions)
        self.message_user(
            request,
            ngettext(
                "%d subscription was extended by its plan's duration.",
                "%d subscriptions were extended by their plan's duration.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
        if reactivated:
            self.message_user(
                request,
                ngettext(
                    "%d of them had been cancelled: it is active again.",
                    "%d of them had been cancelled: they are active again.",
                    reactivated,
                )
                % reactivated,
                messages.WARNING,
            )

    @admin.action(description=_("Cancel now"), permissions=["change"])
    def cancel_now(self, request, queryset):
        with transaction.atomic():
            already = queryset.cancelled().count()
            subscriptions = list(queryset.select_related("plan"))
            cancelled = (
                queryset.update(status=SubscriptionStatus.CANCELLED, updated_at=timezone.now())
                - already
            )
            log_history(request, subscriptions, CHANGE, "Cancelled.")
            changed_readers([s.user_id for s in subscriptions])
        self.message_user(
            request,
            ngettext(
                "%d subscription was cancelled: its reader has lost access now.",
                "%d subscriptions were cancelled: their readers have lost access now.",
                cancelled,
            )
            % cancelled,
            messages.SUCCESS,
        )
        if already:
            self.message_user(
                request,
                ngettext("%d was cancelled already.", "%d were cancelled already.", already)
                % already,
                messages.INFO,
            )


def history_name(subscription):
    """How the admin history names a subscription: by number and plan, never by
    reader, so nothing of a reader outlives their account there."""
    return f"Subscription {subscription.pk} ({subscription.plan})"


def changed_readers(user_ids):
    """Subscriptions changed around their model (bulk_update, update): the
    readers kept by paywall.backends are dropped now and once committed."""
    forget_readers(user_ids)
    transaction.on_commit(lambda: forget_readers(user_ids))


def log_history(request, subscriptions, action_flag, message):
    """One admin history entry per subscription, in one query."""
    content_type = ContentType.objects.get_for_model(Subscription, for_concrete_model=False)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=request.user.pk,
            content_type_id=content_type.pk,
            object_id=str(subscription.pk),
            object_repr=history_name(subscription)[:200],
            action_flag=action_flag,
            change_message=json.dumps(message) if isinstance(message, list) else message,
        )
        for subscription in subscriptions
    )


def plan_summary(moment=None):
    """How many readers each plan serves right now, and how many readers in all.

    Counts only, no names. A reader with two subscriptions in force counts
    once per plan and once in the total; expired, cancelled and anonymised
    subscriptions do not count. Two queries, however many plans and readers.
    """
    moment = moment or timezone.now()
    in_force = Subscription.objects.covering(moment)
    plans = Plan.objects.annotate(
        readers=Count(
            "subscription__user",
            distinct=True,
            filter=Q(subscription__in=in_force.values("pk")),
        )
    )
    total = in_force.aggregate(readers=Count("user", distinct=True))["readers"]
    return {
        "plan_summary": [{"plan": plan, "readers": plan.readers} for plan in plans],
        "active_readers_total": total,
    }
