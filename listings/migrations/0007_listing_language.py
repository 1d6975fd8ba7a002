from django.db import migrations, models
from django.db.models import Q

# marketplace.text_language.HAN, written out so that PostgreSQL's and SQLite's regex read it alike.
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


def detect_existing(apps, schema_editor):
    """Listings written before the field existed: any Han character in the title or description
    means Chinese, as marketplace.text_language.written_language decides for new ones."""
    Listing = apps.get_model("listings", "Listing")
    Listing.objects.filter(Q(title__regex=HAN) | Q(description__regex=HAN)).update(language="zh-hans")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0006_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="language",
            field=models.CharField(default="en", editable=False, max_length=8, verbose_name="language"),
        ),
        migrations.RunPython(detect_existing, migrations.RunPython.noop, elidable=True),
    ]
