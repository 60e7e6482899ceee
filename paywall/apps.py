from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = _("Accounts and POZIRK+")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from . import sessions
        from .backends import forget_readers
        from .models import Subscription, User

        def reader_changed(sender, instance, **kwargs):
            """A reader kept by paywall.backends is dropped when they or one
            of their subscriptions change, and again once the change is
            committed (a request may have read them meanwhile)."""
            user_ids = [instance.pk if sender is User else instance.user_id]
            forget_readers(user_ids)
            transaction.on_commit(lambda: forget_readers(user_ids))

        for model in (User, Subscription):
            for signal in (post_save, post_delete):
                signal.connect(
                    reader_changed,
                    sender=model,
                    dispatch_uid=f"paywall.reader_changed.{model.__name__}.{id(signal)}",
                    weak=False,
                )

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
