from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_refund"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="reported_amount",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="amount reported"
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="reported_currency",
            field=models.CharField(blank=True, max_length=3, verbose_name="currency reported"),
        ),
        migrations.AlterField(
            model_name="payment",
            name="status",
            field=models.CharField(
                choices=[
                    ("created", "Started"),
                    ("succeeded", "Paid"),
                    ("failed", "Declined"),
                    ("refunded", "Refunded"),
                    ("review", "Held for review"),
                ],
                default="created",
                max_length=12,
                verbose_name="status",
            ),
        ),
    ]
