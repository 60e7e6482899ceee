from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import listings, models
        from .page_cache import content_changed

        def changed(**kwargs):
            content_changed()
            # Again once the change is committed: a page rendered meanwhile,
            # from rows not yet committed, must not outlive the change.
            transaction.on_commit(content_changed)

        # Anything a reader's page shows: a change retires every cached page.
        for model in (
            models.Article,
            models.Section,
            models.Author,
            models.Tag,
            models.ArticleSection,
            models.TaggedArticle,
            models.Pin,
            models.Correction,
        ):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        for relation in (models.Article.authors, models.Article.related):
            m2m_changed.connect(changed, sender=relation.through, weak=False)
        listings.connect()
        from . import renditions  # noqa: F401  (its receivers make renditions on save)
