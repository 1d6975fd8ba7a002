"""Orders in a given state for tests that are not about how they got there.

Rows are written as the services would leave them (order, payment, the ledger posting into escrow,
the listing sold), so that money tests start from a balanced ledger.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from inspection.models import Check, Checklist, CheckOutcome, CheckResult, Report, Severity
from listings.models import ListingSource, ListingStatus
from listings.photos import private_storage
from orders.models import Order, OrderEvent, OrderStatus, Payment, PaymentStatus, ReturnRequest
from orders.services.money import payment_received_post
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus
from tests.factories import InspectionFactory, ListingFactory, UserFactory

# A delivery address as checkout takes it (accounts.addresses' field names).
SHIP_TO = {
    "name": "Li Lei",
    "phone": "13800000000",
    "region": "Shanghai",
    "city": "Shanghai",
    "street": "18 Fuxing Road, Xuhui",
    "postcode": "200031",
}


def paid_order(
    *,
    buyer=None,
    listing=None,
    source: str = ListingSource.PERSON,
    price: str = "1299.00",
    shipping_fee: str = "0",
    **fields,
) -> Order:
    """An order the buyer has paid: money in escrow (the price and `shipping_fee`), listing sold.
    `fields` override Order columns (status, delivered_at...) for later states."""
    buyer = buyer or UserFactory()
    listing = listing or ListingFactory(source=source, price=Decimal(price))
    now = timezone.now()
    order = Order.objects.create(
        buyer=buyer,
        seller=listing.seller,
        listing=listing,
        title=listing.title,
        source=listing.source,
        price=listing.price,
        shipping_fee=Decimal(shipping_fee),
        status=OrderStatus.PAID,
        reserved_until=now + timedelta(minutes=15),
        paid_at=now,
        ship_to_name="Li Lei",
        ship_to_phone="13800000000",
        ship_to_address="18 Fuxing Road, Xuhui, Shanghai",
    )
    OrderEvent.objects.create(order=order, old=OrderStatus.PENDING_PAYMENT, new=OrderStatus.PAID)
    payment = Payment.objects.create(
        order=order,
        idempotency_key=f"order:{order.pk}:payment:1",
        provider_reference=f"pay_test_{order.pk}",
        amount=order.total,
        status=PaymentStatus.SUCCEEDED,
    )
    payment_received_post(payment=payment)
    listing.status = ListingStatus.SOLD
    listing.save(update_fields=["status"])
    carrier, tracking_number = fields.pop("carrier", ""), fields.pop("tracking_number", "")
    if tracking_number:
        fields["shipment"] = Shipment.objects.create(
            purpose=ShipmentPurpose.SALE if order.is_inspected_stock else ShipmentPurpose.PERSON_TO_PERSON,
            reference=order.number,
            carrier=carrier,
            tracking_number=tracking_number,
            status=ShipmentStatus.DELIVERED if fields.get("delivered_at") else ShipmentStatus.IN_TRANSIT,
        )
    if fields:
        for name, value in fields.items():
            setattr(order, name, value)
        order.save()
    return order


def delivered_order(*, days_ago: float = 1, **kwargs) -> Order:
    """A paid order that was shipped and delivered `days_ago` days ago: the return window runs."""
    delivered = timezone.now() - timedelta(days=days_ago)
    return paid_order(
        status=OrderStatus.DELIVERED,
        shipped_at=delivered - timedelta(days=2),
        delivered_at=delivered,
        carrier="sf",
        tracking_number="SF1234567890",
        **kwargs,
    )


def inspected_listing_with_report():
    """A platform listing whose published report has two checks: one passed, one a defect."""
    inspection = InspectionFactory()
    checklist = Checklist.objects.create(category=inspection.category, version=1)
    screen = Check.objects.create(
        checklist=checklist, code="screen", group="screen", label="Screen has no scratches",
        label_zh="屏幕无划痕", severity=Severity.MAJOR, position=1,
    )  # fmt: skip
    battery = Check.objects.create(
        checklist=checklist, code="battery", group="function", label="Battery health",
        severity=Severity.MAJOR, unit="%", position=2,
    )  # fmt: skip
    inspector = UserFactory()
    results = [
        CheckResult.objects.create(
            inspection=inspection, check_item=screen, outcome=CheckOutcome.PASS, recorded_by=inspector
        ),
        CheckResult.objects.create(
            inspection=inspection,
            check_item=battery,
            outcome=CheckOutcome.PASS,
            measured_value="91",
            recorded_by=inspector,
        ),
    ]
    report = Report.objects.create(inspection=inspection, content={}, content_hash="0" * 64)
    listing = ListingFactory(source=ListingSource.PLATFORM, report_code=report.code)
    return listing, results


def return_shipment(
    order: Order, *, carrier: str = "sandbox", tracking_number: str, label: bytes = b""
) -> Shipment:
    """The parcel of an order's return, as the buyer sent it (a typed tracking number) or, with
    `label`, on a label Reloop booked; the return points at it."""
    label_path = ""
    if label:
        label_path = private_storage().save(
            f"labels/{order.number}/{tracking_number}.pdf", ContentFile(label)
        )
    Shipment.objects.filter(purpose=ShipmentPurpose.BUYER_RETURN, reference=order.number).update(
        status=ShipmentStatus.CANCELLED
    )
    shipment = Shipment.objects.create(
        purpose=ShipmentPurpose.BUYER_RETURN,
        reference=order.number,
        carrier=carrier,
        tracking_number=tracking_number,
        booked=bool(label),
        label_path=label_path,
        status=ShipmentStatus.LABEL_CREATED if label else ShipmentStatus.IN_TRANSIT,
    )
    ReturnRequest.objects.filter(order=order).update(shipment=shipment)
    return shipment
