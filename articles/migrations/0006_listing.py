"""Listings: each published article's place in the headline feeds, so that
feeds page through one index (articles/listings.py). Filled here for the
articles already published, by the statement listings.py uses, as it stood
when this migration was written."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
INSERT INTO articles_listing (feed, article_id, published_at)
SELECT feed, article_id, published_at FROM (
    SELECT 'home' AS feed, a.id AS article_id, a.published_at AS published_at
    FROM articles_article a WHERE a.status = 'published' AND a.published_at IS NOT NULL
    UNION SELECT 'plus', a.id, a.published_at
    FROM articles_article a
    WHERE a.status = 'published' AND a.published_at IS NOT NULL AND a.access = 'plus'
    UNION SELECT 'section:' || a.section_id, a.id, a.published_at
    FROM articles_article a WHERE a.status = 'published' AND a.published_at IS NOT NULL
    UNION SELECT 'section:' || s.section_id, a.id, a.published_at
    FROM articles_article a JOIN articles_articlesection s ON s.article_id = a.id
    WHERE a.status = 'published' AND a.published_at IS NOT NULL
    UNION SELECT 'tag:' || t.tag_id, a.id, a.published_at
    FROM articles_article a JOIN articles_taggedarticle t ON t.content_object_id = a.id
    WHERE a.status = 'published' AND a.published_at IS NOT NULL
    UNION SELECT 'author:' || w.author_id, a.id, a.published_at
    FROM articles_article a JOIN articles_article_authors w ON w.article_id = a.id
    WHERE a.status = 'published' AND a.published_at IS NOT NULL
) listed
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='Listing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('feed', models.CharField(max_length=40, verbose_name='feed')),
                ('published_at', models.DateTimeField(verbose_name='published at')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listings', to='articles.article')),
            ],
            options={
                'verbose_name': 'listing',
                'verbose_name_plural': 'listings',
                'indexes': [models.Index(fields=['feed', '-published_at', '-article'], name='listing_feed_idx')],
                'constraints': [models.UniqueConstraint(fields=('feed', 'article'), name='listing_once_per_feed')],
            },
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
