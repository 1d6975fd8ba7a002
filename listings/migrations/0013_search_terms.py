"""The words a mistyped query may be corrected to, with pg_trgm's index on PostgreSQL and a trigram
table on SQLite."""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = "CREATE INDEX search_term_word_trgm ON listings_searchterm USING gin (word gin_trgm_ops);"
BACKWARD = "DROP INDEX IF EXISTS search_term_word_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0012_search_words"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True, verbose_name="word")),
                ("listings", models.PositiveIntegerField(default=0, verbose_name="listings on sale with it")),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
            },
        ),
        migrations.CreateModel(
            name="SearchTermTrigram",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("trigram", models.CharField(max_length=3, verbose_name="trigram")),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trigrams",
                        to="listings.searchterm",
                    ),
                ),
            ],
            options={
                "verbose_name": "search term trigram",
                "verbose_name_plural": "search term trigrams",
                "indexes": [models.Index(fields=["trigram", "term"], name="search_term_trigram")],
                "constraints": [
                    models.UniqueConstraint(fields=("term", "trigram"), name="search_term_trigram_once")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
