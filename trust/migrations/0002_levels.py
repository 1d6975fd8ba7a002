"""The published store levels (trust.published). Rank 1 is where every store starts; the thresholds
that move a store up arrive with the levels' daily job."""

from django.db import migrations

from trust.published import levels_ensure


def add_levels(apps, schema_editor):
    levels_ensure(apps.get_model("trust", "Level"))


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]

    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
