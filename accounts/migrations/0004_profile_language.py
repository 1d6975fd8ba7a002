from django.db import migrations, models
from django.db.models import Q

# marketplace.text_language.HAN, written out so that PostgreSQL's and SQLite's regex read it alike.
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


def detect_existing(apps, schema_editor):
    """Profiles written before the field existed, decided as User.save decides for new ones."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(Q(display_name__regex=HAN) | Q(city__regex=HAN) | Q(bio__regex=HAN)).update(
        profile_language="zh-hans"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_seller_rating"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="profile_language",
            field=models.CharField(default="en", editable=False, max_length=8, verbose_name="profile language"),
        ),
        migrations.RunPython(detect_existing, migrations.RunPython.noop, elidable=True),
    ]
