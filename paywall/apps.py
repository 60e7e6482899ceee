from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = _("Accounts and POZIRK+")
