"""POZIRK+ at a glance for the subscriptions manager: counts and sums only,
never who. A handful of queries, however many members."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from paywall.models import Plan, Subscription, SubscriptionSource

from .models import CardSubscription

# A month, for turning a plan's price into a monthly figure.
MONTH_DAYS = Decimal("30.4375")


def _month_start(moment):
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months(now):
    this_month = _month_start(now)
    last_month = _month_start(this_month - timedelta(days=1))
    return this_month, last_month


def summary(now=None):
    now = now or timezone.now()
    in_force = Subscription.objects.covering(now)
    by_plan = list(
        Plan.objects.annotate(
            members=Count(
                "subscription__user",
                distinct=True,
                filter=Q(subscription__in=in_force.values("pk")),
            )
        ).values("name", "members")
    )
    counted = dict(in_force.values_list("source").annotate(members=Count("user", distinct=True)))
    by_source = [
        {"source": label, "members": counted.get(value, 0)}
        for value, label in SubscriptionSource.choices
    ]
    this_month, last_month = _months(now)
    months = []
    for label, start, end in (
        ("this", this_month, now),
        ("last", last_month, this_month),
    ):
        months.append(
            {
                "month": start,
                "new": Subscription.objects.filter(starts_at__gte=start, starts_at__lt=end).count(),
                "ended": Subscription.objects.filter(ends_at__gte=start, ends_at__lt=end).count(),
                "which": label,
            }
        )
    renewing = (
        CardSubscription.objects.filter(
            status__in=("active", "trialing", "past_due"),
            cancel_at_period_end=False,
            membership__in=in_force,
        )
        .values("plan__price_amount", "plan__price_currency", "plan__duration_days")
        .annotate(count=Count("pk"))
    )
    revenue = {}
    for row in renewing:
        if row["plan__price_amount"] is None:
            continue
        monthly = (
            Decimal(row["plan__price_amount"])
            / 100
            * row["count"]
            * MONTH_DAYS
            / row["plan__duration_days"]
        )
        currency = row["plan__price_currency"].upper()
        revenue[currency] = revenue.get(currency, Decimal(0)) + monthly
    return {
        "by_plan": by_plan,
        "by_source": by_source,
        "months": months,
        "in_grace": CardSubscription.objects.in_grace(now).count(),
        "monthly_revenue": [
            {"currency": currency, "amount": amount.quantize(Decimal("0.01"))}
            for currency, amount in sorted(revenue.items())
        ],
        "active_members": in_force.aggregate(members=Count("user", distinct=True))["members"],
    }
