"""A covering index for the channel's newest-first scans that filter by what the index does not order
by: the words searched for, the brand, the grade, the price, the trust badges. A search walks the
newest listings on sale until it has enough matches (listings.selectors.RANK_WINDOW, and up to
FACET_SCAN_LIMIT for the filter panel's counts); with every column those filters and counts read in
the index, the walk is an index-only scan and visits no table row. PostgreSQL only: SQLite has no
covering indexes, and its scans are small."""

from django.db import migrations

FORWARD = """
CREATE INDEX listing_channel_cover ON listings_listing (published_at DESC, id DESC)
  INCLUDE (category_id, brand_id, grade, price, inspected_at, authenticated, search_vector)
  WHERE status = 'active' AND published_at IS NOT NULL;
"""

BACKWARD = "DROP INDEX IF EXISTS listing_channel_cover;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0014_facet_counts"),
    ]

    operations = [migrations.RunPython(forward, backward)]
