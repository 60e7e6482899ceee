from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("POZIRK+ payments and access codes")

    def ready(self):
        from paywall.accounts import account_deleting

        from . import billing

        account_deleting.connect(
            billing.on_account_deleting, dispatch_uid="payments.forget", weak=False
        )
