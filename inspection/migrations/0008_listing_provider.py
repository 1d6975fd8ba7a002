"""Each listing of an item Reloop inspected is held by the provider that inspected it (its centre
ships it): written from the inspection, where one is linked to the listing."""

from django.db import migrations


def forwards(apps, schema_editor):
    Inspection = apps.get_model("inspection", "Inspection")
    Listing = apps.get_model("listings", "Listing")
    for listing_id, provider_id in Inspection.objects.filter(
        listing__isnull=False, provider__isnull=False
    ).values_list("listing_id", "provider_id"):
        Listing.objects.filter(pk=listing_id, provider__isnull=True).update(provider_id=provider_id)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0007_inspection_provider"),
        ("listings", "0024_listing_provider"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
