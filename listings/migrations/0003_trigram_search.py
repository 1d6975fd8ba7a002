"""Trigram indexes for searches that full-text search cannot serve: queries in Chinese (PostgreSQL's
parser does not split CJK text into words) match titles and descriptions by substring, which these
GIN indexes answer without scanning the table. The expressions match what Django's `icontains`
emits on PostgreSQL: UPPER("column"::text) LIKE UPPER(%s)."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX listing_title_trgm ON listings_listing
  USING gin (UPPER("title"::text) gin_trgm_ops) WHERE status = 'active';
CREATE INDEX listing_description_trgm ON listings_listing
  USING gin (UPPER("description"::text) gin_trgm_ops) WHERE status = 'active';
"""

BACKWARD = """
DROP INDEX IF EXISTS listing_title_trgm;
DROP INDEX IF EXISTS listing_description_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listings", "0002_search_vector_trigger")]
    operations = [migrations.RunPython(forward, backward)]
