"""`manage.py seed_demo_loop`: demo items that went through the whole sell-with-us loop.

Run by `seed_demo` last, after `seed_demo_orders`. The demo seller sends four more phones in; each is
taken through the services a person's clicks would call, as far as its outcome below: created with
drawn photos and pre-valued, a drop-off label booked, received by `operations`, claimed and inspected
check by check by `inspector` and passed, which makes the final offer. Then:

    cash       the seller takes the cash offer; the payout job pays the wallet (ledger key
               `recycle:submission:<id>`) and lists the item as platform stock
    sold       the seller consigns it; the demo shopper buys, pays (sandbox card, webhook handed to
               the view in-process), operations ship and deliver, the shopper confirms; the
               settlement job pays the seller, with the commission line
    consigned  the seller consigns it, dated 31 days back as demo history; the price-drop job then
               makes the listing's first drop
    open       the final offer waits for the seller's answer (the offer page shows it)

The news the services send after commit (inspection signals, `order_paid`, the payout task) is also
applied here by calling the receiving services directly, each safe to run twice: inside a test's
transaction on-commit callbacks never run, and when they do run the second call changes nothing.

Running it again creates nothing new: a demo item's submission is found by its fixed client token and
taken on from where it stopped.
"""

import dataclasses
import uuid
from collections import Counter
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from consignment.models import Consignment
from consignment.services.agreement import consignment_accept
from consignment.services.lifecycle import consignment_sold
from consignment.services.pricing import price_drops_apply
from consignment.settlement import consignments_settle
from demo import images as demo_images
from demo.management.commands import seed_demo, seed_demo_orders
from demo.permission import demo_data_allowed_or_refuse
from inspection.models import Inspection, InspectionStatus
from inspection.services.workbench import inspection_claim, inspection_enqueue
from listings.models import CatalogModel, Listing, ListingStatus
from orders.models import LIVE_STATUSES, Order, OrderStatus
from orders.services.fulfilment import order_confirm_receipt, order_mark_delivered, order_mark_shipped
from recycling.models import Submission, SubmissionStatus
from recycling.questionnaire import questionnaire_for
from recycling.services.intake import submission_create
from recycling.services.offers import offer_accept_recycle, recycle_payout
from recycling.services.outcome import submission_inspection_completed, submission_inspection_started
from recycling.services.shipping import shipping_book, submission_receive
from recycling.services.valuation import submission_prevalue
from shipping.models import ShippingMethod

CASH, SOLD, CONSIGNED, OPEN = "cash", "sold", "consigned", "open"
PHOTO_SEED = 950_000  # far from the listings' and seed_demo's submissions' seeds
# The price-drop job runs as it will this long after the item was listed: past the first step.
DROPS_AFTER = timedelta(days=31)
PHONE = {"colour": "Midnight", "carrier_lock": "unlocked", "account_removed": "yes"}


@dataclasses.dataclass(frozen=True)
class LoopItem:
    """A demo seller's phone taken through the loop to `outcome`."""

    key: str  # names the submission's client token, so that a second run finds it
    model: str  # an Apple phone in listings.catalog_data
    colour: str
    outcome: str  # CASH, SOLD, CONSIGNED or OPEN
    condition: dict  # answers that differ from the best one (the rest: the questionnaire's first)

    @property
    def client_token(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"https://reloop.example/demo/loop/{self.key}")


# In this order: the sold one is bought before the price-drop job runs, so only the other drops.
LOOP: tuple[LoopItem, ...] = (
    LoopItem("iphone-14-cash", "iPhone 14 128GB", "#2b2f36", CASH, {"usage": "regular"}),
    LoopItem("iphone-13-sold", "iPhone 13 128GB", "#c8d3dc", SOLD, {"usage": "light"}),
    LoopItem("iphone-14-pro-consigned", "iPhone 14 Pro 128GB", "#4b4a55", CONSIGNED, {"usage": "light"}),
    LoopItem("iphone-15-open", "iPhone 15 128GB", "#3d5a6c", OPEN, {"usage": "light"}),
)


class Command(BaseCommand):
    help = "Take demo submissions through inspection, offers, payouts, consignment, a sale and settlement."

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_loop")
        with seed_demo_orders.jobs_in_process():
            created = self._loop()
        statuses = Counter(
            Submission.objects.filter(client_token__in=[item.client_token for item in LOOP]).values_list(
                "status", flat=True
            )
        )
        by_status = ", ".join(
            f"{statuses[status]} {status.label.lower()}" for status in SubmissionStatus if statuses[status]
        )
        self.stdout.write(
            f"Loop: {created} new; {seed_demo.SUBMITTER}'s items through the loop: {by_status}."
        )

    def _loop(self) -> int:
        seller = User.objects.get(username=seed_demo.SUBMITTER)
        people = {
            "operations": User.objects.get(username=seed_demo.RECEIVER),
            "inspector": User.objects.get(username=seed_demo.INSPECTOR),
            "shopper": User.objects.get(username=seed_demo_orders.SHOPPER),
        }
        created = 0
        for item in LOOP:
            submission = Submission.objects.filter(client_token=item.client_token).first()
            if submission is None:
                submission = self._submit(item, seller)
                created += 1
            submission = self._to_offer(submission, seller=seller, **people)
            if submission.status == SubmissionStatus.OFFERED and item.outcome == CASH:
                submission = offer_accept_recycle(submission_id=submission.pk, seller=seller)
            if item.outcome == CASH and submission.status in (
                SubmissionStatus.RECYCLE_ACCEPTED,
                SubmissionStatus.PAID,
            ):
                # The payout task queued after commit; paid and listed once, however often it runs.
                recycle_payout(submission_id=submission.pk)
            if submission.status == SubmissionStatus.OFFERED and item.outcome in (SOLD, CONSIGNED):
                consignment_accept(submission_id=submission.pk, seller=seller, floor=None)
            if item.outcome == SOLD:
                self._sell(submission, **people)
            if item.outcome == CONSIGNED:
                consignment = Consignment.objects.filter(submission=submission).first()
                if consignment is not None and not consignment.price_drops.exists():
                    # Demo history, as seed_demo dates its listings: consigned 31 days ago, so that
                    # the price-drop job, run now as beat runs it, makes the first drop.
                    listed_at = timezone.now() - DROPS_AFTER
                    Consignment.objects.filter(pk=consignment.pk).update(
                        listed_at=listed_at,
                        term_ends_at=listed_at + (consignment.term_ends_at - consignment.listed_at),
                    )
                    price_drops_apply()
        return created

    @staticmethod
    def _submit(item: LoopItem, seller: User) -> Submission:
        """Describe the phone and upload its drawn photos, as the seller does on the intake form."""
        model = CatalogModel.objects.select_related("category", "brand").get(
            brand__slug="apple", name=item.model
        )
        questionnaire = questionnaire_for(model.category)
        condition = {question.name: question.answers[0].value for question in questionnaire.questions}
        condition.update(item.condition)
        attributes = {**PHONE, "storage": "128 GB"}
        photos = {}
        for index, view in enumerate(questionnaire.required_views(attributes)):
            data = demo_images.product_photo(
                "phone",
                seed=PHOTO_SEED + LOOP.index(item) * 10 + index,
                colour=item.colour,
                view=index % 2,
                size=seed_demo.SUBMISSION_PHOTO_SIZE,
                label=model.name,
            )
            photos[view.name] = SimpleUploadedFile(f"{view.name}.jpg", data, content_type="image/jpeg")
        return submission_create(
            seller=seller,
            category=model.category,
            catalog_model=model,
            attributes=attributes,
            condition_answers=condition,
            photos=photos,
            client_token=item.client_token,
        )

    @staticmethod
    def _to_offer(
        submission: Submission, *, seller: User, operations: User, inspector: User, shopper: User
    ) -> Submission:
        """Pre-value, ship, receive and inspect (passed) a submission not yet that far: the final offer
        is made when the inspection passes."""
        if submission.status == SubmissionStatus.VALUING:
            submission_prevalue(submission_id=submission.pk)
            submission.refresh_from_db()
        if submission.status == SubmissionStatus.ESTIMATED:
            shipping_book(submission_id=submission.pk, seller=seller, method=ShippingMethod.DROP_OFF)
            submission.refresh_from_db()
        if submission.status == SubmissionStatus.SHIPPING:
            submission = submission_receive(reference=submission.code, by=operations)
        if submission.status not in (SubmissionStatus.RECEIVED, SubmissionStatus.INSPECTING):
            return submission
        # Receiving enqueued it; enqueueing again returns that inspection.
        inspection = inspection_enqueue(
            subject_code=submission.code,
            category=submission.category,
            catalog_model=submission.catalog_model,
            title=submission.title,
            declared_grade=submission.declared_grade,
            by=operations,
        )
        if inspection.status == InspectionStatus.QUEUED:
            inspection = inspection_claim(inspection_id=inspection.pk, inspector=inspector)
        submission_inspection_started(inspection=inspection)
        if inspection.status == InspectionStatus.IN_PROGRESS:
            # seed_demo's bench routine grades by a listing's grade; the declared one stands in here.
            declared = Listing(
                title=submission.title,
                catalog_model=submission.catalog_model,
                grade=submission.declared_grade,
            )
            inspection = seed_demo.Command._inspect(inspection, declared, inspector)
        submission_inspection_completed(inspection=Inspection.objects.get(pk=inspection.pk))
        return Submission.objects.get(pk=submission.pk)

    @staticmethod
    def _sell(submission: Submission, *, operations: User, shopper: User, **people: User) -> None:
        """The shopper buys the consigned listing and keeps it; the settlement job pays the seller."""
        consignment = Consignment.objects.filter(submission=submission).first()
        if consignment is None:
            return
        order = Order.objects.filter(listing_id=consignment.listing_id).order_by("-pk").first()
        if order is None or order.status not in (*LIVE_STATUSES, OrderStatus.COMPLETED):
            if not Listing.objects.filter(pk=consignment.listing_id, status=ListingStatus.ACTIVE).exists():
                return
            order = seed_demo_orders.Command._paid(shopper, consignment.listing)
        if order.status == OrderStatus.PENDING_PAYMENT:
            return
        consignment_sold(order_id=order.pk)  # what the order_paid receiver does after commit
        if order.status == OrderStatus.PAID:
            order = order_mark_shipped(
                order_id=order.pk, by=operations, carrier="sf", tracking_number=f"SF{order.pk:010d}"
            )
        if order.status == OrderStatus.SHIPPED:
            order = order_mark_delivered(order_id=order.pk, by=operations)
        if order.status == OrderStatus.DELIVERED:
            order_confirm_receipt(order_id=order.pk, buyer=shopper)
        consignments_settle()
