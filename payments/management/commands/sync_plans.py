"""Copy each plan's price and currency from its plan (or price) in Stripe."""

import stripe
from django.core.management.base import BaseCommand, CommandError

from payments import billing
from paywall.models import Plan


class Command(BaseCommand):
    help = (
        "Copy the amount and currency of every plan with a Stripe plan or price id from "
        "Stripe, so the join page shows what Stripe charges. Run after changing prices."
    )

    def handle(self, *args, **options):
        if not billing.configured():
            raise CommandError("Set STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY first.")
        plans = Plan.objects.exclude(stripe_plan_id="")
        if not plans:
            self.stdout.write("No plan has a Stripe plan or price id yet (admin: Plans).")
        for plan in plans:
            try:
                found = billing.api().Plan.retrieve(plan.stripe_plan_id)
            except stripe.InvalidRequestError as error:
                raise CommandError(f"{plan}: Stripe has no plan {plan.stripe_plan_id}.") from error
            plan.price_amount = found.amount
            plan.price_currency = found.currency.lower()
            plan.save(update_fields=["price_amount", "price_currency"])
            self.stdout.write(
                f"{plan}: {found.amount / 100:.2f} {found.currency.upper()} "
                f"every {found.interval_count} {found.interval}"
            )
