from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_shipment_and_address"),
        ("shipping", "0002_move_shipments"),
    ]

    operations = [
        migrations.RemoveField(model_name="order", name="carrier"),
        migrations.RemoveField(model_name="order", name="tracking_number"),
        migrations.RemoveField(model_name="returnrequest", name="carrier"),
        migrations.RemoveField(model_name="returnrequest", name="tracking_number"),
        migrations.RemoveField(model_name="returnrequest", name="label_pdf"),
    ]
