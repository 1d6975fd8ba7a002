"""`seed_demo_loop`, run by `seed_demo`: demo items that came through the whole loop, made through the
services, and nothing new on a second run."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consignment.models import Consignment, ConsignmentEvent, ConsignmentStatus, PriceDrop
from consignment.settlement import settlement_key
from inspection.models import Inspection, InspectionResult, Report
from listings.models import Listing, ListingSource, ListingStatus
from orders.models import Order, OrderStatus
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionEvent, SubmissionStatus
from recycling.services.offers import payout_key
from wallet.models import Cause, Entry, Transaction

pytestmark = pytest.mark.django_db


def _seed(capsys) -> str:
    call_command("seed_demo", listings=40, jobs=0, photo_size=240)
    return capsys.readouterr().out


def _loop_submission(status: SubmissionStatus) -> Submission:
    return Submission.objects.get(
        seller__username="seller", status=status, client_token__isnull=False, offers__kind=OfferKind.FINAL
    )


def _from_submission(submission: Submission, source: ListingSource) -> Listing:
    """The listing made from the submission: linked from its inspection, with that inspection's report."""
    inspection = Inspection.objects.get(subject_code=submission.code)
    assert inspection.result == InspectionResult.PASSED
    assert inspection.inspector.username == "inspector"
    assert inspection.results.count() == inspection.checklist.checks.count() > 0
    listing = inspection.listing
    assert (listing.seller.username, listing.source) == ("reloop", source)
    assert listing.report_code == Report.objects.get(inspection=inspection).code
    return listing


def test_seed_demo_includes_items_that_came_through_the_loop_once(client, capsys):
    # when
    out = _seed(capsys)

    # then: the cash offer was taken, paid once into the seller's wallet, and the item is platform stock
    seller = User.objects.get(username="seller")
    paid = _loop_submission(SubmissionStatus.PAID)
    cash_offer = paid.offers.get(kind=OfferKind.FINAL)
    assert cash_offer.decision == OfferDecision.RECYCLE
    payout = Transaction.objects.get(idempotency_key=payout_key(paid.pk))
    assert payout.cause == Cause.RECYCLE_PAYOUT
    assert (
        payout.entries.get(account=seller.ledger_accounts.get(purpose="wallet")).amount
        == cash_offer.cash_amount
    )
    stock = _from_submission(paid, ListingSource.PLATFORM)
    assert stock.status == ListingStatus.ACTIVE
    assert stock.price > cash_offer.cash_amount
    assert client.get(f"/r/{stock.report_code}/").status_code == 200

    # and: a consigned item on sale whose price dropped one step, not below its floor
    on_sale = _loop_submission(SubmissionStatus.LISTED)
    consignment = Consignment.objects.get(submission=on_sale)
    consigned = _from_submission(on_sale, ListingSource.CONSIGNED)
    assert (consigned.pk, consigned.status) == (consignment.listing_id, ListingStatus.ACTIVE)
    drop = PriceDrop.objects.get(consignment=consignment)
    assert (drop.step, drop.old_price, drop.new_price) == (1, consignment.list_price, consigned.price)
    assert consignment.floor_price <= consigned.price < consignment.list_price

    # and: a consigned item bought by the shopper, kept, and settled with its commission line
    settled = _loop_submission(SubmissionStatus.SETTLED)
    sold = Consignment.objects.get(submission=settled)
    assert sold.status == ConsignmentStatus.SETTLED
    order = Order.objects.get(listing_id=sold.listing_id)
    assert (order.buyer.username, order.status) == ("shopper", OrderStatus.COMPLETED)
    settlement = Transaction.objects.get(idempotency_key=settlement_key(sold.pk))
    assert settlement.cause == Cause.CONSIGNMENT_SETTLEMENT
    paid_to_seller = settlement.entries.get(account=seller.ledger_accounts.get(purpose="wallet")).amount
    commission = order.price - paid_to_seller
    assert commission == (order.price * sold.commission_rate).quantize(Decimal("0.01")) > 0
    assert settlement.entries.filter(amount=commission).exists()

    # and: one offer still waiting for the seller, shown on their offer page
    open_submission = _loop_submission(SubmissionStatus.OFFERED)
    offer = open_submission.offers.get(kind=OfferKind.FINAL)
    assert offer.decision == "" and offer.valid_until > timezone.now()
    client.force_login(seller)
    page = client.get(reverse("recycling:offer", args=[open_submission.pk]))
    assert page.status_code == 200
    assert open_submission.title in page.content.decode()

    # and: every consigned listing is a consignment's, so the operations dashboard's consigned counts
    # (listings on sale by source, consignments by status) agree
    consigned_listings = set(
        Listing.objects.filter(source=ListingSource.CONSIGNED).values_list("pk", flat=True)
    )
    assert consigned_listings == set(Consignment.objects.values_list("listing_id", flat=True))
    client.force_login(User.objects.get(username="operations"))
    dashboard = client.get(reverse("dashboard:home")).context
    listed = {row.value: row.count for row in dashboard["figures"].listings}
    by_status = {row.value: row.count for row in dashboard["figures"].consignments}
    assert listed[ListingSource.CONSIGNED] == by_status[ConsignmentStatus.LISTED] == 1

    # and: the ledger balances, transaction by transaction
    totals: dict[int, Decimal] = {}
    for transaction_id, amount in Entry.objects.values_list("transaction_id", "amount"):
        totals[transaction_id] = totals.get(transaction_id, Decimal("0")) + amount
    assert totals and set(totals.values()) == {Decimal("0")}
    assert "Loop: 4 new" in out

    # when: run again (as seed_demo does on every run)
    models = (
        Submission,
        SubmissionEvent,
        Offer,
        Inspection,
        Listing,
        Consignment,
        ConsignmentEvent,
        PriceDrop,
        Order,
        Transaction,
        Entry,
    )
    before = {model.__name__: model.objects.count() for model in models}
    call_command("seed_demo_loop")

    # then
    assert {model.__name__: model.objects.count() for model in models} == before
    assert "Loop: 0 new" in capsys.readouterr().out
