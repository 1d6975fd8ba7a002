"""The label PDF, and the pages that book shipping and hand out the label."""

import base64
import re
import zlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A6

from accounts import roles
from accounts.addresses import PostalAddress
from listings.photos import private_storage
from recycling.models import SubmissionStatus
from recycling.services.shipping import pickup_slots
from shipping.carriers import INSPECTION_CENTRE
from shipping.labels import LabelContent, label_pdf
from shipping.models import Shipment, ShipmentStatus
from tests.factories import UserFactory
from tests.recycling.shipping_fixtures import (
    SELLER_ADDRESS,
    RecordingCarrier,
    booked_shipment,
    estimated_submission,
    staff_user,
    use_carrier,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The page content of a label PDF as ReportLab writes it (ASCII85, then Flate), where the text
    shows as `(…) Tj`."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = base64.a85decode(stream.strip(), adobe=True) if stream.strip().endswith(b"~>") else stream
        try:
            text.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(text)


def content(**overrides) -> LabelContent:
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    values = {
        "carrier": "sandbox",
        "tracking_number": "SBX482901736254",
        "sort_code": "SHA-201",
        "reference_code": "RLAB2CD3EF",
        "sender": PostalAddress(name="Li Wei", phone="", region="", city="Hangzhou", street="", postcode=""),
        "recipient": INSPECTION_CENTRE,
        "method": "pickup",
        "method_label": "Courier pickup",
        "pickup_start": start,
        "pickup_end": start + timedelta(hours=2),
    }
    return LabelContent(**(values | overrides))


def test_the_label_is_an_a6_pdf_with_the_tracking_number_and_code_as_text():
    pdf = label_pdf(content(), compress=False)
    assert pdf.startswith(b"%PDF-")
    media_box = re.search(rb"/MediaBox \[\s*([\d.\s]+)\]", pdf).group(1).split()
    assert [round(float(value), 1) for value in media_box] == [0, 0, round(A6[0], 1), round(A6[1], 1)]
    assert b"(SBX482901736254) Tj" in pdf
    assert b"(RLAB2CD3EF) Tj" in pdf
    assert b"(FREE SHIPPING) Tj" in pdf
    assert b"(Reloop Inspection Centre) Tj" in pdf
    assert b"(Courier pickup) Tj" in pdf


def test_a_chinese_sender_and_a_drop_off_label_still_render():
    pdf = label_pdf(
        content(
            sender=PostalAddress(name="王小明", phone="", region="", city="杭州", street="", postcode=""),
            method="drop_off",
            method_label="Drop-off",
            pickup_start=None,
            pickup_end=None,
            drop_off_note="Hand the parcel in at any Sandbox Express point within 14 days.",
        ),
        compress=False,
    )
    assert b"STSong-Light" in pdf
    assert b"(Drop-off) Tj" in pdf


def test_a_very_long_name_is_shortened_to_fit():
    pdf = label_pdf(
        content(sender=PostalAddress(name="A" * 300, phone="", region="", city="X", street="", postcode="")),
        compress=False,
    )
    assert b"A" * 300 not in pdf


# --- Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def carrier(monkeypatch):
    recording = RecordingCarrier()
    use_carrier(monkeypatch, recording)
    return recording


def test_the_seller_books_a_drop_off_and_sees_the_tracking_number(client, carrier):
    submission = estimated_submission()
    client.force_login(submission.seller)
    url = reverse("shipping:book", args=[submission.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="slot"' in page.content
    response = client.post(url, {"method": "drop_off"}, follow=True)
    shipment = Shipment.objects.get()
    assert response.redirect_chain == [(url, 302)]
    assert shipment.tracking_number in response.content.decode()
    assert reverse("shipping:label", args=[submission.pk]) in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SHIPPING


def test_the_seller_books_a_pickup_slot(client, carrier):
    submission = estimated_submission()
    client.force_login(submission.seller)
    start, _end = pickup_slots()[0]
    page = client.get(reverse("shipping:book", args=[submission.pk])).content.decode()
    assert "88 Wensan Road, Xihu District</textarea>" in page  # the default address, to start with
    address = {**SELLER_ADDRESS, "street": "5 Jiaogong Road, Xihu District"}
    response = client.post(
        reverse("shipping:book", args=[submission.pk]),
        {
            "method": "pickup",
            "slot": str(int(start.timestamp())),
            **{f"address-{k}": v for k, v in address.items()},
        },
    )
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert shipment.pickup_start == start
    assert shipment.sender["street"] == "5 Jiaogong Road, Xihu District"
    # The pickup address is printed on the label.
    label = client.get(reverse("shipping:label", args=[submission.pk]))
    assert "5 Jiaogong Road" in pdf_text(label.getvalue())


def test_a_pickup_address_with_a_bad_field_is_shown_under_it_and_books_nothing(client, carrier):
    submission = estimated_submission()
    client.force_login(submission.seller)
    start, _end = pickup_slots()[0]
    fields = {f"address-{k}": v for k, v in {**SELLER_ADDRESS, "postcode": "#"}.items()}
    response = client.post(
        reverse("shipping:book", args=[submission.pk]),
        {"method": "pickup", "slot": str(int(start.timestamp())), **fields},
    )
    assert response.status_code == 200
    html = response.content.decode()
    field = html[html.index("address-field-postcode") :]
    assert 'class="address-errors"' in field[: field.index("</div>")]
    assert not Shipment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "pickup"}, "Choose a pickup slot."),
        ({"method": "pickup", "slot": "tomorrow"}, "Choose a pickup slot."),
        ({"method": "pickup", "slot": "99999999999999999999"}, "Choose a pickup slot."),
        (
            {"method": "pickup", "slot": "1000", **{f"address-{k}": v for k, v in SELLER_ADDRESS.items()}},
            "no longer available",
        ),
        ({"method": "teleport"}, "Select a valid choice"),
        ({}, "Choose a courier pickup or a drop-off."),
    ],
)
def test_bad_choices_are_shown_on_the_form(client, carrier, data, message):
    submission = estimated_submission()
    client.force_login(submission.seller)
    response = client.post(reverse("shipping:book", args=[submission.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_a_carrier_outage_is_a_message_not_an_error_page(client, monkeypatch):
    use_carrier(monkeypatch, RecordingCarrier(fail=True))
    submission = estimated_submission()
    client.force_login(submission.seller)
    url = reverse("shipping:book", args=[submission.pk])
    assert "cannot be loaded right now" in client.get(url).content.decode()
    response = client.post(url, {"method": "drop_off"})
    assert response.status_code == 200
    assert "not answering" in response.content.decode()


def test_a_submission_that_cannot_ship_says_why(client, carrier):
    submission = estimated_submission()
    submission.__class__.objects.filter(pk=submission.pk).update(status=SubmissionStatus.VALUING)
    client.force_login(submission.seller)
    page = client.get(reverse("shipping:book", args=[submission.pk]))
    assert "cannot be booked" in page.content.decode()
    response = client.post(reverse("shipping:book", args=[submission.pk]), {"method": "drop_off"})
    assert "only while the estimate is ready" in response.content.decode()


def test_another_users_booking_page_is_404_and_anonymous_must_sign_in(client, carrier):
    submission = estimated_submission()
    url = reverse("shipping:book", args=[submission.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"method": "drop_off"}).status_code == 404
    client.force_login(staff_user(roles.OPERATIONS))
    assert client.get(url).status_code == 404  # booking is the seller's alone
    assert not Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).exists()


def test_the_label_is_served_to_its_owner_and_staff_only(client):
    shipment = booked_shipment()
    url = reverse("shipping:label", args=[shipment.submission.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for reader in (shipment.submission.seller, staff_user(roles.INSPECTORS)):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.getvalue().startswith(b"%PDF-")
        assert shipment.submission.code in response["Content-Disposition"]


def test_a_missing_label_file_is_drawn_again(client):
    shipment = booked_shipment()
    private_storage().delete(shipment.label_path)
    client.force_login(shipment.submission.seller)
    response = client.get(reverse("shipping:label", args=[shipment.submission.pk]))
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF-")
    shipment.refresh_from_db()
    assert private_storage().exists(shipment.label_path)


def test_no_label_without_a_live_shipment(client):
    shipment = booked_shipment()
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.CANCELLED)
    client.force_login(shipment.submission.seller)
    assert client.get(reverse("shipping:label", args=[shipment.submission.pk])).status_code == 404
    assert client.get(reverse("shipping:label", args=[999999])).status_code == 404
