import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("shipping", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="shipment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="shipping.shipment",
                verbose_name="shipment",
            ),
        ),
        migrations.AddField(
            model_name="returnrequest",
            name="shipment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="shipping.shipment",
                verbose_name="shipment",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="ship_to_region",
            field=models.CharField(blank=True, max_length=60, verbose_name="province or state"),
        ),
        migrations.AddField(
            model_name="order",
            name="ship_to_city",
            field=models.CharField(blank=True, max_length=60, verbose_name="city"),
        ),
        migrations.AddField(
            model_name="order",
            name="ship_to_postcode",
            field=models.CharField(blank=True, max_length=10, verbose_name="postcode"),
        ),
    ]
