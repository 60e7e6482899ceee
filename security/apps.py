from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import factors

        user_logged_in.connect(factors.on_password_login, dispatch_uid="security.password_login")
        user_login_failed.connect(
            factors.on_password_failure, dispatch_uid="security.password_failure"
        )
