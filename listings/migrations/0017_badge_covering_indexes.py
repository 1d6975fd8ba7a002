"""Covering indexes for the trust-badge filters ("platform inspected", "authenticated"), which shoppers
combine with words and other filters. A search with the inspected filter walked listing_channel_cover
through every listing on sale to find the inspected ones that match: with an index of the inspected
listings alone, carrying what the filters and the ranking read, the walk is a fifth as long and reads
no table row (the filtered page's query at 100,000 listings: 9 → 2.5 ms). The authenticated listings'
index gets the same columns.

PostgreSQL only has INCLUDE: there both are created here with it; elsewhere listing_inspected_cover is
created as the model declares it, and listing_authenticated_newest stays as it was."""

from django.db import migrations, models

INSPECTED = models.Index(
    fields=["-published_at", "-id"],
    name="listing_inspected_cover",
    condition=models.Q(status="active", published_at__isnull=False, inspected_at__isnull=False),
)

FORWARD = [
    """
    CREATE INDEX listing_inspected_cover ON listings_listing (published_at DESC, id DESC)
      INCLUDE (category_id, brand_id, grade, price, authenticated, search_vector)
      WHERE status = 'active' AND published_at IS NOT NULL AND inspected_at IS NOT NULL
    """,
    "DROP INDEX listing_authenticated_newest",
    """
    CREATE INDEX listing_authenticated_newest ON listings_listing (published_at DESC, id DESC)
      INCLUDE (category_id, brand_id, grade, price, inspected_at, search_vector)
      WHERE status = 'active' AND authenticated
    """,
]

BACKWARD = [
    "DROP INDEX listing_inspected_cover",
    "DROP INDEX listing_authenticated_newest",
    """
    CREATE INDEX listing_authenticated_newest ON listings_listing (published_at DESC, id DESC)
      WHERE status = 'active' AND authenticated
    """,
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)
    else:
        schema_editor.add_index(apps.get_model("listings", "Listing"), INSPECTED)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)
    else:
        schema_editor.remove_index(apps.get_model("listings", "Listing"), INSPECTED)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0016_channel_cover_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="listing", index=INSPECTED)],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
