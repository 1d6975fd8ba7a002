from django.db import migrations, models
from django.db.models import F


def confirm_existing_accounts(apps, schema_editor):
    """Accounts made before e-mail confirmation existed keep buying and selling: they are taken as
    confirmed from the day they joined. Only new sign-ups confirm their address."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(email_confirmed_at__isnull=True).update(email_confirmed_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail confirmed"),
        ),
        migrations.RunPython(confirm_existing_accounts, migrations.RunPython.noop),
    ]
