"""The label PDF, and the pages that book shipping and hand out the label."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A6

from accounts import roles
from listings.photos import private_storage
from marketplace.carriers import INSPECTION_CENTRE, Address
from marketplace.labels import LabelContent, label_pdf
from recycling.models import Shipment, ShipmentStatus, SubmissionStatus
from recycling.services.shipping import pickup_slots
from tests.factories import UserFactory
from tests.recycling.shipping_fixtures import (
    RecordingCarrier,
    booked_shipment,
    estimated_submission,
    staff_user,
    use_carrier,
)

pytestmark = pytest.mark.django_db


def content(**overrides) -> LabelContent:
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    values = {
        "carrier": "sandbox",
        "tracking_number": "SBX482901736254",
        "sort_code": "SHA-201",
        "reference_code": "RLAB2CD3EF",
        "sender": Address(name="Li Wei", lines=(), city="Hangzhou"),
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
            sender=Address(name="王小明", lines=(), city="杭州"),
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
    pdf = label_pdf(content(sender=Address(name="A" * 300, lines=(), city="X")), compress=False)
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
    response = client.post(
        reverse("shipping:book", args=[submission.pk]),
        {"method": "pickup", "slot": str(int(start.timestamp()))},
    )
    assert response.status_code == 302
    assert Shipment.objects.get().pickup_start == start


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "pickup"}, "Choose a pickup slot."),
        ({"method": "pickup", "slot": "tomorrow"}, "Choose a pickup slot."),
        ({"method": "pickup", "slot": "99999999999999999999"}, "Choose a pickup slot."),
        ({"method": "pickup", "slot": "1000"}, "no longer available"),
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
    assert not Shipment.objects.exists()


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
    assert not Shipment.objects.exists()


def test_the_label_is_served_to_its_owner_and_staff_only(client):
    shipment = booked_shipment()
    url = reverse("shipping:label", args=[shipment.submission_id])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for reader in (shipment.submission.seller, staff_user(roles.INSPECTORS)):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert shipment.submission.code in response["Content-Disposition"]


def test_a_missing_label_file_is_drawn_again(client):
    shipment = booked_shipment()
    private_storage().delete(shipment.label_path)
    client.force_login(shipment.submission.seller)
    response = client.get(reverse("shipping:label", args=[shipment.submission_id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    shipment.refresh_from_db()
    assert private_storage().exists(shipment.label_path)


def test_no_label_without_a_live_shipment(client):
    shipment = booked_shipment()
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.CANCELLED)
    client.force_login(shipment.submission.seller)
    assert client.get(reverse("shipping:label", args=[shipment.submission_id])).status_code == 404
    assert client.get(reverse("shipping:label", args=[999999])).status_code == 404
