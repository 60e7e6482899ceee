from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models
        from .page_cache import content_changed

        def changed(**kwargs):
            content_changed()

        # Anything a reader's page shows: a change retires every cached page.
        for model in (
            models.Article,
            models.Section,
            models.Author,
            models.Tag,
            models.ArticleSection,
            models.TaggedArticle,
        ):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        m2m_changed.connect(changed, sender=models.Article.authors.through, weak=False)
