from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import changes, listings, renditions

        # What a save sets off besides the row itself, in one place: the
        # article's places in the feeds, its image renditions, and the
        # content_changed signal that retires readers' cached pages.
        listings.connect()
        renditions.connect()
        changes.connect()
