"""Version 1 of every category's checklist, for the categories that exist when it runs.

Categories usually come later (seed_demo, the admin): `manage.py load_checklists` fills those in
with the same function, and creating only what is missing makes both safe to run again.
"""

from django.db import migrations


def load(apps, schema_editor):
    from inspection.checklists import checklists_load

    checklists_load(only_missing=True, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
