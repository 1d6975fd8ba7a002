"""`manage.py seed_demo_orders`: the demo shopper's past orders and the demo seller's wallet.

Run by `seed_demo` after the listings and inspections exist. Every step goes through the services a
person's click would call: the shopper buys (`order_place`), gives an address and pays on the sandbox
provider's page (`payment_start`, `sandbox.payments.payment_submit`, whose signed webhook is handed to
the webhook view in-process since no web server runs while seeding); the seller or operations ship;
the buyer confirms, returns or disputes; the completion job runs with the clock moved on; the buyer
rates; the seller withdraws part of the wallet and the payout job pays it. So the ledger the pages show
is the one real use would leave.

The orders, one per stage the pages show:

    from the demo seller (person to person)    completed and rated · completed by the job once the
                                               return window has passed and rated (both sent by the
                                               seller with a tracking number they typed) · delivered
                                               (window open) · shipped (both on a prepaid label booked
                                               with the shipping fee) · paid, waiting for the seller to
                                               ship
    from Reloop's own inspected stock          completed · returned and refunded · in dispute, pointing
                                               at a check of its inspection report
    with inspected delivery (验货宝)            paid · on its way to the centre · at inspection · passed
                                               (to ship from the centre) · shipped on · failed and refunded

Running it again creates nothing new: the shopper's orders are looked up first, and a stage already
reached is not repeated.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from demo.management.commands import seed_demo
from demo.parcels import parcel_on_its_way
from demo.permission import demo_data_allowed_or_refuse
from inspection.models import CheckResult, Inspection
from inspection.services.workbench import inspection_claim, inspection_complete
from listings.models import Listing, ListingSource, ListingStatus
from marketplace.celery import app as celery_app
from orders.models import OfferStatus, Order, OrderStatus
from orders.services.centre import order_receive_at_centre
from orders.services.checkout import order_address_set, order_place, payment_start
from orders.services.fulfilment import (
    order_confirm_receipt,
    order_label_book,
    order_label_issue,
    order_mark_delivered,
    order_mark_shipped,
    orders_complete_due,
)
from orders.services.inspected import (
    inspected_delivery_offered,
    order_inspection_choose,
    order_inspection_completed,
)
from orders.services.ratings import rating_submit
from orders.services.returns import dispute_open, return_mark_received, return_request
from sandbox.models import SandboxWebhook
from sandbox.payments import CARD_SUCCEEDS, deliver, payment_submit
from wallet.models import Withdrawal
from wallet.selectors import wallet_summary
from wallet.services.withdrawals import withdrawal_check, withdrawal_request, withdrawal_send

SHOPPER = "shopper"
SELLER = "seller"
PLATFORM_SELLER = "reloop"
OPERATIONS = "operations"
ADDRESS = {
    "name": "Zhou Min",
    "phone": "13800138000",
    "region": "Shanghai",
    "city": "Shanghai",
    "street": "Room 1202, 88 Wukang Road, Xuhui",
    "postcode": "200031",
}

# A private seller's stages shipped on a prepaid label; the others are sent with a typed tracking number.
LABEL_STAGES = ("delivered", "shipped")
# (seller, stage) in the order they are bought.
PLAN = (
    (SELLER, "completed_rated"),
    (SELLER, "completed_by_job"),
    (SELLER, "delivered"),
    (SELLER, "shipped"),
    (SELLER, "paid"),
    (PLATFORM_SELLER, "completed"),
    (PLATFORM_SELLER, "refunded"),
    (PLATFORM_SELLER, "disputed"),
)
# Inspected deliveries (验货宝), one at each step.
INSPECTED_STAGES = ("paid", "to_centre", "inspecting", "inspected", "shipped", "failed")
INSPECTOR = "inspector"
WITHDRAWAL_KEY = "demo-withdrawal-1"
WITHDRAWAL_AMOUNT = Decimal("300.00")
DEMO_PAYOUT_ACCOUNT = "6222020200112233"


def inspection_claim_next_for(subject_code: str, inspector: User) -> Inspection:
    """The inspector takes the item with this code (the queue's order would give the oldest)."""
    queued = Inspection.objects.get(subject_code=subject_code)
    return inspection_claim(inspection_id=queued.pk, inspector=inspector)


@contextmanager
def jobs_in_process() -> Iterator[None]:
    """No worker or web server runs while seeding: tasks run in this process, and the sandbox's signed
    webhooks are held, for the demo steps to hand each to the webhook view in-process (`deliver`)
    rather than post it to the site. Everything is put back afterwards."""
    previous_eager = celery_app.conf.task_always_eager
    previous_url = settings.PAYMENT_SANDBOX_WEBHOOK_URL
    previous_hold = settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS
    celery_app.conf.task_always_eager = True
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = ""
    settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous_eager
        settings.PAYMENT_SANDBOX_WEBHOOK_URL = previous_url
        settings.PAYMENT_SANDBOX_HOLD_WEBHOOKS = previous_hold


class Command(BaseCommand):
    help = "Give the demo shopper past orders in several states and the demo seller a wallet with entries."

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_orders")
        with jobs_in_process():
            created = self._orders()
            created += self._inspected_deliveries()
            withdrawn = self._withdrawal()
        shopper_orders = Order.objects.filter(buyer__username=SHOPPER)
        by_status = ", ".join(
            f"{shopper_orders.filter(status=status).count()} {status.label.lower()}"
            for status in OrderStatus
            if shopper_orders.filter(status=status).exists()
        )
        seller = User.objects.get(username=SELLER)
        balance = wallet_summary(seller).balance
        self.stdout.write(
            f"Orders: {created} new; {SHOPPER} has {by_status or 'none'}. "
            f"{SELLER}'s wallet: {balance} {settings.CURRENCY}"
            + (", one withdrawal paid out." if withdrawn else ".")
        )

    def _orders(self) -> int:
        shopper = User.objects.get(username=SHOPPER)
        # (an offer a seller accepted is an order of the shopper's too, seeded before these)
        if Order.objects.filter(buyer=shopper, offer__isnull=True, inspected_delivery=False).exists():
            return 0
        operations = User.objects.get(username=OPERATIONS)
        candidates = {
            SELLER: list(
                Listing.objects.filter(
                    seller__username=SELLER, source=ListingSource.PERSON, status=ListingStatus.ACTIVE
                )
                .exclude(offers__status=OfferStatus.PENDING)  # the demo's haggling stays open
                .order_by("pk")[:5]
            ),
            PLATFORM_SELLER: list(
                Listing.objects.filter(
                    seller__username=PLATFORM_SELLER,
                    source=ListingSource.PLATFORM,
                    status=ListingStatus.ACTIVE,
                )
                .exclude(report_code="")
                .order_by("pk")[:3]
            ),
        }
        created = 0
        for seller_name, stage in PLAN:
            if not candidates[seller_name]:
                continue
            listing = candidates[seller_name].pop(0)
            order = self._paid(shopper, listing)
            created += 1
            self._take_to(stage, order, shopper=shopper, operations=operations)
        return created

    @staticmethod
    def _paid(shopper: User, listing: Listing, *, order: Order | None = None) -> Order:
        """Buy `listing` (or pay the shopper's `order` for it, already addressed) on the sandbox."""
        if order is None:
            order = order_place(buyer=shopper, listing_id=listing.pk)
            order_address_set(order_id=order.pk, buyer=shopper, address=ADDRESS)
        payment = payment_start(
            order_id=order.pk, buyer=shopper, return_url=f"{settings.SITE_URL}/orders/{order.number}/"
        )
        # payment_start has the provider's answer, reference included.
        payment_submit(reference=cast(str, payment.provider_reference), card_number=CARD_SUCCEEDS)
        for event_id in SandboxWebhook.objects.filter(delivered_at__isnull=True).values_list(
            "event_id", flat=True
        ):
            deliver(event_id)
        return Order.objects.get(pk=order.pk)

    @staticmethod
    def _take_to(stage: str, order: Order, *, shopper: User, operations: User) -> None:
        if stage == "paid":
            return
        shipper = operations if order.is_inspected_stock else order.seller
        if not order.is_inspected_stock and stage in LABEL_STAGES:
            # The seller books the prepaid label; the carrier issues it (at once when this runs with
            # no transaction open, else here) and the order ships.
            order_label_book(order_id=order.pk, by=order.seller)
            order_label_issue(order_id=order.pk)
            order = Order.objects.select_related("shipment").get(pk=order.pk)
        else:
            order = order_mark_shipped(
                order_id=order.pk, by=shipper, carrier="sf", tracking_number=f"SF{order.pk:010d}"
            )
        if stage == "shipped":
            parcel_on_its_way(order.shipment)
            return
        order_mark_delivered(order_id=order.pk, by=operations)
        if stage in ("completed_rated", "completed"):
            order_confirm_receipt(order_id=order.pk, buyer=shopper)
            if stage == "completed_rated":
                rating_submit(
                    order_id=order.pk,
                    buyer=shopper,
                    accuracy=5,
                    service=5,
                    shipping=4,
                    comment="Exactly as described, well packed.",
                )
        elif stage == "completed_by_job":
            # The completion job as it will run once the return window has passed. This order is the
            # only one delivered at this point of the plan.
            orders_complete_due(now=timezone.now() + timedelta(days=settings.RETURN_WINDOW_DAYS, minutes=1))
            rating_submit(order_id=order.pk, buyer=shopper, accuracy=4, service=5, shipping=5)
        elif stage == "refunded":
            return_request(order_id=order.pk, buyer=shopper, reason="It is smaller than I expected.")
            return_mark_received(order_id=order.pk, by=operations)
        elif stage == "disputed":
            disputed = (
                CheckResult.objects.filter(inspection__report__code=order.listing.report_code)
                .order_by("pk")
                .values_list("pk", flat=True)[:1]
            )
            dispute_open(
                order_id=order.pk,
                buyer=shopper,
                reason="The report says the screen has no marks, but there is a scratch across it.",
                check_ids=list(disputed),
            )

    def _inspected_deliveries(self) -> int:
        """The shopper buys private sellers' items with inspected delivery (验货宝), one at each step:
        paid (the seller is to send it to the centre), on its way to the centre, at inspection, passed
        and waiting to ship from the centre, shipped on to the shopper, and failed (refunded in full,
        the item on its way back to its seller). Skipped when the shopper has such orders already."""
        shopper = User.objects.get(username=SHOPPER)
        if Order.objects.filter(buyer=shopper, inspected_delivery=True).exists():
            return 0
        operations = User.objects.get(username=OPERATIONS)
        inspector = User.objects.get(username=INSPECTOR)
        listings = [
            listing
            for listing in Listing.objects.filter(
                source=ListingSource.PERSON,
                status=ListingStatus.ACTIVE,
                category__is_luxury=False,
            )
            .exclude(seller=shopper)
            .exclude(offers__status=OfferStatus.PENDING)
            .select_related("category")
            .order_by("-pk")[:40]
            if inspected_delivery_offered(listing)
        ]
        created = 0
        for stage, listing in zip(INSPECTED_STAGES, listings, strict=False):
            order = order_place(buyer=shopper, listing_id=listing.pk)
            order_address_set(order_id=order.pk, buyer=shopper, address=ADDRESS)
            order_inspection_choose(order_id=order.pk, buyer=shopper, chosen=True)
            order = self._paid(shopper, listing, order=order)
            created += 1
            if stage == "paid":
                continue
            order_label_book(order_id=order.pk, by=order.seller)
            order_label_issue(order_id=order.pk)
            if stage == "to_centre":
                continue
            order_receive_at_centre(reference=order.number, by=operations)
            if stage == "inspecting":
                continue
            inspection = inspection_claim_next_for(order.number, inspector)
            if stage == "failed":
                inspection_complete(
                    inspection_id=inspection.pk,
                    inspector=inspector,
                    passed=False,
                    fail_reason="not_as_declared",
                    note="The listing says no marks; the back has deep scratches and a dent.",
                )
            else:
                seed_demo.Command._inspect(inspection, listing, inspector)
            # What inspection_completed sets off after commit, now (inside a test's transaction the
            # commit never comes); a second call finds the order moved on and does nothing.
            order_inspection_completed(inspection=Inspection.objects.get(pk=inspection.pk))
            if stage == "failed":
                continue
            if stage == "shipped":
                order = order_mark_shipped(
                    order_id=order.pk, by=operations, carrier="sf", tracking_number=f"SF{order.pk:010d}"
                )
                parcel_on_its_way(order.shipment)
        return created

    @staticmethod
    def _withdrawal() -> bool:
        seller = User.objects.get(username=SELLER)
        existing = Withdrawal.objects.filter(user=seller, request_key=WITHDRAWAL_KEY).first()
        if existing is None and wallet_summary(seller).balance < WITHDRAWAL_AMOUNT:
            return False
        withdrawal = existing or withdrawal_request(
            user=seller, amount=WITHDRAWAL_AMOUNT, destination=DEMO_PAYOUT_ACCOUNT, request_key=WITHDRAWAL_KEY
        )
        # The payout job (queued after commit) and then the status check the beat job makes every 5 min;
        # the sandbox bank settles a payout when asked for its status. Both do nothing the second time.
        withdrawal_send(withdrawal_id=withdrawal.pk)
        withdrawal_check(withdrawal_id=withdrawal.pk)
        return True
