"""Shipping for person-to-person sales: the buyer pays a shipping fee on top of the price, the seller
books a prepaid label with it (or sends the parcel themselves), the buyer follows the parcel, delivery
starts the return window, and at every ending the order's escrow is back to zero."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.addresses import address_create
from listings.models import ListingSource
from listings.services import listing_withdraw
from marketplace.errors import InvalidTransition
from marketplace.templatetags.money import money
from notifications.models import Notification
from orders.errors import NotAllowed, OrderError
from orders.models import DisputeOutcome, Order, OrderStatus, Payment, PaymentStatus
from orders.services.checkout import (
    order_address_set,
    order_place,
    payment_start,
    reservations_release_lapsed,
)
from orders.services.fulfilment import (
    order_confirm_receipt,
    order_label_book,
    order_mark_delivered,
    order_mark_shipped,
)
from orders.services.money import seller_share, shipping_key
from orders.services.returns import (
    dispute_open,
    dispute_resolve,
    return_mark_received,
    return_request,
    return_tracking_set,
)
from sandbox.models import SandboxWebhook
from sandbox.payments import CARD_SUCCEEDS, deliver, payment_submit
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from shipping.services import label_bytes, shipments_book_requested
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO, paid_order
from tests.recycling.shipping_fixtures import SELLER_ADDRESS, RecordingCarrier, operations_user, use_carrier
from tests.shipping.helpers import record_event
from wallet.causes import transaction_words
from wallet.models import Account, AccountPurpose, Cause, Entry, Transaction
from wallet.services.ledger import platform_account, wallet_account

pytestmark = pytest.mark.django_db

FEE = Decimal("12.00")
PRICE = Decimal("1299.00")


@pytest.fixture(autouse=True)
def shipping_fee(settings):
    settings.PERSON_TO_PERSON_SHIPPING_FEE = FEE
    settings.CARRIER_SANDBOX_FAIL = False


def p2p_order(**fields) -> Order:
    """A private seller's item, paid with the shipping fee on top; the seller has an address book."""
    order = paid_order(shipping_fee=str(FEE), **fields)
    address_create(user=order.seller, data=SELLER_ADDRESS)
    return order


def balance(purpose: AccountPurpose) -> Decimal:
    return platform_account(purpose=purpose).entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def wallet_balance(user) -> Decimal:
    return wallet_account(user=user).entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def escrow_for(order: Order) -> Decimal:
    """What escrow holds for this order: its entries there, by the order's number on each posting."""
    held = Entry.objects.filter(
        account__purpose=AccountPurpose.ESCROW, transaction__reference=order.number
    ).aggregate(total=Sum("amount"))["total"]
    return held or Decimal("0")


def assert_books_balanced() -> None:
    """Every transaction sums to zero, and each account's balance is the sum of its entries."""
    for txn in Transaction.objects.prefetch_related("entries"):
        assert sum(entry.amount for entry in txn.entries.all()) == 0, txn.idempotency_key
    for account in Account.objects.all():
        entries = account.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        assert account.balance == entries, account


def book_label(order: Order, capture, *, by=None) -> Shipment:
    """The seller asks for the label; the carrier books it once the request commits."""
    with capture(execute=True):
        shipment = order_label_book(order_id=order.pk, by=by or order.seller)
    return Shipment.objects.get(pk=shipment.pk)


# --- Checkout: the fee on top of the price ------------------------------------------------------------


def test_a_private_sellers_item_costs_the_shipping_fee_on_top_and_the_payment_charges_the_total():
    listing = ListingFactory(source=ListingSource.PERSON, price=PRICE)
    order = order_place(buyer=UserFactory(), listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)

    payment = payment_start(order_id=order.pk, buyer=order.buyer, return_url="https://reloop.example/")

    order.refresh_from_db()
    assert (order.price, order.shipping_fee, order.total) == (PRICE, FEE, Decimal("1311.00"))
    assert payment.amount == Decimal("1311.00")


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_reloop_stock_ships_free_and_the_payment_is_the_price(source):
    listing = ListingFactory(source=source, price=PRICE)
    order = order_place(buyer=UserFactory(), listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)

    payment = payment_start(order_id=order.pk, buyer=order.buyer, return_url="https://reloop.example/")

    assert (order.shipping_fee, payment.amount) == (Decimal("0"), PRICE)


def test_the_fee_follows_the_setting(settings):
    settings.PERSON_TO_PERSON_SHIPPING_FEE = Decimal("8.50")
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory(price=Decimal("100.00")).pk)
    order.refresh_from_db()
    assert (order.shipping_fee, order.total) == (Decimal("8.50"), Decimal("108.50"))


def test_paying_on_the_sandbox_page_puts_the_total_in_escrow(django_capture_on_commit_callbacks, settings):
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory(price=PRICE).pk)
    order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=order.buyer, return_url="https://reloop.example/")

    with django_capture_on_commit_callbacks(execute=True):
        payment_submit(reference=payment.provider_reference, card_number=CARD_SUCCEEDS)
    for event_id in SandboxWebhook.objects.values_list("event_id", flat=True):
        with django_capture_on_commit_callbacks(execute=True):
            deliver(event_id)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the provider's amount matched the payment's total
    assert Payment.objects.get(order=order).status == PaymentStatus.SUCCEEDED
    assert escrow_for(order) == Decimal("1311.00")
    paid = Notification.objects.get(recipient=order.buyer, kind="order.paid")
    assert Decimal(paid.params["amount"]) == Decimal("1311.00")


def test_the_checkout_page_shows_the_fee_and_asks_for_the_total(client):
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory(price=PRICE).pk)
    client.force_login(order.buyer)

    html = client.get(reverse("orders:pay", args=[order.number])).content.decode()

    assert f"Shipping {money(FEE)} · total {money(Decimal('1311.00'))}" in html
    assert f"Pay {money(Decimal('1311.00'))}" in html
    assert "Free shipping" not in html


def test_the_checkout_page_of_reloop_stock_says_shipping_is_free(client):
    listing = ListingFactory(price=PRICE, source=ListingSource.PLATFORM)
    order = order_place(buyer=UserFactory(), listing_id=listing.pk)
    client.force_login(order.buyer)

    html = client.get(reverse("orders:pay", args=[order.number])).content.decode()

    assert "Free shipping" in html
    assert f"Pay {money(PRICE)}" in html


def test_the_lists_show_the_total_with_the_fee_in_it(client):
    order = p2p_order()
    client.force_login(order.buyer)
    html = client.get(reverse("orders:list")).content.decode()
    assert money(Decimal("1311.00")) in html
    assert f"incl. {money(FEE)} shipping" in html

    client.force_login(order.seller)
    html = client.get(reverse("orders:sales")).content.decode()
    assert f"incl. {money(FEE)} shipping" in html
    assert "Paid: book the prepaid label, or ship it and enter the tracking number." in html


# --- Booking the label --------------------------------------------------------------------------------


def test_the_seller_books_a_prepaid_label_and_the_order_ships(django_capture_on_commit_callbacks):
    order = p2p_order()

    shipment = book_label(order, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.shipment_id == shipment.pk
    assert (shipment.purpose, shipment.reference, shipment.status) == (
        ShipmentPurpose.PERSON_TO_PERSON,
        order.number,
        ShipmentStatus.LABEL_CREATED,
    )
    assert shipment.booked and shipment.tracking_number.startswith("SBX")
    assert shipment.method == ShippingMethod.DROP_OFF
    assert shipment.sender["street"] == SELLER_ADDRESS["street"]
    assert shipment.recipient["name"] == order.ship_to_name
    assert label_bytes(shipment).startswith(b"%PDF")
    event = order.events.last()
    assert (event.new, event.message, event.by) == (OrderStatus.SHIPPED, "order.label_booked", order.seller)
    assert event.params == {"carrier": "sandbox", "tracking": shipment.tracking_number}
    assert (
        event.text
        == f"Shipped on a prepaid label from Sandbox Express, tracking number {shipment.tracking_number}."
    )
    # The buyer's shipping fee paid for the label; the price stays in escrow for the seller.
    posting = Transaction.objects.get(idempotency_key=shipping_key(order.pk))
    assert posting.cause == Cause.SHIPPING_FEE
    assert escrow_for(order) == PRICE
    assert balance(AccountPurpose.SHIPPING_COSTS) == FEE
    assert_books_balanced()


def test_the_buyer_is_told_the_order_shipped_with_its_tracking_number(django_capture_on_commit_callbacks):
    order = p2p_order()

    shipment = book_label(order, django_capture_on_commit_callbacks)

    told = Notification.objects.get(recipient=order.buyer, kind="order.shipped")
    assert told.params["tracking"] == shipment.tracking_number
    assert told.params["number"] == order.number
    assert Notification.objects.filter(recipient=order.seller, kind="sale.shipped").count() == 1


def test_booking_twice_books_one_label_and_charges_the_fee_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    carrier = RecordingCarrier()
    use_carrier(monkeypatch, carrier)
    order = p2p_order()

    first = book_label(order, django_capture_on_commit_callbacks)
    with pytest.raises(OrderError) as shipped:
        book_label(order, django_capture_on_commit_callbacks)

    assert shipped.value.code == "already_shipped"
    assert shipments_book_requested() == 0
    assert carrier.booked == [first.tracking_number]
    assert Shipment.objects.filter(reference=order.number).count() == 1
    assert Transaction.objects.filter(idempotency_key=shipping_key(order.pk)).count() == 1
    assert balance(AccountPurpose.SHIPPING_COSTS) == FEE


def test_asking_again_while_the_carrier_is_down_keeps_one_request(
    settings, django_capture_on_commit_callbacks
):
    order = p2p_order()
    settings.CARRIER_SANDBOX_FAIL = True

    first = book_label(order, django_capture_on_commit_callbacks)
    second = book_label(order, django_capture_on_commit_callbacks)

    assert first.pk == second.pk
    assert Shipment.objects.filter(reference=order.number).count() == 1
    assert not Transaction.objects.filter(idempotency_key=shipping_key(order.pk)).exists()


def test_a_carrier_outage_leaves_the_request_and_the_job_books_it_later(
    settings, django_capture_on_commit_callbacks
):
    order = p2p_order()
    settings.CARRIER_SANDBOX_FAIL = True

    shipment = book_label(order, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert (shipment.status, order.status, order.shipment_id) == (
        ShipmentStatus.REQUESTED,
        OrderStatus.PAID,
        shipment.pk,
    )
    assert escrow_for(order) == PRICE + FEE  # nothing spent yet

    settings.CARRIER_SANDBOX_FAIL = False
    assert shipments_book_requested() == 1
    assert shipments_book_requested() == 0

    order.refresh_from_db()
    shipment.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert shipment.status == ShipmentStatus.LABEL_CREATED and shipment.tracking_number.startswith("SBX")
    assert escrow_for(order) == PRICE
    assert balance(AccountPurpose.SHIPPING_COSTS) == FEE


def test_a_tracking_number_typed_while_the_label_waits_cancels_the_request(
    settings, django_capture_on_commit_callbacks
):
    order = p2p_order()
    settings.CARRIER_SANDBOX_FAIL = True
    requested = book_label(order, django_capture_on_commit_callbacks)
    settings.CARRIER_SANDBOX_FAIL = False

    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")

    assert shipments_book_requested() == 0
    requested.refresh_from_db()
    order.refresh_from_db()
    assert requested.status == ShipmentStatus.CANCELLED
    assert (order.status, order.carrier, order.tracking_number) == (OrderStatus.SHIPPED, "sf", "SF1234567890")
    assert not Transaction.objects.filter(idempotency_key=shipping_key(order.pk)).exists()


def test_a_label_issued_after_the_seller_typed_a_tracking_number_is_voided(monkeypatch):
    order = p2p_order()

    def seller_types_a_number_meanwhile():
        order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")

    carrier = RecordingCarrier(before_answer=seller_types_a_number_meanwhile)
    use_carrier(monkeypatch, carrier)
    order_label_book(order_id=order.pk, by=order.seller)  # no commit in a test: the job books it

    assert shipments_book_requested() == 0

    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "SF1234567890")
    assert carrier.cancelled == carrier.booked and len(carrier.booked) == 1
    assert not Transaction.objects.filter(idempotency_key=shipping_key(order.pk)).exists()


def test_a_seller_without_an_address_book_sends_from_their_name_and_city(django_capture_on_commit_callbacks):
    order = paid_order(shipping_fee=str(FEE))

    shipment = book_label(order, django_capture_on_commit_callbacks)

    assert shipment.status == ShipmentStatus.LABEL_CREATED
    assert shipment.sender["name"] == order.seller.public_name


# --- Who may book, and when ---------------------------------------------------------------------------


def nothing_written(order: Order) -> tuple:
    return (
        Shipment.objects.filter(reference=order.number).count(),
        Transaction.objects.count(),
        Order.objects.get(pk=order.pk).status,
        order.events.count(),
    )


def test_someone_who_is_not_party_to_the_order_finds_no_order():
    order = p2p_order()
    before = nothing_written(order)
    with pytest.raises(Order.DoesNotExist):
        order_label_book(order_id=order.pk, by=UserFactory())
    assert nothing_written(order) == before


def test_the_buyer_cannot_book_the_label():
    order = p2p_order()
    before = nothing_written(order)
    with pytest.raises(NotAllowed):
        order_label_book(order_id=order.pk, by=order.buyer)
    assert nothing_written(order) == before


@pytest.mark.parametrize("source", [ListingSource.PLATFORM, ListingSource.CONSIGNED])
def test_reloop_stock_is_shipped_from_the_centre_not_on_a_prepaid_label(source):
    order = paid_order(source=source)
    before = nothing_written(order)
    for who in (order.seller, operations_user()):
        with pytest.raises(NotAllowed):
            order_label_book(order_id=order.pk, by=who)
    assert nothing_written(order) == before


def test_an_unpaid_order_gets_no_label():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory(price=PRICE).pk)
    before = nothing_written(order)
    with pytest.raises(InvalidTransition):
        order_label_book(order_id=order.pk, by=order.seller)
    assert nothing_written(order) == before


def test_an_order_shipped_with_a_typed_tracking_number_gets_no_label():
    order = p2p_order()
    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")
    before = nothing_written(order)
    with pytest.raises(OrderError) as error:
        order_label_book(order_id=order.pk, by=order.seller)
    assert error.value.code == "already_shipped"
    assert nothing_written(order) == before


def test_an_order_paid_without_a_shipping_fee_gets_no_label():
    order = paid_order()  # placed before there was a fee
    before = nothing_written(order)
    with pytest.raises(OrderError) as error:
        order_label_book(order_id=order.pk, by=order.seller)
    assert error.value.code == "no_shipping_fee"
    assert nothing_written(order) == before


# --- The parcel travels: delivery starts the return window --------------------------------------------


def test_the_carriers_delivered_event_starts_the_return_window(django_capture_on_commit_callbacks):
    order = p2p_order()
    shipment = book_label(order, django_capture_on_commit_callbacks)
    number = shipment.tracking_number

    record_event(event_id="evt_p2p_1", tracking_number=number, kind="picked_up")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    Order.objects.filter(pk=order.pk).update(shipped_at=timezone.now() - timedelta(days=1))  # yesterday
    delivered_at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    record_event(event_id="evt_p2p_2", tracking_number=number, kind="delivered", occurred_at=delivered_at)

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at == delivered_at
    assert order.return_window_closes_at is not None and order.return_window_closes_at > timezone.now()
    assert order.events.get(new=OrderStatus.DELIVERED).message == "order.delivered_by_carrier"
    assert Notification.objects.filter(recipient=order.buyer, kind="order.delivered").count() == 1


# --- The money at every ending ------------------------------------------------------------------------


def shipped_on_label(capture) -> Order:
    order = p2p_order()
    book_label(order, capture)
    return Order.objects.get(pk=order.pk)


def shipped_by_seller(capture) -> Order:
    order = p2p_order()
    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")
    return Order.objects.get(pk=order.pk)


def delivered(order: Order) -> Order:
    order_mark_delivered(order_id=order.pk, by=operations_user())
    return Order.objects.get(pk=order.pk)


def completed(order: Order) -> None:
    order_confirm_receipt(order_id=delivered(order).pk, buyer=order.buyer)


def returned(order: Order) -> None:
    order = delivered(order)
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    return_tracking_set(order_id=order.pk, buyer=order.buyer, carrier="sf", tracking_number="SF9999999999")
    return_mark_received(order_id=order.pk, by=order.seller)


def disputed(outcome: DisputeOutcome, refund_amount: Decimal | None = None):
    def resolve(order: Order) -> None:
        order = delivered(order)
        dispute_open(order_id=order.pk, buyer=order.buyer, reason="The lens has a scratch not shown.")
        dispute_resolve(
            order_id=order.pk,
            by=operations_user(),
            outcome=outcome,
            refund_amount=refund_amount,
            note="Photos show the scratch.",
        )

    return resolve


PARTIAL = Decimal("300.00")
# (how it shipped, how it ended, the buyer's money back, the seller's wallet, the platform's shipping costs)
ENDINGS = {
    "completed, label": (shipped_on_label, completed, Decimal("0"), seller_share(PRICE), FEE),
    "completed, own parcel": (shipped_by_seller, completed, Decimal("0"), seller_share(PRICE) + FEE, 0),
    "returned, label": (shipped_on_label, returned, PRICE + FEE, Decimal("0"), 0),
    "returned, own parcel": (shipped_by_seller, returned, PRICE + FEE, Decimal("0"), 0),
    "dispute full refund, label": (
        shipped_on_label,
        disputed(DisputeOutcome.FULL_REFUND),
        PRICE + FEE,
        Decimal("0"),
        0,
    ),
    "dispute full refund, own parcel": (
        shipped_by_seller,
        disputed(DisputeOutcome.FULL_REFUND),
        PRICE + FEE,
        Decimal("0"),
        0,
    ),
    "dispute partial refund, label": (
        shipped_on_label,
        disputed(DisputeOutcome.PARTIAL_REFUND, PARTIAL),
        PARTIAL,
        seller_share(PRICE - PARTIAL),
        FEE,
    ),
    "dispute partial refund, own parcel": (
        shipped_by_seller,
        disputed(DisputeOutcome.PARTIAL_REFUND, PARTIAL),
        PARTIAL,
        seller_share(PRICE - PARTIAL) + FEE,
        0,
    ),
    "dispute rejected, label": (
        shipped_on_label,
        disputed(DisputeOutcome.REJECTED),
        Decimal("0"),
        seller_share(PRICE),
        FEE,
    ),
}


@pytest.mark.parametrize("ending", list(ENDINGS), ids=list(ENDINGS))
def test_every_ending_leaves_the_orders_escrow_at_zero(ending, django_capture_on_commit_callbacks):
    ship, end, refunded, to_seller, shipping_costs = ENDINGS[ending]
    order = ship(django_capture_on_commit_callbacks)

    end(order)

    payment = Payment.objects.get(order=order)
    assert escrow_for(order) == 0
    assert balance(AccountPurpose.ESCROW) == 0
    assert payment.refunded_amount == refunded
    assert balance(AccountPurpose.PAYMENTS_CLEARING) == -(PRICE + FEE) + refunded
    assert wallet_balance(order.seller) == to_seller
    assert balance(AccountPurpose.SHIPPING_COSTS) == shipping_costs
    assert_books_balanced()


def test_a_full_refund_after_a_label_comes_out_of_shipping_costs_in_one_posting(
    django_capture_on_commit_callbacks,
):
    order = shipped_on_label(django_capture_on_commit_callbacks)

    returned(order)

    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    assert order.status == OrderStatus.REFUNDED
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, PRICE + FEE)
    refund = Transaction.objects.get(idempotency_key=f"refund:return:{order.pk}")
    lines = {entry.account.purpose: entry.amount for entry in refund.entries.select_related("account")}
    assert lines == {
        AccountPurpose.ESCROW: -PRICE,
        AccountPurpose.SHIPPING_COSTS: -FEE,
        AccountPurpose.PAYMENTS_CLEARING: PRICE + FEE,
    }
    assert order.events.last().params == {"amount": str(PRICE + FEE)}


def test_the_seller_who_sent_the_parcel_gets_the_fee_with_the_sale_as_its_own_line(
    django_capture_on_commit_callbacks,
):
    order = shipped_by_seller(django_capture_on_commit_callbacks)

    completed(order)

    fee = Transaction.objects.get(idempotency_key=shipping_key(order.pk))
    assert fee.cause == Cause.SHIPPING_FEE
    assert fee.entries.get(account=wallet_account(user=order.seller)).amount == FEE
    assert transaction_words(fee) == f"Shipping fee for “{order.title}” (order {order.number})"


def test_a_late_payment_refunded_before_anything_shipped_leaves_escrow_at_zero(
    django_capture_on_commit_callbacks, settings
):
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    listing = ListingFactory(price=PRICE)
    late = order_place(buyer=UserFactory(), listing_id=listing.pk)
    order_address_set(order_id=late.pk, buyer=late.buyer, address=SHIP_TO)
    payment = payment_start(order_id=late.pk, buyer=late.buyer, return_url="https://reloop.example/")
    reservations_release_lapsed(now=late.reserved_until + timedelta(seconds=1))
    listing_withdraw(listing_id=listing.pk, seller=listing.seller)

    with django_capture_on_commit_callbacks(execute=True):
        payment_submit(reference=payment.provider_reference, card_number=CARD_SUCCEEDS)
    for event_id in SandboxWebhook.objects.values_list("event_id", flat=True):
        with django_capture_on_commit_callbacks(execute=True):
            deliver(event_id)

    late.refresh_from_db()
    payment.refresh_from_db()
    assert late.status == OrderStatus.REFUNDED
    assert payment.refunded_amount == PRICE + FEE
    assert escrow_for(late) == 0
    assert_books_balanced()


# --- Pages --------------------------------------------------------------------------------------------


def test_the_sellers_page_offers_the_prepaid_label_first(client):
    order = p2p_order()
    client.force_login(order.seller)

    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()

    assert reverse("orders:label_book", args=[order.number]) in html
    assert "Book a prepaid label" in html
    assert f"The buyer paid {money(FEE)} for shipping." in html
    assert html.index("Book a prepaid label") < html.index("I will send it myself")
    assert f"Shipping {money(FEE)} · total {money(PRICE + FEE)}" in html


def test_the_seller_taking_a_return_is_told_the_fee_goes_back_too(client):
    order = delivered(shipped_by_seller(None))
    return_request(order_id=order.pk, buyer=order.buyer, reason="Not what I expected")
    client.force_login(order.seller)

    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()

    assert f"everything they paid, the shipping fee included ({money(PRICE + FEE)})" in html


def test_the_buyers_page_has_no_label_button(client):
    order = p2p_order()
    client.force_login(order.buyer)
    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert reverse("orders:label_book", args=[order.number]) not in html
    assert "Shipping fee" in html and money(FEE) in html


def test_booking_from_the_page_ships_and_the_seller_downloads_the_label(
    client, django_capture_on_commit_callbacks
):
    order = p2p_order()
    client.force_login(order.seller)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orders:label_book", args=[order.number]))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "Download the prepaid label" in html
    assert order.tracking_number in html
    label = client.get(reverse("orders:shipping_label", args=[order.number]))
    assert label.status_code == 200
    assert label["Content-Type"] == "application/pdf"
    assert label.getvalue().startswith(b"%PDF")


def test_only_the_seller_downloads_the_prepaid_label(client, django_capture_on_commit_callbacks):
    order = p2p_order()
    book_label(order, django_capture_on_commit_callbacks)
    for who in (order.buyer, UserFactory()):
        client.force_login(who)
        assert client.get(reverse("orders:shipping_label", args=[order.number])).status_code == 404


def test_an_order_shipped_with_a_typed_number_has_no_label_to_download(client):
    order = p2p_order()
    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")
    client.force_login(order.seller)
    assert client.get(reverse("orders:shipping_label", args=[order.number])).status_code == 404


def test_the_buyer_posting_to_book_the_label_is_refused(client):
    order = p2p_order()
    client.force_login(order.buyer)
    assert client.post(reverse("orders:label_book", args=[order.number])).status_code == 403
    assert not Shipment.objects.filter(reference=order.number).exists()


def test_while_the_carrier_is_down_the_seller_is_told_the_label_is_coming(
    client, settings, django_capture_on_commit_callbacks
):
    order = p2p_order()
    settings.CARRIER_SANDBOX_FAIL = True
    client.force_login(order.seller)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:label_book", args=[order.number]))

    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()

    assert "Your prepaid label is being prepared." in html
    assert "Book a prepaid label" not in html
    assert "I will send it myself" in html  # the seller may still send it themselves


def test_the_buyer_sees_the_carrier_the_tracking_number_and_the_timeline(
    client, django_capture_on_commit_callbacks
):
    order = p2p_order()
    shipment = book_label(order, django_capture_on_commit_callbacks)
    record_event(event_id="evt_p2p_page", tracking_number=shipment.tracking_number, kind="picked_up")
    client.force_login(order.buyer)

    html = client.get(reverse("orders:detail", args=[order.number])).content.decode()

    assert "Sandbox Express" in html
    assert shipment.tracking_number in html
    assert "Shipped on a prepaid label from Sandbox Express" in html
    assert "Picked up by the carrier" in html
    assert "Download the prepaid label" not in html


# --- API ----------------------------------------------------------------------------------------------


def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_shows_the_fee_and_total_and_offers_the_label(django_capture_on_commit_callbacks):
    order = p2p_order()

    data = api(order.seller).get(f"/api/v1/orders/{order.number}/").json()

    assert (data["price"], data["shipping_fee"], data["total"]) == ("1299.00", "12.00", "1311.00")
    assert "book_label" in data["actions"]
    assert data["prepaid_label"] is None
    assert "book_label" not in api(order.buyer).get(f"/api/v1/orders/{order.number}/").json()["actions"]


def test_the_seller_books_the_label_through_the_api(django_capture_on_commit_callbacks):
    order = p2p_order()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(order.seller).post(f"/api/v1/orders/{order.number}/label/")

    assert response.status_code == 200, response.content
    # (The answer is read before the test's transaction commits, so before the carrier books; outside
    # a test the request commits first and the answer already shows the order shipped.)
    assert response.json()["prepaid_label"]["status"] in ("requested", "label_created")
    data = api(order.seller).get(f"/api/v1/orders/{order.number}/").json()
    assert data["status"] == "shipped"
    assert data["tracking"]["tracking_number"].startswith("SBX")
    assert data["prepaid_label"]["status"] == "label_created"
    assert data["prepaid_label"]["label_url"].endswith(f"/orders/{order.number}/label.pdf")
    buyer_view = api(order.buyer).get(f"/api/v1/orders/{order.number}/").json()
    assert buyer_view["prepaid_label"]["label_url"] is None
    assert buyer_view["tracking"]["tracking_number"] == data["tracking"]["tracking_number"]


def test_the_api_refuses_the_buyer_an_outsider_and_a_shipped_order(django_capture_on_commit_callbacks):
    order = p2p_order()
    url = f"/api/v1/orders/{order.number}/label/"

    assert api(order.buyer).post(url).json()["code"] == "not_allowed"
    assert api(UserFactory()).post(url).status_code == 404
    assert not Shipment.objects.filter(reference=order.number).exists()

    order_mark_shipped(order_id=order.pk, by=order.seller, carrier="sf", tracking_number="SF1234567890")
    response = api(order.seller).post(url)
    assert (response.status_code, response.json()["code"]) == (409, "already_shipped")


def test_the_api_refuses_an_unpaid_order_with_409():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory(price=PRICE).pk)
    response = api(order.seller).post(f"/api/v1/orders/{order.number}/label/")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
