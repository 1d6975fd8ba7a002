"""The published store levels. Rank 1 is where every store starts; the thresholds that move a store
up arrive with the levels' daily job."""

from django.db import migrations

LEVELS = [
    (1, "starter", "Starter store", "新手店铺"),
    (2, "trusted", "Trusted store", "优选店铺"),
    (3, "gold", "Gold store", "金牌店铺"),
]


def add_levels(apps, schema_editor):
    Level = apps.get_model("trust", "Level")
    for rank, code, name, name_zh in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"rank": rank, "name": name, "name_zh": name_zh})


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]

    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
