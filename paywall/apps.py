from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = _("Accounts and POZIRK+")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import sessions

        user_logged_in.connect(
            lambda sender, request, user, **kw: sessions.record_login(request, user),
            dispatch_uid="paywall.record_login",
            weak=False,
        )
        user_logged_out.connect(
            lambda sender, request, user, **kw: sessions.forget_logout(request, user),
            dispatch_uid="paywall.forget_logout",
            weak=False,
        )
