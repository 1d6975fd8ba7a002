import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_profile_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="Address",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60, verbose_name="recipient")),
                ("phone", models.CharField(max_length=20, verbose_name="phone")),
                ("region", models.CharField(max_length=60, verbose_name="province or state")),
                ("city", models.CharField(max_length=60, verbose_name="city")),
                ("street", models.CharField(max_length=200, verbose_name="street address")),
                ("postcode", models.CharField(max_length=10, verbose_name="postcode")),
                ("is_default", models.BooleanField(default=False, verbose_name="default address")),
                (
                    "language",
                    models.CharField(default="en", editable=False, max_length=8, verbose_name="language"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="addresses",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "address",
                "verbose_name_plural": "addresses",
                "ordering": ("-is_default", "-created_at", "-id"),
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("user",),
                        name="address_one_default_per_user",
                        violation_error_message="A user can have only one default address.",
                    )
                ],
            },
        ),
    ]
