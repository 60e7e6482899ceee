"""Rebuild every article's search documents.

Saves keep them current; this is for databases filled around the model (bulk
imports, restores) or after changing how documents are built.
"""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.search import index_fields, refresh_vectors

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search documents (and PostgreSQL vectors) of every article."

    def handle(self, *args, **options):
        total = 0
        batch = []
        for article in Article.objects.select_related("section").iterator(chunk_size=BATCH):
            for field, value in index_fields(article).items():
                setattr(article, field, value)
            batch.append(article)
            if len(batch) == BATCH:
                total += self._flush(batch)
        total += self._flush(batch)
        refresh_vectors(Article.objects.all())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt for {total} articles."))

    def _flush(self, batch):
        fields = [
            "search_text_public",
            "search_text_full",
            "search_norm_public",
            "search_norm_full",
        ]
        Article.objects.bulk_update(batch, fields)
        count = len(batch)
        batch.clear()
        return count
