"""Paying for an order on the sandbox provider's hosted page: starting a payment, and what each
outcome the provider reports does to the order, the listing and the ledger."""

import threading
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from listings.models import Listing, ListingStatus
from listings.services import listing_withdraw
from orders.errors import OrderError
from orders.models import Order, OrderStatus, Payment, PaymentStatus, ProviderEvent
from orders.services.checkout import (
    order_address_set,
    order_cancel,
    order_place,
    payment_start,
    reservations_release_lapsed,
)
from orders.services.refunds import order_refund
from sandbox.models import SandboxPayment, SandboxWebhook
from sandbox.payments import SandboxPaymentProvider
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import SHIP_TO, paid_order
from wallet.models import AccountPurpose, Transaction
from wallet.services.ledger import platform_account

pytestmark = pytest.mark.django_db

RETURN_URL = "https://reloop.example/orders/back/"
SHIPPING_FEE = Decimal("12.00")
GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"


@pytest.fixture(autouse=True)
def shipping_fee(settings):
    """A private seller's item (the factories' default) costs the buyer this for shipping on top."""
    settings.PERSON_TO_PERSON_SHIPPING_FEE = SHIPPING_FEE


def _ready(*, listing: Listing | None = None, buyer=None) -> Order:
    """An order placed and addressed: ready to pay."""
    listing = listing or ListingFactory(price=Decimal("1299.00"))
    order = order_place(buyer=buyer or UserFactory(), listing_id=listing.pk)
    return order_address_set(order_id=order.pk, buyer=order.buyer, address=SHIP_TO)


def _pay(client, payment: Payment, card: str = GOOD_CARD):
    """The buyer submits the hosted page; its webhook is delivered in-process after commit."""
    response = client.post(
        urlsplit(payment.hosted_url).path, {"card_number": card, "expiry": "12/39", "cvc": "123"}
    )
    assert response.status_code == 302, response.content.decode()
    return response


def _balance(purpose: AccountPurpose) -> Decimal:
    return platform_account(purpose=purpose).balance


def _start(order: Order) -> Payment:
    return payment_start(order_id=order.pk, buyer=order.buyer, return_url=RETURN_URL)


# --- Starting a payment -----------------------------------------------------------------------------


def test_a_payment_opens_the_hosted_page_for_the_price():
    order = _ready()

    payment = _start(order)

    assert payment.idempotency_key == f"order:{order.pk}:payment:1"
    assert payment.amount == Decimal("1299.00") + SHIPPING_FEE  # the price and the shipping fee
    assert payment.status == PaymentStatus.CREATED
    sandbox = SandboxPayment.objects.get()
    assert payment.provider_reference == sandbox.reference
    assert urlsplit(payment.hosted_url).path == f"/sandbox/pay/{sandbox.reference}/"
    assert (sandbox.amount, sandbox.return_url) == (Decimal("1311.00"), RETURN_URL)
    assert order.number in sandbox.description


def test_starting_again_reuses_the_open_payment():
    order = _ready()

    first = _start(order)
    second = _start(order)

    assert second.pk == first.pk
    assert second.hosted_url == first.hosted_url
    assert Payment.objects.count() == 1
    assert SandboxPayment.objects.count() == 1


def test_no_address_no_payment():
    order = order_place(buyer=UserFactory(), listing_id=ListingFactory().pk)

    with pytest.raises(OrderError) as caught:
        _start(order)

    assert (caught.value.code, caught.value.field) == ("address_required", "street")
    assert not Payment.objects.exists()


def test_a_lapsed_reservation_cannot_be_paid_for():
    order = _ready()
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

    with pytest.raises(OrderError) as caught:
        _start(order)
    assert caught.value.code == "reservation_lapsed"

    reservations_release_lapsed()
    with pytest.raises(OrderError) as caught:
        _start(order)
    assert caught.value.code == "reservation_lapsed"
    assert not Payment.objects.exists()


def test_a_paid_order_is_not_paid_again():
    order = paid_order()

    with pytest.raises(OrderError) as caught:
        _start(order)

    assert caught.value.code == "already_paid"
    assert order.payments.count() == 1


def test_someone_elses_order_cannot_be_paid_for():
    order = _ready()

    with pytest.raises(Order.DoesNotExist):
        payment_start(order_id=order.pk, buyer=UserFactory(), return_url=RETURN_URL)


def test_provider_down_keeps_the_attempt_and_the_retry_reuses_its_key(settings):
    # given
    order = _ready()
    settings.PAYMENT_SANDBOX_FAIL = True

    # when
    with pytest.raises(OrderError) as caught:
        _start(order)

    # then: a clear 503, and the attempt is kept without a page
    assert (caught.value.code, caught.value.status_code) == ("payment_unavailable", 503)
    assert "try again in a moment" in str(caught.value)
    kept = Payment.objects.get()
    assert (kept.idempotency_key, kept.hosted_url, kept.provider_reference) == (
        f"order:{order.pk}:payment:1",
        "",
        None,
    )

    # when: the provider is back
    settings.PAYMENT_SANDBOX_FAIL = False
    payment = _start(order)

    # then
    assert payment.pk == kept.pk
    assert payment.hosted_url
    assert SandboxPayment.objects.get().idempotency_key == kept.idempotency_key


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_provider_is_called(monkeypatch):
    order = _ready()
    seen = []
    create_payment = SandboxPaymentProvider.create_payment

    def watched(self, **kwargs):
        seen.append(connection.in_atomic_block)
        return create_payment(self, **kwargs)

    monkeypatch.setattr(SandboxPaymentProvider, "create_payment", watched)

    _start(order)

    assert seen == [False]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_row_lock_is_held_while_the_provider_is_called(monkeypatch):
    # given: while the provider is answering, another connection tries to lock the order and listing
    # without waiting; it can only succeed if payment_start holds neither
    order = _ready()
    probes = []
    create_payment = SandboxPaymentProvider.create_payment

    def probe():
        try:
            with transaction.atomic():
                Order.objects.select_for_update(nowait=True).get(pk=order.pk)
                Listing.objects.select_for_update(nowait=True).get(pk=order.listing_id)
                Payment.objects.select_for_update(nowait=True).filter(order_id=order.pk).count()
            probes.append("free")
        except DatabaseError as error:
            probes.append(error)
        finally:
            connection.close()

    def watched(self, **kwargs):
        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        return create_payment(self, **kwargs)

    monkeypatch.setattr(SandboxPaymentProvider, "create_payment", watched)

    # when
    _start(order)

    # then
    assert probes == ["free"]


def test_after_a_declined_card_the_next_try_is_a_new_attempt(client, django_capture_on_commit_callbacks):
    order = _ready()
    first = _start(order)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, first, DECLINED_CARD)

    first.refresh_from_db()
    assert (first.status, first.failure_reason) == (PaymentStatus.FAILED, "card_declined")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    second = _start(order)
    assert second.idempotency_key == f"order:{order.pk}:payment:2"
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, second)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


# --- What the provider's events do ----------------------------------------------------------------


def test_the_whole_path_from_buy_now_to_money_in_escrow(client, django_capture_on_commit_callbacks):
    # given: buy now, an address, the hosted page
    listing = ListingFactory(price=Decimal("1299.00"))
    buyer = UserFactory()
    order = order_place(buyer=buyer, listing_id=listing.pk)
    order_address_set(order_id=order.pk, buyer=buyer, address=SHIP_TO)
    payment = payment_start(order_id=order.pk, buyer=buyer, return_url=RETURN_URL)

    # when: the buyer pays with the test card; the provider's webhook arrives
    with django_capture_on_commit_callbacks(execute=True):
        response = _pay(client, payment)

    # then
    assert response["Location"] == RETURN_URL
    order.refresh_from_db()
    listing.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    assert listing.status == ListingStatus.SOLD
    assert payment.status == PaymentStatus.SUCCEEDED
    assert _balance(AccountPurpose.ESCROW) == Decimal("1311.00")  # the price and the shipping fee
    assert _balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("-1311.00")
    assert list(order.events.values_list("new", flat=True)) == [OrderStatus.PENDING_PAYMENT, OrderStatus.PAID]
    assert Transaction.objects.get().idempotency_key == f"payment:{payment.pk}"


def test_a_declined_card_then_a_good_one_on_the_same_page_pays(client, django_capture_on_commit_callbacks):
    order = _ready()
    payment = _start(order)

    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, payment, DECLINED_CARD)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, payment)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.failure_reason) == (PaymentStatus.SUCCEEDED, "")
    assert order.status == OrderStatus.PAID
    assert ProviderEvent.objects.count() == 2


def test_a_late_payment_for_an_item_still_on_sale_buys_it(client, django_capture_on_commit_callbacks):
    # given: the buyer opened the page, then the reservation lapsed and the job released the item
    order = _ready()
    payment = _start(order)
    reservations_release_lapsed(now=order.reserved_until + timedelta(seconds=1))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED

    # when: the buyer pays anyway
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, payment)

    # then: nobody else wanted it; the buyer has it
    order.refresh_from_db()
    order.listing.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.listing.status == ListingStatus.SOLD
    assert _balance(AccountPurpose.ESCROW) == order.total


def test_a_payment_after_cancelling_buys_the_item_if_still_on_sale(
    client, django_capture_on_commit_callbacks
):
    order = _ready()
    payment = _start(order)
    order_cancel(order_id=order.pk, buyer=order.buyer)

    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, payment)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(order.events.values_list("new", flat=True)) == [
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.CANCELLED,
        OrderStatus.PAID,
    ]


def test_a_late_payment_for_an_item_sold_to_someone_else_is_refunded(
    client, django_capture_on_commit_callbacks
):
    # given: the first buyer's reservation lapsed with the page open; a second buyer bought the item
    listing = ListingFactory(price=Decimal("800.00"))
    late = _ready(listing=listing)
    late_payment = _start(late)
    reservations_release_lapsed(now=late.reserved_until + timedelta(seconds=1))
    winner = _ready(listing=listing)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, _start(winner))

    # when: the first buyer pays after all
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, late_payment)

    # then: their money goes straight back, in the ledger and at the provider
    late.refresh_from_db()
    late_payment.refresh_from_db()
    assert late.status == OrderStatus.REFUNDED
    assert "sold to someone else" in late.events.last().text
    # everything they paid: the price and the shipping fee
    assert (late_payment.status, late_payment.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("812.00"))
    assert Transaction.objects.filter(idempotency_key=f"refund:late:{late_payment.pk}").exists()
    assert _balance(AccountPurpose.ESCROW) == Decimal("812.00")  # the winner's payment only
    assert _balance(AccountPurpose.PAYMENTS_CLEARING) == Decimal("-812.00")
    sandbox = SandboxPayment.objects.get(reference=late_payment.provider_reference)
    assert sandbox.refunded == Decimal("812.00")
    assert (
        ProviderEvent.objects.filter(kind="refund.succeeded", provider_reference=sandbox.reference).count()
        == 1
    )
    winner.refresh_from_db()
    listing.refresh_from_db()
    assert winner.status == OrderStatus.PAID
    assert listing.status == ListingStatus.SOLD


def test_paying_twice_refunds_the_second_payment(client, django_capture_on_commit_callbacks):
    # given: the first card was declined, so the buyer opened a second page in another tab, then went
    # back to the first tab and paid there with another card
    order = _ready()
    first = _start(order)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, first, DECLINED_CARD)
    second = _start(order)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, first)

    # when: the second tab is paid too
    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, second)

    # then: the order is paid once; the second payment goes back in full
    order.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert first.status == PaymentStatus.SUCCEEDED
    assert (second.status, second.refunded_amount) == (PaymentStatus.REFUNDED, second.amount)
    assert Transaction.objects.filter(idempotency_key=f"refund:duplicate:{second.pk}").exists()
    assert _balance(AccountPurpose.ESCROW) == order.total
    assert SandboxPayment.objects.get(reference=second.provider_reference).refunded == second.amount
    assert SandboxPayment.objects.get(reference=first.provider_reference).refunded == 0


def test_a_failure_delivered_after_the_success_changes_nothing(client, settings):
    # given: the provider sends "declined" then "succeeded" for one page, but they arrive reversed
    from sandbox.payments import deliver

    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    order = _ready()
    payment = _start(order)
    _pay(client, payment, DECLINED_CARD)
    _pay(client, payment)
    failed, succeeded = SandboxWebhook.objects.order_by("id")

    # when
    deliver(succeeded.event_id)
    deliver(failed.event_id)

    # then
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.failure_reason) == (PaymentStatus.SUCCEEDED, "")
    assert order.status == OrderStatus.PAID
    assert ProviderEvent.objects.count() == 2


def test_refunding_in_full_twice_under_one_key_refunds_once():
    order = paid_order(price="500.00")

    first = order_refund(order=order, amount=Decimal("500.00"), key="refund:return:1")
    again = order_refund(order=order, amount=Decimal("500.00"), key="refund:return:1")

    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.status, first.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("500.00"))
    assert Transaction.objects.filter(cause="refund").count() == 1
    assert _balance(AccountPurpose.ESCROW) == 0


def test_a_late_payment_for_an_item_taken_off_sale_is_refunded(client, django_capture_on_commit_callbacks):
    order = _ready()
    payment = _start(order)
    reservations_release_lapsed(now=order.reserved_until + timedelta(seconds=1))
    listing_withdraw(listing_id=order.listing_id, seller=order.seller)

    with django_capture_on_commit_callbacks(execute=True):
        _pay(client, payment)

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert "taken the item off sale" in order.events.last().text
    assert _balance(AccountPurpose.ESCROW) == 0
    assert SandboxPayment.objects.get().refunded == order.total
