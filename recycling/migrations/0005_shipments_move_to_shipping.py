from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recycling", "0004_offer"),
        ("shipping", "0002_move_shipments"),
    ]

    operations = [
        migrations.DeleteModel(name="CarrierEvent"),
        migrations.DeleteModel(name="Shipment"),
    ]
