import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from . import bounces

        bounces.connect()
        # `make run`: the development server's serving process (the
        # autoreloader's child, RUN_MAIN) also runs a worker, so letters go
        # out with nothing else started. Never under gunicorn or a command.
        if (
            settings.NEWSLETTERS_EMBEDDED_WORKER
            and os.environ.get("RUN_MAIN") == "true"
            and sys.argv[1:2] == ["runserver"]
        ):
            from .worker import start_embedded

            start_embedded()
