"""Shipments: every parcel Reloop books a label for or follows, whatever it carries.

A shipment knows its purpose, a reference (the code printed on the label: a submission code or an order
number) and two addresses; it never points at a submission or an order. The apps that own those find
their parcels by reference, or keep a foreign key to the shipment, and follow it through the
`shipping.signals.shipment_moved` signal.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShipmentPurpose(models.TextChoices):
    INBOUND = "inbound", _("To the inspection centre")  # a seller's submission, on a free label
    SELLER_RETURN = "seller_return", _("Back to the seller")  # a submission sent back, free
    BUYER_RETURN = "buyer_return", _("Return from the buyer")  # a bought item on its way back
    SALE = "sale", _("To the buyer")  # inspected stock shipped from the centre
    PERSON_TO_PERSON = "person_to_person", _("From the seller to the buyer")  # a private seller's parcel


class ShippingMethod(models.TextChoices):
    PICKUP = "pickup", _("Courier pickup")  # a courier collects the parcel in a booked slot
    DROP_OFF = "drop_off", _("Drop-off")  # the sender hands it in at a carrier point


class ShipmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Label requested")  # waiting for the carrier to issue a label
    LABEL_CREATED = "label_created", _("Label created")  # booked; not yet handed to the carrier
    IN_TRANSIT = "in_transit", _("In transit")  # the carrier has scanned it
    DELIVERED = "delivered", _("Delivered")  # the carrier (or the receiving desk) says it arrived
    CANCELLED = "cancelled", _("Cancelled")  # label voided, or never issued


# How far along a parcel is. A status is the furthest any event reached, so late or repeated events
# never move a parcel back.
PROGRESS = {
    ShipmentStatus.REQUESTED: 0,
    ShipmentStatus.LABEL_CREATED: 1,
    ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.DELIVERED: 3,
}


class Shipment(models.Model):
    purpose = models.CharField(_("purpose"), max_length=16, choices=ShipmentPurpose.choices)
    # The code on the label that says what is inside: a submission code or an order number.
    reference = models.CharField(_("reference"), max_length=20)
    # A carrier code from shipping.carriers.CARRIERS; older rows may hold a name as someone typed it.
    carrier = models.CharField(_("carrier"), max_length=40)
    method = models.CharField(_("shipping method"), max_length=10, choices=ShippingMethod.choices, blank=True)
    pickup_start = models.DateTimeField(_("pickup start"), null=True, blank=True)
    pickup_end = models.DateTimeField(_("pickup end"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True, db_index=True)
    # True when Reloop booked the label with its carrier (the tracking number is then unique); false
    # when a seller or a buyer typed the tracking number of a parcel they sent themselves.
    booked = models.BooleanField(_("booked by Reloop"), default=False)
    # Addresses as accounts.addresses.PostalAddress.as_dict(), copied when the shipment is made.
    sender = models.JSONField(_("sender"), default=dict, blank=True)
    recipient = models.JSONField(_("recipient"), default=dict, blank=True)
    # Private storage path of the label PDF; served only to the people the parcel concerns and staff.
    label_path = models.CharField(_("label file"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live parcel per purpose and reference: a double click, a second tab or two job runs
            # find the one that exists instead of booking a second label.
            models.UniqueConstraint(
                fields=["purpose", "reference"],
                condition=~Q(status="cancelled"),
                name="shipment_one_live_per_purpose",
            ),
            models.UniqueConstraint(
                fields=["tracking_number"],
                condition=Q(booked=True) & ~Q(tracking_number=""),
                name="shipment_booked_tracking_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="shipping_status_created"),
            models.Index(fields=["reference", "purpose"], name="shipping_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number or self.reference}"


class CarrierEventKind(models.TextChoices):
    PICKED_UP = "picked_up", _("Picked up by the carrier")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")


class CarrierEvent(models.Model):
    """A carrier webhook event, stored once per event id (replays are ignored). Its kind is a code,
    shown in the reader's language; an unknown kind is stored and shown as the carrier sent it."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), related_name="events", on_delete=models.CASCADE
    )
    event_id = models.CharField(_("event ID"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    # Where the carrier saw the parcel, as it says (a city name); empty when it does not say.
    location = models.CharField(_("location"), max_length=60, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        verbose_name = _("carrier event")
        verbose_name_plural = _("carrier events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"

    @property
    def text(self) -> str:
        """What happened, in the active language."""
        try:
            return str(CarrierEventKind(self.kind).label)
        except ValueError:
            return self.kind
