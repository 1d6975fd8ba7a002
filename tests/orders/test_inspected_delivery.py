"""Inspected delivery (验货宝): the buyer of a private seller's item pays for inspection at checkout, the
seller ships to the centre, the desk receives it, the inspector checks it against the listing; it goes
on to the buyer with its report, or back to the seller with the buyer refunded in full. The money
stays in escrow until then, and the ledger balances at every ending."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from django.urls import reverse

from inspection.models import Inspection
from inspection.services.workbench import inspection_claim_next, inspection_complete
from inspection.subjects import subject_details
from listings.models import ListingSource
from notifications.models import Notification
from orders.errors import OrderError
from orders.models import Order, OrderStatus
from orders.services.centre import order_receive_at_centre
from orders.services.checkout import order_address_set, order_place, payment_start
from orders.services.fulfilment import order_confirm_receipt, order_label_book, order_mark_shipped
from orders.services.inspected import order_inspection_choose
from shipping.carriers import INSPECTION_CENTRE
from shipping.errors import ShippingError
from shipping.models import Shipment, ShipmentPurpose
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.inspection.desk_fixtures import answer_all, inspector, small_checklist
from tests.orders.helpers import SHIP_TO
from tests.recycling.shipping_fixtures import operations_user
from wallet.models import AccountPurpose, Entry, Transaction
from wallet.services.ledger import platform_account

pytestmark = pytest.mark.django_db

FEE = Decimal("39.00")
SHIPPING = Decimal("12.00")


@pytest.fixture
def listing():
    category = CategoryFactory()
    small_checklist(category)
    return ListingFactory(category=category, price=Decimal("2000.00"), title="Nintendo Switch OLED")


def _escrow_of(order: Order) -> Decimal:
    """What the escrow account holds for this order: the sum of its entries on postings for it."""
    escrow = platform_account(purpose=AccountPurpose.ESCROW)
    total = Entry.objects.filter(account=escrow, transaction__reference=order.number).aggregate(
        s=Sum("amount")
    )
    return total["s"] or Decimal("0")


def _balanced() -> bool:
    return all(
        sum(entry.amount for entry in txn.entries.all()) == 0
        for txn in Transaction.objects.prefetch_related("entries")
    )


def _paid_with_inspection(client, capture, listing) -> Order:
    buyer = UserFactory()
    order = order_place(buyer=buyer, listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=buyer, address=SHIP_TO)
    order_inspection_choose(order_id=order.pk, buyer=buyer, chosen=True)
    payment = payment_start(order_id=order.pk, buyer=buyer, return_url="https://reloop.example/back/")
    assert payment.amount == Decimal("2000.00") + SHIPPING + FEE
    with capture(execute=True):
        response = client.post(
            urlsplit(payment.hosted_url).path,
            {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"},
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


def _to_the_centre_and_inspected(order: Order, capture, *, passed: bool) -> Inspection:
    with capture(execute=True):
        order_label_book(order_id=order.pk, by=order.seller)
    order.refresh_from_db()
    assert order.status == OrderStatus.TO_CENTRE
    assert order.shipment.recipient["name"] == INSPECTION_CENTRE.name  # to the centre, not the buyer
    received = order_receive_at_centre(reference=order.shipment.tracking_number, by=operations_user())
    assert received.status == OrderStatus.INSPECTING
    staff = inspector()
    with capture(execute=True):
        inspection = inspection_claim_next(inspector=staff)
    assert (inspection.subject_code, inspection.inspected_delivery, inspection.listing_id) == (
        order.number,
        True,
        order.listing_id,
    )
    answer_all(inspection, staff)
    with capture(execute=True):
        if passed:
            inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
        else:
            inspection_complete(
                inspection_id=inspection.pk,
                inspector=staff,
                passed=False,
                fail_reason="not_as_declared",
                note="Screen has a dead pixel line the listing does not mention",
            )
    return inspection


def test_checkout_offers_inspected_delivery_and_the_total_includes_its_fee(client, listing):
    buyer = UserFactory()
    order = order_place(buyer=buyer, listing_id=listing.pk)
    client.force_login(buyer)

    page = client.get(reverse("orders:pay", args=[order.number])).content.decode()

    assert "Have Reloop inspect it before it reaches me (+¥39.00)" in page
    assert "Pay ¥2,051.00" in page  # the label the button takes when it is ticked
    chosen = order_inspection_choose(order_id=order.pk, buyer=buyer, chosen=True)
    assert (chosen.inspection_fee, chosen.total) == (FEE, Decimal("2051.00"))


def test_inspected_delivery_is_not_offered_for_reloop_stock_or_an_uninspected_category(listing):
    stock = ListingFactory(category=listing.category, source=ListingSource.PLATFORM)
    plain = ListingFactory()  # a category without a checklist
    for item in (stock, plain):
        order = order_place(buyer=UserFactory(), listing_id=item.pk)
        with pytest.raises(OrderError) as refused:
            order_inspection_choose(order_id=order.pk, buyer=order.buyer, chosen=True)
        assert refused.value.code == "not_inspectable"
        order.refresh_from_db()
        assert (order.inspected_delivery, order.inspection_fee) == (False, 0)


def test_it_passes_goes_on_to_the_buyer_with_its_report_and_the_fee_is_earned_at_completion(
    client, django_capture_on_commit_callbacks, listing
):
    capture = django_capture_on_commit_callbacks
    order = _paid_with_inspection(client, capture, listing)
    assert _escrow_of(order) == Decimal("2051.00")

    _to_the_centre_and_inspected(order, capture, passed=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.INSPECTED
    assert order.listing.report_code  # the listing now carries the public report
    assert Notification.objects.filter(recipient=order.buyer, kind="order.inspection_passed").exists()
    assert _escrow_of(order) == Decimal("2039.00")  # the label was paid from the shipping fee
    # operations ship it on from the centre, and the buyer confirms
    with pytest.raises(OrderError):
        order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")
    order_mark_shipped(order_id=order.pk, by=operations_user(), carrier="sf", tracking_number="SF1234567890")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.shipment.purpose == ShipmentPurpose.SALE
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)

    assert _escrow_of(order) == 0
    assert platform_account(purpose=AccountPurpose.INSPECTION_FEES).balance == FEE
    assert _balanced()


def test_it_fails_the_buyer_is_refunded_in_full_and_the_item_goes_back_to_the_seller(
    client, django_capture_on_commit_callbacks, listing
):
    capture = django_capture_on_commit_callbacks
    order = _paid_with_inspection(client, capture, listing)

    _to_the_centre_and_inspected(order, capture, passed=False)

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    payment = order.payments.get()
    assert payment.refunded_amount == Decimal("2051.00")  # price, shipping and the inspection fee
    back = Shipment.objects.get(purpose=ShipmentPurpose.SELLER_RETURN, reference=order.number)
    assert back.sender["name"] == INSPECTION_CENTRE.name
    assert back.status == "label_created"  # booked with the carrier after commit
    assert _escrow_of(order) == 0
    assert platform_account(purpose=AccountPurpose.INSPECTION_FEES).balance == 0
    assert _balanced()
    assert Notification.objects.filter(recipient=order.buyer, kind="order.inspection_failed").exists()
    assert Notification.objects.filter(recipient=order.seller, kind="sale.inspection_failed").exists()


def test_the_desk_receives_an_inspected_delivery_once_and_knows_nothing_else(
    client, django_capture_on_commit_callbacks, listing
):
    capture = django_capture_on_commit_callbacks
    order = _paid_with_inspection(client, capture, listing)
    staff = operations_user()
    with pytest.raises(ShippingError):  # not sent yet
        order_receive_at_centre(reference=order.number, by=staff)
    with capture(execute=True):
        order_label_book(order_id=order.pk, by=order.seller)

    assert order_receive_at_centre(reference="NOSUCHPARCEL", by=staff) is None
    order_receive_at_centre(reference=order.number, by=staff)
    with pytest.raises(ShippingError) as again:
        order_receive_at_centre(reference=order.number, by=staff)

    assert again.value.code == "already_received"
    assert Inspection.objects.filter(subject_code=order.number).count() == 1


def test_the_receiving_desk_page_receives_it_and_the_queue_marks_it(
    client, django_capture_on_commit_callbacks, listing
):
    capture = django_capture_on_commit_callbacks
    order = _paid_with_inspection(client, capture, listing)
    with capture(execute=True):
        order_label_book(order_id=order.pk, by=order.seller)
    order.refresh_from_db()
    client.force_login(operations_user())

    response = client.post(reverse("desk:index"), {"reference": order.shipment.tracking_number}, follow=True)

    assert f"Received order {order.number}" in response.content.decode()
    client.force_login(inspector())
    queue = client.get(reverse("inspection:queue")).content.decode()
    assert "Inspected delivery: check against the listing" in queue


def test_the_inspector_sees_what_the_listing_says(client, django_capture_on_commit_callbacks, listing):
    order = _paid_with_inspection(client, django_capture_on_commit_callbacks, listing)

    details = subject_details([order.number])[order.number]

    said = {str(question): str(answer) for question, answer in details.answers}
    assert said["Condition the seller listed"] == listing.get_grade_display()
    assert "Nintendo Switch OLED" in said["Sold with inspected delivery"]


def test_the_api_chooses_inspected_delivery(client, listing):
    buyer = UserFactory()
    order = order_place(buyer=buyer, listing_id=listing.pk)
    client.force_login(buyer)

    response = client.post(
        f"/api/v1/orders/{order.number}/inspected-delivery/",
        {"chosen": True},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["inspection_fee"], response.json()["total"]) == ("39.00", "2051.00")
    client.force_login(UserFactory())
    other = client.post(
        f"/api/v1/orders/{order.number}/inspected-delivery/",
        {"chosen": False},
        content_type="application/json",
    )
    assert other.status_code == 404


def test_asking_for_it_on_an_item_it_is_not_offered_for_is_a_form_error(client):
    stock = ListingFactory(source=ListingSource.PLATFORM)
    buyer = UserFactory()
    order = order_place(buyer=buyer, listing_id=stock.pk)
    client.force_login(buyer)
    address = {
        "name": "Li Lei",
        "phone": "13800000000",
        "region": "Shanghai",
        "city": "Shanghai",
        "street": "18 Fuxing Road, Xuhui",
        "postcode": "200031",
    }

    response = client.post(
        reverse("orders:pay", args=[order.number]), {**address, "inspected_delivery": "on"}
    )

    assert response.status_code == 400
    assert "Inspected delivery is offered for private sellers" in response.content.decode()
    order.refresh_from_db()
    assert (order.inspected_delivery, order.inspection_fee) == (False, 0)
    assert not order.payments.exists()
