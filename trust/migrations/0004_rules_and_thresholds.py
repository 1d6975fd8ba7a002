"""The marketplace's rules with their points, in both languages, and the published thresholds
(trust.published)."""

from django.db import migrations

from trust.published import rules_ensure


def add(apps, schema_editor):
    rules_ensure(apps.get_model("trust", "Rule"), apps.get_model("trust", "Threshold"))


class Migration(migrations.Migration):
    dependencies = [("trust", "0003_violations")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
