"""Media on S3-compatible storage (STORAGE_URL): uploads land in the right bucket, thumbnails are
reachable at the URL the page shows, private files reach their owner and staff only, through signed
URLs that stop working after PRIVATE_MEDIA_URL_SECONDS. The server is real S3 over HTTP (conftest)."""

import io
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from accounts import roles
from inspection.services.reports import report_publish
from listings.models import Grade, Listing, PhotoStatus
from listings.photos import stored_name, thumbnail_name
from messaging.models import Message
from messaging.services import conversation_start
from recycling import pending_photos
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.inspection.test_reports import completed_inspection
from tests.listings import images
from tests.recycling.shipping_fixtures import booked_shipment, staff_user

pytestmark = pytest.mark.django_db


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET as a browser following a link would: no credentials, only the URL."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, _lower(refused.headers.items()), refused.read()


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


def signed_query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def conversation_photo(client, buckets):
    """A photo (with GPS in its EXIF) that a shopper sent a seller, through the conversation page."""
    listing = ListingFactory(title="Leica M6", price=Decimal("9000.00"))
    shopper = UserFactory()
    conversation = conversation_start(buyer=shopper, listing_id=listing.pk)
    client.force_login(shopper)
    photo = images.upload(images.jpeg_bytes(gps=True), "shutter.jpg")
    client.post(reverse("messaging:send", args=[conversation.pk]), {"photo": photo})
    message = Message.objects.get(conversation=conversation)
    client.logout()
    url = reverse("messaging:photo", args=[conversation.pk, message.pk])
    return url, message, shopper, listing.seller


def test_a_listing_photo_is_kept_private_and_its_thumbnails_are_public_at_the_pages_url(
    client, buckets, django_capture_on_commit_callbacks
):
    seller = UserFactory()
    client.force_login(seller)
    form = {
        "title": "Leica Q2",
        "description": "Boxed.",
        "category": CategoryFactory().pk,
        "price": "24500.00",
        "grade": Grade.EXCELLENT,
        "photos": [images.upload(images.jpeg_bytes((1200, 900), gps=True), "front.jpg")],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selling:listing_create"), form)

    assert response.status_code == 302
    listing = Listing.objects.get(seller=seller)
    photo = listing.photos.get()
    assert photo.status == PhotoStatus.READY
    # The original: in the private bucket only, re-encoded, with no EXIF left.
    assert buckets.names(buckets.private) == {stored_name(photo.key)}
    with Image.open(io.BytesIO(buckets.read(buckets.private, stored_name(photo.key)))) as stored:
        assert stored.format == "JPEG" and stored.size == (1200, 900)
        assert not stored.getexif() and "exif" not in stored.info
    # Thumbnails: in the public bucket only.
    widths = (240, 480, 960)
    assert buckets.names(buckets.public) == {thumbnail_name(photo.key, width) for width in widths}
    # The listing's page points at them, and a browser gets them from storage at that address.
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    shown = set(re.findall(re.escape(buckets.media_url) + r"listings/[0-9a-f/]+-\d+\.webp", page))
    assert shown == {buckets.media_url + thumbnail_name(photo.key, width) for width in widths}
    for url in shown:
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["content-type"] == "image/webp"
        with Image.open(io.BytesIO(body)) as thumbnail:
            assert thumbnail.format == "WEBP"
    # The original has no public address: asked for without a signature, storage refuses.
    status, _headers, _body = fetch(f"{buckets.endpoint}/{buckets.private}/{stored_name(photo.key)}")
    assert status == 403


def test_a_stranger_gets_no_url_for_a_photo_sent_in_a_conversation(client, conversation_photo):
    url, _message, _shopper, _seller = conversation_photo

    assert client.get(url)["Location"].startswith(reverse("accounts:login"))  # signed out: sign in
    client.force_login(UserFactory())
    response = client.get(url)

    assert response.status_code == 404
    assert "Location" not in response


def test_both_people_of_the_conversation_are_sent_to_a_short_lived_signed_url(
    client, buckets, conversation_photo
):
    url, message, shopper, seller = conversation_photo
    stored = buckets.read(buckets.private, stored_name(message.photo_key))
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(images.GPS_IFD) == {}  # GPS stripped

    for person in (shopper, seller):
        client.force_login(person)
        response = client.get(url)

        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"  # the URL it names lapses
        location = response["Location"]
        assert location.startswith(f"{buckets.endpoint}/{buckets.private}/{stored_name(message.photo_key)}?")
        query = signed_query(location)
        assert query["X-Amz-Expires"] == "300"
        signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - signed_at) < timedelta(seconds=30)
        status, headers, body = fetch(location)
        assert status == 200
        assert body == stored
        assert headers["content-type"] == "image/jpeg"
        assert headers["cache-control"] == "private, max-age=3600"


@pytest.mark.parametrize("private_url_seconds", [2])
def test_a_signed_url_is_refused_once_it_has_lapsed(client, conversation_photo):
    url, _message, shopper, _seller = conversation_photo
    client.force_login(shopper)
    location = client.get(url)["Location"]
    query = signed_query(location)
    assert query["X-Amz-Expires"] == "2"
    assert fetch(location)[0] == 200

    lapses = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) + timedelta(
        seconds=2
    )
    time.sleep(max(0.0, (lapses - datetime.now(UTC)).total_seconds()) + 0.5)
    status, _headers, body = fetch(location)

    assert status == 403
    assert b"Request has expired" in body
    # Asking the site again gives a fresh URL that works.
    assert fetch(client.get(url)["Location"])[0] == 200


def test_a_label_reaches_its_seller_and_staff_through_storage_and_nobody_else(client, buckets):
    shipment = booked_shipment()
    assert shipment.label_path in buckets.names(buckets.private)
    url = reverse("shipping:label", args=[shipment.submission.pk])

    client.force_login(UserFactory())
    refused = client.get(url)
    assert refused.status_code == 404 and "Location" not in refused

    for reader in (shipment.submission.seller, staff_user(roles.INSPECTORS)):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 302
        status, headers, body = fetch(response["Location"])
        assert status == 200
        assert body.startswith(b"%PDF-")
        assert headers["content-type"] == "application/pdf"
        assert (
            headers["content-disposition"]
            == f'inline; filename="reloop-label-{shipment.submission.code}.pdf"'
        )
        assert headers["cache-control"] == "private, no-store"


def test_a_label_lost_from_storage_is_drawn_again_there(client, buckets):
    shipment = booked_shipment()
    buckets.client.delete_object(Bucket=buckets.private, Key=shipment.label_path)
    client.force_login(shipment.submission.seller)

    response = client.get(reverse("shipping:label", args=[shipment.submission.pk]))

    shipment.refresh_from_db()
    assert shipment.label_path in buckets.names(buckets.private)
    assert fetch(response["Location"])[2].startswith(b"%PDF-")


def test_a_report_pdf_is_rendered_once_into_the_private_bucket_and_read_back_from_it(
    client, buckets, monkeypatch
):
    from inspection import report_pdf

    renders = []
    render = report_pdf.report_pdf

    def counted(report, **kwargs):
        renders.append(report.code)
        return render(report, **kwargs)

    monkeypatch.setattr(report_pdf, "report_pdf", counted)
    report = report_publish(inspection=completed_inspection()[0])

    first = client.get(f"/r/{report.code}.pdf")
    second = client.get(f"/r/{report.code}.pdf")

    assert first.content == second.content and first.content.startswith(b"%PDF-")
    assert renders == [report.code]  # the second came from the bucket
    (stored,) = (name for name in buckets.names(buckets.private) if name.endswith(".pdf"))
    assert buckets.read(buckets.private, stored) == first.content


def test_held_photos_of_unfinished_flows_are_purged_from_storage(buckets):
    held = pending_photos.hold(b"a held photo")
    buckets.client.put_object(Bucket=buckets.private, Key="listings/ab/abcdef.jpg", Body=b"a listing photo")

    assert pending_photos.purge_older_than(seconds=3600) == 0
    assert pending_photos.purge_older_than(seconds=0) == 1

    assert buckets.names(buckets.private) == {"listings/ab/abcdef.jpg"}
    assert pending_photos.pending_name(held) not in buckets.names(buckets.private)
