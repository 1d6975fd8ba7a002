"""Orders: one buyer, one unique item, the money held in escrow until the buyer is satisfied.

An order's status moves only through `orders.services.transitions.order_move` and its table; each move
leaves an OrderEvent, which the order page shows as its timeline. Payments are the provider's side of
an order (one per attempt); ProviderEvent stores every webhook once, by the provider's event id.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from listings.models import Listing, ListingSource
from marketplace.status_events import Catalog, StatusEvent

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_order_number() -> str:
    """A short public order number, e.g. "O7KQ2MX4PA": no 0/O or 1/I to misread on the phone."""
    return "O" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(9))


def is_order_number(code: str) -> bool:
    """Whether `code` has the shape of an order number (so that other codes need no lookup)."""
    return len(code) == 10 and code[0] == "O" and all(char in ORDER_NUMBER_ALPHABET for char in code[1:])


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")  # item reserved while the buyer pays
    EXPIRED = "expired", _("Reservation lapsed")  # not paid in time; the item went back on sale
    CANCELLED = "cancelled", _("Cancelled")  # the buyer gave up before paying
    PAID = "paid", pgettext_lazy("the buyer has paid", "Paid")  # money held in escrow; the seller must ship
    # Inspected delivery (验货宝): the seller's parcel goes to the inspection centre first.
    TO_CENTRE = "to_centre", _("On its way to inspection")  # shipped by the seller to the centre
    INSPECTING = "inspecting", _("At inspection")  # received at the centre, checked against the listing
    INSPECTED = "inspected", _("Passed inspection")  # as described; the centre ships it on with its report
    SHIPPED = "shipped", _("Shipped")  # on its way, with a tracking number
    DELIVERED = "delivered", _("Delivered")  # arrived; the return window runs
    COMPLETED = "completed", _("Completed")  # the buyer is satisfied; the seller is paid
    RETURN_REQUESTED = "return_requested", _("Return requested")  # the buyer is sending it back
    RETURNED = "returned", _("Returned")  # the item is back; the refund follows
    REFUNDED = "refunded", _("Refunded")  # the buyer's money went back to their card
    DISPUTED = "disputed", _("In dispute")  # "not as described": staff are looking at it
    RESOLVED = "resolved", _("Dispute resolved")  # staff decided; any refund and payout are done


# Statuses in which the order holds its listing: a second one for the same listing cannot exist.
LIVE_STATUSES = (
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.TO_CENTRE,
    OrderStatus.INSPECTING,
    OrderStatus.INSPECTED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.RETURN_REQUESTED,
    OrderStatus.DISPUTED,
)


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=12, unique=True, default=new_order_number)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), related_name="orders", on_delete=models.PROTECT
    )
    # Copied from the listing when the order is placed, so the order reads the same whatever the
    # listing becomes later.
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="sales",
        on_delete=models.PROTECT,
    )
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="orders", on_delete=models.PROTECT
    )
    title = models.CharField(_("item"), max_length=120)
    source = models.CharField(_("source"), max_length=12, choices=ListingSource.choices)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    # What the buyer pays for the parcel, on top of the price: PERSON_TO_PERSON_SHIPPING_FEE for a
    # private seller's item (it prepays the label the seller books), 0 for Reloop's stock.
    shipping_fee = models.DecimalField(_("shipping fee"), max_digits=12, decimal_places=2, default=0)
    # Inspected delivery (验货宝), chosen by the buyer at checkout for a private seller's item in a
    # category with a checklist: the item goes through the inspection centre, for `inspection_fee`.
    inspected_delivery = models.BooleanField(_("inspected delivery"), default=False)
    inspection_fee = models.DecimalField(_("inspection fee"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    reserved_until = models.DateTimeField(_("reserved until"))

    ship_to_name = models.CharField(_("recipient"), max_length=60, blank=True)
    ship_to_phone = models.CharField(_("phone"), max_length=20, blank=True)
    ship_to_region = models.CharField(_("province or state"), max_length=60, blank=True)
    ship_to_city = models.CharField(_("city"), max_length=60, blank=True)
    # The street address: district, street, building and room.
    ship_to_address = models.CharField(_("address"), max_length=300, blank=True)
    ship_to_postcode = models.CharField(_("postcode"), max_length=10, blank=True)

    # The parcel on its way to the buyer, once the item is shipped.
    shipment = models.ForeignKey(
        "shipping.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database's last word on "one buyer per unique item": whatever the code does, two
            # live orders for one listing cannot both be stored.
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status__in=LIVE_STATUSES), name="order_one_live_per_listing"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="order_price_positive"),
            models.CheckConstraint(condition=Q(shipping_fee__gte=0), name="order_shipping_fee_not_negative"),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at", "-id"], name="order_buyer_newest"),
            models.Index(fields=["seller", "-created_at", "-id"], name="order_seller_newest"),
            models.Index(fields=["status", "reserved_until"], name="order_status_reserved"),
            models.Index(fields=["status", "delivered_at"], name="order_status_delivered"),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def shipping_fee_for(source: str) -> Decimal:
        """The shipping fee of a new order for an item from `source`: a private seller's parcel is
        paid by the buyer, Reloop's stock (its own and consigned) ships free."""
        if source == ListingSource.PERSON:
            return settings.PERSON_TO_PERSON_SHIPPING_FEE
        return Decimal("0")

    @property
    def total(self) -> Decimal:
        """What the buyer pays: the price, the shipping fee and, for inspected delivery, its fee."""
        return self.price + self.shipping_fee + self.inspection_fee

    @property
    def return_window_closes_at(self):
        if self.delivered_at is None:
            return None
        return self.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS)

    @property
    def carrier(self) -> str:
        """The carrier's code, once shipped (the shipment is joined by the selectors)."""
        return self.shipment.carrier if self.shipment is not None else ""

    @property
    def tracking_number(self) -> str:
        return self.shipment.tracking_number if self.shipment is not None else ""

    @property
    def ships_from_centre(self) -> bool:
        """Whether Reloop's staff ship the item on to the buyer: inspected stock, and a private
        seller's item that passed inspected delivery."""
        return self.is_inspected_stock or self.status == OrderStatus.INSPECTED

    @property
    def is_inspected_stock(self) -> bool:
        """Platform and consigned stock was inspected and is shipped by staff from the centre."""
        return self.source in (ListingSource.PLATFORM, ListingSource.CONSIGNED)


class OrderEvent(StatusEvent):
    """One row per status change, shown as the order's timeline."""

    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="events", on_delete=models.CASCADE)
    old = models.CharField(_("old status"), max_length=20, choices=OrderStatus.choices, blank=True)
    new = models.CharField(_("new status"), max_length=20, choices=OrderStatus.choices)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from orders.messages import MESSAGES  # on first use: a catalog may name choices declared here

        return MESSAGES


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Started")  # the hosted payment page is open; nothing paid yet
    SUCCEEDED = "succeeded", pgettext_lazy("the buyer has paid", "Paid")  # the provider took the money
    FAILED = "failed", _("Declined")  # the card was declined; the buyer may try again
    REFUNDED = "refunded", _("Refunded")  # all of it went back to the buyer's card
    # The provider reported another amount or currency than ours: nothing is applied and the order
    # stays unpaid until operations look at it (the orders desk lists these).
    REVIEW = "review", _("Held for review")


class Payment(models.Model):
    """One attempt to pay for an order on the provider's hosted page."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), related_name="payments", on_delete=models.PROTECT
    )
    # Sent with the create call: asking twice with the same key gets the same payment at the provider.
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    provider_reference = models.CharField(
        _("provider reference"), max_length=64, unique=True, null=True, blank=True
    )
    hosted_url = models.URLField(_("payment page"), max_length=500, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    # What the provider's success event said, when it did not match `amount` and CURRENCY (REVIEW).
    reported_amount = models.DecimalField(
        _("amount reported"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reported_currency = models.CharField(_("currency reported"), max_length=3, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class Refund(models.Model):
    """Money owed back to a buyer's card: written with its ledger posting, sent to the provider by a
    job after commit (orders.tasks.send_refund), and marked sent once the provider has taken it. One
    still unsent a while later lost its job, and the periodic sweep sends it."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), related_name="refunds", on_delete=models.PROTECT
    )
    # The ledger posting's key, which names the cause ("refund:return:12"); also the provider's key.
    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="refund_unsent")
        ]

    def __str__(self) -> str:
        return self.key


class ProviderEvent(models.Model):
    """Every payment-provider webhook event, stored once by its id: a replay is recognised and ignored."""

    # Set (not stored) by orders.services.payments: whether this delivery moved anything, and whether
    # it put its payment on hold for review instead.
    applied: bool
    held_for_review: bool

    event_id = models.CharField(_("event id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    provider_reference = models.CharField(_("provider reference"), max_length=64, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.event_id


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")  # the buyer is to send the item back
    RECEIVED = "received", _("Received")  # the item is back with its seller or at the centre
    WITHDRAWN = "withdrawn", pgettext_lazy("return", "Withdrawn")  # the buyer kept the item after all


class ReturnRequest(models.Model):
    order = models.OneToOneField(
        Order, verbose_name=_("order"), related_name="return_request", on_delete=models.CASCADE
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    # A free label for inspected stock, which goes back to the inspection centre; a person-to-person
    # buyer sends the item to its seller and enters the carrier and tracking number themselves.
    shipment = models.ForeignKey(
        "shipping.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return f"return of {self.order_id}"

    @property
    def carrier(self) -> str:
        return self.shipment.carrier if self.shipment is not None else ""

    @property
    def tracking_number(self) -> str:
        """Empty until the label is booked, or until the buyer says how they sent it."""
        return self.shipment.tracking_number if self.shipment is not None else ""


class DisputeOutcome(models.TextChoices):
    FULL_REFUND = "full_refund", _("Full refund")  # the buyer gets everything back
    PARTIAL_REFUND = "partial_refund", _("Partial refund")  # part back; the seller is paid the rest
    REJECTED = (
        "rejected",
        pgettext_lazy("dispute outcome", "Rejected"),
    )  # the item was as described; the seller is paid


class Dispute(models.Model):
    """A "not as described" claim. For an inspected item it points at the report's checks it disputes."""

    order = models.OneToOneField(
        Order, verbose_name=_("order"), related_name="dispute", on_delete=models.CASCADE
    )
    reason = models.TextField(_("what is wrong"), max_length=2000)
    disputed_checks = models.ManyToManyField(
        "inspection.CheckResult", verbose_name=_("disputed checks"), related_name="disputes", blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=DisputeOutcome.choices, blank=True)
    refund_amount = models.DecimalField(_("refund"), max_digits=12, decimal_places=2, null=True, blank=True)
    resolution_note = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="dispute_open_oldest")]

    def __str__(self) -> str:
        return f"dispute on {self.order_id}"


class Rating(models.Model):
    """The buyer's rating of the seller for one completed order; each score is 1 to 5."""

    order = models.OneToOneField(
        Order, verbose_name=_("order"), related_name="rating", on_delete=models.CASCADE
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="ratings_received",
        on_delete=models.PROTECT,
    )
    accuracy = models.PositiveSmallIntegerField(_("item as described"))
    service = models.PositiveSmallIntegerField(_("service"))
    shipping = models.PositiveSmallIntegerField(_("shipping"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accuracy__gte=1, accuracy__lte=5)
                & Q(service__gte=1, service__lte=5)
                & Q(shipping__gte=1, shipping__lte=5),
                name="rating_scores_one_to_five",
            )
        ]
        indexes = [models.Index(fields=["seller", "-created_at"], name="rating_seller_newest")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.accuracy}/{self.service}/{self.shipping}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")  # the other party may accept, decline or counter
    ACCEPTED = "accepted", _("Accepted")  # the item is reserved for the buyer at this price (order)
    DECLINED = "declined", _("Declined")  # by the other party, by the floor, or because the item sold
    COUNTERED = "countered", _("Countered")  # answered with another price (the offer in reply to it)
    EXPIRED = "expired", _("Expired")  # nobody answered within OFFER_HOURS
    WITHDRAWN = "withdrawn", pgettext_lazy("offer", "Withdrawn")  # taken back by whoever made it


class OfferDeclineReason(models.TextChoices):
    BY_PARTY = "by_party", _("Declined")  # the seller (or, for a counter, the buyer) said no
    BELOW_FLOOR = "below_floor", _("Below the lowest price the seller accepts")  # declined at once
    SOLD = "sold", _("The item was sold")  # someone else bought it
    OFF_SALE = "off_sale", _("The item is no longer on sale")  # withdrawn by its seller


# Offers still waiting for an answer: an open one blocks a second open one in the same thread.
OPEN_OFFER_STATUSES = (OfferStatus.PENDING,)


class Offer(models.Model):
    """A price proposed for one listing (议价): by the shopper, or by the seller in reply (a counter).
    The shopper and the seller of one listing talk in one thread of offers; at most one is open at a
    time. Accepting reserves the item for the shopper at the offer's price (an Order)."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="offers", on_delete=models.CASCADE
    )
    # The shopper of the thread, whoever made this offer; and the listing's seller, copied.
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopper"),
        related_name="offers_made",
        on_delete=models.CASCADE,
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        related_name="offers_received",
        on_delete=models.CASCADE,
    )
    # True for a seller's counter, which the shopper answers.
    by_seller = models.BooleanField(_("made by the seller"), default=False)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # The listing's price when the offer was made, shown beside it.
    asking_price = models.DecimalField(_("asking price"), max_digits=12, decimal_places=2)
    in_reply_to = models.OneToOneField(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        related_name="reply",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    decline_reason = models.CharField(
        _("why declined"), max_length=12, choices=OfferDeclineReason.choices, blank=True
    )
    order = models.OneToOneField(
        Order, verbose_name=_("order"), null=True, blank=True, related_name="offer", on_delete=models.SET_NULL
    )
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="offer_amount_positive"),
            # One open offer per thread: a second click, a second tab or two devices cannot open two.
            models.UniqueConstraint(
                fields=["listing", "buyer"], condition=Q(status="pending"), name="offer_one_open_per_thread"
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at", "-id"], name="offer_buyer_newest"),
            models.Index(fields=["seller", "-created_at", "-id"], name="offer_seller_newest"),
            models.Index(fields=["listing", "buyer", "created_at"], name="offer_thread"),
            models.Index(fields=["expires_at"], condition=Q(status="pending"), name="offer_pending_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} for {self.listing_id}"

    def answerer_id(self) -> int:
        """Who may accept, decline or counter this offer: the seller, or the shopper for a counter."""
        return self.buyer_id if self.by_seller else self.seller_id

    def maker_id(self) -> int:
        return self.seller_id if self.by_seller else self.buyer_id


class OfferEvent(StatusEvent):
    """One row per status change of an offer: who answered, and when."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), related_name="events", on_delete=models.CASCADE)
    old = models.CharField(_("old status"), max_length=12, choices=OfferStatus.choices, blank=True)
    new = models.CharField(_("new status"), max_length=12, choices=OfferStatus.choices)

    class Meta:
        verbose_name = _("offer event")
        verbose_name_plural = _("offer events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from orders.messages import OFFER_MESSAGES

        return OFFER_MESSAGES
