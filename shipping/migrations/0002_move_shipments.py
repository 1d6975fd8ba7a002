"""Every parcel moves into shipping: recycling's shipments and their carrier events, the tracking
numbers of shipped orders, and the return labels of orders (whose PDFs were stored in the database
and become files in private storage, like every other label).

Reversible: going back copies them to where they were, so that the migration can be tested on a
database in either direction.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import migrations

# As they were when this migration was written; a migration must not read code that may change.
CENTRE = {
    "name": "Reloop Inspection Centre",
    "phone": "+862150801234",
    "region": "Shanghai",
    "city": "Shanghai",
    "street": "Building 3, 188 Huanke Road, Zhangjiang, Pudong",
    "postcode": "201203",
}
INSPECTED_SOURCES = ("platform", "consigned")
CARRIER_CODES = {
    "sandbox": "sandbox",
    "sandbox express": "sandbox",
    "sf express": "sf",
    "sf": "sf",
    "顺丰": "sf",
    "顺丰速运": "sf",
    "jd logistics": "jd",
    "京东物流": "jd",
    "ems": "ems",
    "china post ems": "ems",
    "zto": "zto",
    "zto express": "zto",
    "中通": "zto",
    "yto": "yto",
    "yto express": "yto",
    "圆通": "yto",
    "sto": "sto",
    "sto express": "sto",
    "申通": "sto",
    "yunda": "yunda",
    "yunda express": "yunda",
    "韵达": "yunda",
}
AFTER_SHIPPING = ("shipped", "delivered", "completed", "return_requested", "returned", "refunded", "disputed", "resolved")


def private_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def person(user) -> dict:
    return {"name": user.display_name or user.username, "phone": "", "region": "", "city": user.city, "street": "", "postcode": ""}


def ship_to(order) -> dict:
    return {
        "name": order.ship_to_name,
        "phone": order.ship_to_phone,
        "region": getattr(order, "ship_to_region", ""),
        "city": getattr(order, "ship_to_city", ""),
        "street": order.ship_to_address,
        "postcode": getattr(order, "ship_to_postcode", ""),
    }


def carrier_code(name: str) -> str:
    return CARRIER_CODES.get(name.strip().casefold(), name.strip())


def forward(apps, schema_editor):
    OldShipment = apps.get_model("recycling", "Shipment")
    OldEvent = apps.get_model("recycling", "CarrierEvent")
    Order = apps.get_model("orders", "Order")
    ReturnRequest = apps.get_model("orders", "ReturnRequest")
    Shipment = apps.get_model("shipping", "Shipment")
    CarrierEvent = apps.get_model("shipping", "CarrierEvent")

    new_ids = {}
    for old in OldShipment.objects.select_related("submission__seller").order_by("id").iterator():
        seller = person(old.submission.seller)
        inbound = old.direction == "inbound"
        shipment = Shipment.objects.create(
            purpose="inbound" if inbound else "seller_return",
            reference=old.submission.code,
            carrier=old.carrier,
            method=old.method,
            pickup_start=old.pickup_start,
            pickup_end=old.pickup_end,
            tracking_number=old.tracking_number,
            booked=True,
            sender=seller if inbound else CENTRE,
            recipient=CENTRE if inbound else seller,
            label_path=old.label_path,
            status=old.status,
        )
        Shipment.objects.filter(pk=shipment.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        new_ids[old.pk] = shipment.pk
    CarrierEvent.objects.bulk_create(
        CarrierEvent(
            shipment_id=new_ids[event.shipment_id],
            event_id=event.event_id,
            kind=event.kind,
            location=str((event.payload or {}).get("location") or "")[:60],
            occurred_at=event.occurred_at,
            received_at=event.received_at,
            payload=event.payload,
        )
        for event in OldEvent.objects.order_by("id").iterator()
    )

    for order in Order.objects.exclude(tracking_number="").select_related("seller").order_by("id").iterator():
        inspected = order.source in INSPECTED_SOURCES
        shipment = Shipment.objects.create(
            purpose="sale" if inspected else "person_to_person",
            reference=order.number,
            carrier=carrier_code(order.carrier),
            tracking_number=order.tracking_number,
            booked=False,
            sender=CENTRE if inspected else person(order.seller),
            recipient=ship_to(order),
            status="in_transit" if order.status == "shipped" or order.delivered_at is None else "delivered",
        )
        Shipment.objects.filter(pk=shipment.pk).update(
            created_at=order.shipped_at or order.updated_at, updated_at=order.delivered_at or order.updated_at
        )
        Order.objects.filter(pk=order.pk).update(shipment=shipment)

    storage = private_storage()
    for returned in ReturnRequest.objects.exclude(tracking_number="").select_related("order__seller").order_by("id"):
        order = returned.order
        inspected = order.source in INSPECTED_SOURCES
        label = bytes(returned.label_pdf) if returned.label_pdf else b""
        label_path = (
            storage.save(f"labels/{order.number}/{returned.tracking_number}.pdf", ContentFile(label)) if label else ""
        )
        status = {"received": "delivered", "withdrawn": "label_created"}.get(returned.status, "label_created")
        shipment = Shipment.objects.create(
            purpose="buyer_return",
            reference=order.number,
            carrier=carrier_code(returned.carrier),
            method="drop_off" if label else "",
            tracking_number=returned.tracking_number,
            booked=bool(label),
            sender=ship_to(order),
            recipient=CENTRE if inspected else person(order.seller),
            label_path=label_path,
            status=status if label else ("delivered" if returned.status == "received" else "in_transit"),
        )
        Shipment.objects.filter(pk=shipment.pk).update(created_at=returned.created_at)
        ReturnRequest.objects.filter(pk=returned.pk).update(shipment=shipment)


def backward(apps, schema_editor):
    OldShipment = apps.get_model("recycling", "Shipment")
    OldEvent = apps.get_model("recycling", "CarrierEvent")
    Submission = apps.get_model("recycling", "Submission")
    Order = apps.get_model("orders", "Order")
    ReturnRequest = apps.get_model("orders", "ReturnRequest")
    Shipment = apps.get_model("shipping", "Shipment")
    CarrierEvent = apps.get_model("shipping", "CarrierEvent")

    submissions = dict(Submission.objects.values_list("code", "pk"))
    old_ids = {}
    for shipment in Shipment.objects.filter(purpose__in=("inbound", "seller_return")).order_by("id"):
        if shipment.reference not in submissions or not shipment.tracking_number:
            continue
        old = OldShipment.objects.create(
            submission_id=submissions[shipment.reference],
            direction="inbound" if shipment.purpose == "inbound" else "return",
            carrier=shipment.carrier,
            method=shipment.method or "drop_off",
            pickup_start=shipment.pickup_start,
            pickup_end=shipment.pickup_end,
            tracking_number=shipment.tracking_number,
            label_path=shipment.label_path,
            status=shipment.status,
        )
        OldShipment.objects.filter(pk=old.pk).update(created_at=shipment.created_at, updated_at=shipment.updated_at)
        old_ids[shipment.pk] = old.pk
    OldEvent.objects.bulk_create(
        OldEvent(
            shipment_id=old_ids[event.shipment_id],
            event_id=event.event_id,
            kind=event.kind,
            occurred_at=event.occurred_at,
            received_at=event.received_at,
            payload=event.payload,
        )
        for event in CarrierEvent.objects.filter(shipment_id__in=old_ids).order_by("id")
    )
    for order in Order.objects.exclude(shipment=None).select_related("shipment"):
        Order.objects.filter(pk=order.pk).update(
            carrier=order.shipment.carrier, tracking_number=order.shipment.tracking_number
        )
    storage = private_storage()
    for returned in ReturnRequest.objects.exclude(shipment=None).select_related("shipment"):
        shipment = returned.shipment
        label = None
        if shipment.label_path and storage.exists(shipment.label_path):
            with storage.open(shipment.label_path, "rb") as label_file:
                label = label_file.read()
        ReturnRequest.objects.filter(pk=returned.pk).update(
            carrier=shipment.carrier, tracking_number=shipment.tracking_number, label_pdf=label
        )
    Order.objects.update(shipment=None)
    ReturnRequest.objects.update(shipment=None)
    Shipment.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0001_initial"),
        ("recycling", "0004_offer"),
        ("orders", "0002_shipment_and_address"),
    ]

    operations = [migrations.RunPython(forward, backward)]
