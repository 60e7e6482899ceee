"""One signal for every change a reader could see: `content_changed`.

It is sent for each save or delete of a model whose rows a reader's page
shows (CONTENT_MODELS, cascades included), for each change to an article's
bylines or related pieces, and by code that writes around the models, bulk
imports and admin actions among them (`announce`). Whatever keeps rendered
pages listens to it (reading/apps.py connects the reader's site's cache);
the content app itself knows nothing of pages.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from .models import (
    Article,
    ArticleSection,
    Author,
    Correction,
    InfoPage,
    Pin,
    Section,
    Tag,
    TaggedArticle,
)

content_changed = Signal()

# Everything a reader's page shows rows of.
CONTENT_MODELS = (
    Article,
    Section,
    Author,
    Tag,
    ArticleSection,
    TaggedArticle,
    Pin,
    Correction,
    InfoPage,
)


def announce(sender=Article):
    """Tell the listeners that content changed (for writes that send no model
    signal: bulk imports, queryset updates)."""
    content_changed.send(sender=sender)


def _model_changed(sender, **kwargs):
    announce(sender)


def connect():
    """Send content_changed on every model change listed above (ArticlesConfig.ready)."""
    for model in CONTENT_MODELS:
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"changes-{model.__name__}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"changes-{model.__name__}")
    for relation in (Article.authors, Article.related):
        m2m_changed.connect(
            _model_changed,
            sender=relation.through,
            dispatch_uid=f"changes-{relation.through.__name__}",
        )
