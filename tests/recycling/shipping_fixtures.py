"""Shared set-up for the free-shipping tests: an estimated submission, staff in their groups, a
booked shipment, and a carrier double that records what it was asked."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.addresses import address_create
from accounts.models import Address
from recycling.models import Confidence, Submission, SubmissionStatus, Valuation
from recycling.services.shipping import shipping_book
from shipping.carriers.sandbox import SandboxCarrier
from shipping.models import Shipment, ShipmentStatus, ShippingMethod
from tests.factories import SubmissionFactory, UserFactory

# Where the sellers of these tests live: the courier collects from here, returns go back here.
SELLER_ADDRESS = {
    "name": "Li Wei",
    "phone": "13812345678",
    "region": "Zhejiang",
    "city": "Hangzhou",
    "street": "88 Wensan Road, Xihu District",
    "postcode": "310012",
}


def estimated_submission(*, seller=None, valid_for: timedelta = timedelta(days=7), **fields) -> Submission:
    """A submission whose estimate is ready and still valid: the only state that may book shipping."""
    submission = SubmissionFactory(
        status=SubmissionStatus.ESTIMATED, **({"seller": seller} if seller else {}), **fields
    )
    if not Address.objects.filter(user=submission.seller).exists():
        address_create(user=submission.seller, data=SELLER_ADDRESS)
    now = timezone.now()
    Valuation.objects.create(
        submission=submission,
        model_version="test",
        confidence=Confidence.MEDIUM,
        created_at=now - timedelta(hours=1),
        expires_at=now + valid_for,
    )
    return submission


def booked_shipment(*, seller=None, **fields) -> Shipment:
    """A drop-off label booked for a new estimated submission; `shipment.submission` is that submission."""
    submission = estimated_submission(seller=seller, **fields)
    shipment = shipping_book(
        submission_id=submission.pk, seller=submission.seller, method=ShippingMethod.DROP_OFF
    )
    shipment.submission = Submission.objects.get(pk=submission.pk)
    return shipment


def staff_user(role: str | None, **fields):
    user = UserFactory(**fields)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def operations_user(**fields):
    return staff_user(roles.OPERATIONS, **fields)


class RecordingCarrier(SandboxCarrier):
    """The sandbox carrier, remembering bookings and cancellations; `before_answer` runs inside book()
    after the carrier has accepted, to play what another request does meanwhile."""

    def __init__(self, *, before_answer=None, **kwargs) -> None:
        super().__init__(secret="test-secret", **kwargs)
        self.booked: list[str] = []
        self.cancelled: list[str] = []
        self.before_answer = before_answer

    def book(self, **kwargs):
        booking = super().book(**kwargs)
        self.booked.append(booking.tracking_number)
        if self.before_answer is not None:
            self.before_answer()
        return booking

    def cancel(self, tracking_number: str) -> None:
        super().cancel(tracking_number)
        self.cancelled.append(tracking_number)


def use_carrier(monkeypatch, carrier) -> None:
    monkeypatch.setattr("shipping.services.get_carrier", lambda: carrier)
    monkeypatch.setattr("recycling.services.shipping.get_carrier", lambda: carrier)


LIVE = (ShipmentStatus.LABEL_CREATED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED)
