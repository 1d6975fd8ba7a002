"""The demo shopper's orders and the demo seller's wallet, as `seed_demo` leaves them."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from orders.models import Offer, OfferStatus, Order, OrderStatus
from wallet.models import Account, AccountPurpose, Entry, Transaction, WithdrawalStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_shopper_orders_in_several_states_and_the_seller_a_wallet_once(capsys):
    # when
    call_command("seed_demo", listings=40, jobs=0, photo_size=240)
    out = capsys.readouterr().out

    # then: orders bought through the services, each paid once with a timeline from the order to the payment
    orders = Order.objects.filter(buyer__username="shopper").prefetch_related("events")
    statuses = Counter(order.status for order in orders)
    assert statuses[OrderStatus.COMPLETED] >= 2
    assert {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED, OrderStatus.DISPUTED} <= set(
        statuses
    )
    # (the order of an offer the seller accepted waits for the shopper's payment: see the offers below)
    for order in orders.exclude(status=OrderStatus.PENDING_PAYMENT, offer__isnull=False):
        assert [event.new for event in order.events.all()][:2] == [
            OrderStatus.PENDING_PAYMENT,
            OrderStatus.PAID,
        ]
        assert order.payments.filter(status__in=("succeeded", "refunded")).count() == 1
    assert "Orders: " in out

    # and the shopper's offers to private sellers, in every state an offer can be in
    offers = Offer.objects.filter(buyer__username="shopper")
    assert set(offers.values_list("status", flat=True)) == set(OfferStatus.values)
    accepted = offers.get(status=OfferStatus.ACCEPTED)
    assert (accepted.order.status, accepted.order.price) == (OrderStatus.PENDING_PAYMENT, accepted.amount)
    assert offers.get(status=OfferStatus.PENDING, by_seller=True).in_reply_to.status == OfferStatus.COUNTERED

    # and the seller's wallet: sales less the fee, a withdrawal paid out, balance = its entries
    wallet = Account.objects.get(user__username="seller", purpose=AccountPurpose.WALLET)
    entries = Entry.objects.filter(account=wallet)
    assert wallet.balance > 0
    assert wallet.balance == entries.aggregate(total=Sum("amount"))["total"]
    assert entries.filter(transaction__cause="sale").count() >= 2
    assert wallet.user.withdrawals.get().status == WithdrawalStatus.CONFIRMED
    assert wallet.user.rating_count >= 1

    # and every transaction balances
    for transaction in Transaction.objects.prefetch_related("entries"):
        assert sum(entry.amount for entry in transaction.entries.all()) == Decimal("0")

    # when: run again, it buys nothing again
    orders = Order.objects.count()
    transactions = Transaction.objects.count()
    call_command("seed_demo_orders")

    # then
    assert Order.objects.count() == orders
    assert Transaction.objects.count() == transactions
