from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    name = "reading"
    verbose_name = _("Reader's site")

    def ready(self):
        from articles.changes import content_changed

        from . import cache

        # The one place where a change to the content reaches readers' pages.
        content_changed.connect(cache.content_changed, dispatch_uid="reading-cache")
