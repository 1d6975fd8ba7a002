"""Reloop's own inspection centre becomes the first provider, and the platform's staff its members:
each user in a staff group, in the role of that group (the first, when they have several)."""

from django.db import migrations

ROLES = {"operations": "operations", "inspectors": "inspector", "authenticators": "authenticator"}


def forwards(apps, schema_editor):
    Provider = apps.get_model("providers", "Provider")
    ProviderMember = apps.get_model("providers", "ProviderMember")
    User = apps.get_model("accounts", "User")
    centre, _created = Provider.objects.get_or_create(
        is_platform=True,
        defaults={"code": "reloop", "name": "Reloop inspection centre", "kind": "inspection_centre"},
    )
    for group, role in ROLES.items():
        for user in User.objects.filter(groups__name=group).exclude(provider_membership__isnull=False):
            ProviderMember.objects.create(provider=centre, user=user, role=role)


def backwards(apps, schema_editor):
    apps.get_model("providers", "ProviderMember").objects.filter(provider__is_platform=True).delete()
    apps.get_model("providers", "Provider").objects.filter(is_platform=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
