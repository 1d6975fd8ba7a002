"""The members of partner providers are marked as a partner's staff on their accounts
(accounts.User.partner_staff), which the desks of the whole marketplace refuse."""

from django.db import migrations


def forwards(apps, schema_editor):
    ProviderMember = apps.get_model("providers", "ProviderMember")
    User = apps.get_model("accounts", "User")
    partners = ProviderMember.objects.filter(provider__is_platform=False).values_list("user_id", flat=True)
    User.objects.filter(pk__in=list(partners)).update(partner_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0003_provider_payee"),
        ("accounts", "0008_partner_staff"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
