"""The receiving desk at /staff/receiving/: who may use it, receiving by code and by tracking number,
and a query count that does not grow with the number of parcels."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from recycling.models import Submission, SubmissionEvent, SubmissionStatus
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus, ShippingMethod
from tests.factories import CategoryFactory, UserFactory
from tests.recycling.shipping_fixtures import booked_shipment, operations_user, staff_user
from tests.shipping.helpers import record_event

pytestmark = pytest.mark.django_db

URL = "/staff/receiving/"


def test_the_desk_lives_at_staff_receiving():
    assert reverse("desk:index") == URL


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("shopper", 403),
        ("seller", 403),
        (roles.INSPECTORS, 403),
        (roles.AUTHENTICATORS, 403),
        (roles.OPERATIONS, 200),
        ("superuser", 200),
    ],
)
def test_only_operations_staff_may_use_the_desk(client, who, status):
    shipment = booked_shipment()
    if who == "shopper":
        user = UserFactory()
    elif who == "seller":
        user = shipment.submission.seller
    elif who == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = staff_user(who)
    client.force_login(user)
    assert client.get(URL).status_code == status
    response = client.post(URL, {"reference": shipment.tracking_number})
    assert response.status_code == (302 if status == 200 else 403)
    shipment.submission.refresh_from_db()
    expected = SubmissionStatus.RECEIVED if status == 200 else SubmissionStatus.SHIPPING
    assert shipment.submission.status == expected


def test_anonymous_visitors_are_sent_to_sign_in(client):
    shipment = booked_shipment()
    for response in (client.get(URL), client.post(URL, {"reference": shipment.tracking_number})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    shipment.submission.refresh_from_db()
    assert shipment.submission.status == SubmissionStatus.SHIPPING


def test_the_scan_field_has_the_focus_and_submits_on_enter(client):
    client.force_login(operations_user())
    html = client.get(URL).content.decode()
    field = html[html.index('name="reference"') - 200 : html.index('name="reference"') + 300]
    assert "autofocus" in field
    assert '<form method="post" action="/staff/receiving/"' in html


def test_receiving_by_code_shows_what_arrived_and_what_happens_next(client):
    shipment = booked_shipment(title="iPhone 13 Pro 256GB", seller=UserFactory(display_name="Wang Fang"))
    client.force_login(operations_user())
    code = shipment.submission.code
    response = client.post(URL, {"reference": f"{code[:5].lower()} {code[5:]}"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert f"Received {code} “iPhone 13 Pro 256GB” from Wang Fang." in html
    assert "waits in the inspection queue" in html
    received_list = html[html.index('id="received"') :]
    assert code in received_list
    assert Submission.objects.get(pk=shipment.submission.pk).status == SubmissionStatus.RECEIVED


def test_receiving_by_tracking_number_before_the_carrier_said_delivered(client):
    shipment = booked_shipment()
    record_event(
        event_id="e1",
        tracking_number=shipment.tracking_number,
        kind="in_transit",
        occurred_at=timezone.now(),
        payload={},
    )
    client.force_login(operations_user())
    before = client.get(URL).content.decode()
    assert shipment.tracking_number in before[before.index('id="in-transit"') :]
    client.post(URL, {"reference": shipment.tracking_number})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert Submission.objects.get(pk=shipment.submission.pk).status == SubmissionStatus.RECEIVED
    after = client.get(URL).content.decode()
    assert 'id="in-transit"' not in after


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "Scan or type a tracking number or submission code."),
        ("RLNOTHERE2", "Nothing matches “RLNOTHERE2”."),
        ("SBX000000000000", "Nothing matches"),
        ("x" * 61, "Ensure this value has at most 60 characters"),
        ("\x00", "Null characters are not allowed."),
    ],
)
def test_bad_scans_are_explained_and_the_field_is_empty_for_the_next_one(client, reference, message):
    client.force_login(operations_user())
    response = client.post(URL, {"reference": reference})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'name="reference" value=' not in html


def test_a_second_scan_of_the_same_parcel_says_it_was_received(client):
    shipment = booked_shipment()
    client.force_login(operations_user())
    client.post(URL, {"reference": shipment.tracking_number})
    response = client.post(URL, {"reference": shipment.tracking_number})
    assert response.status_code == 400
    assert f"{shipment.submission.code} was already received" in response.content.decode()


def _fill(count: int) -> None:
    """`count` submissions, half on the way (scanned by the carrier), half received."""
    seller = UserFactory()
    category = CategoryFactory()
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        Submission(
            seller=seller,
            category=category,
            title=f"Item {number}",
            declared_grade="B",
            status=SubmissionStatus.SHIPPING if number % 2 else SubmissionStatus.RECEIVED,
        )
        for number in range(count)
    )
    Shipment.objects.bulk_create(
        Shipment(
            purpose=ShipmentPurpose.INBOUND,
            reference=submission.code,
            booked=True,
            carrier="sandbox",
            method=ShippingMethod.DROP_OFF,
            tracking_number=f"SBX{submission.pk:012d}",
            status=ShipmentStatus.IN_TRANSIT
            if submission.status == SubmissionStatus.SHIPPING
            else ShipmentStatus.DELIVERED,
        )
        for submission in submissions
    )
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=submission, old="shipping", new="received", at=now)
        for submission in submissions
        if submission.status == SubmissionStatus.RECEIVED
    )


@pytest.mark.parametrize("count", [5, 500])
def test_the_desk_page_runs_the_same_queries_for_5_or_500_submissions(
    client, django_assert_num_queries, count
):
    _fill(count)
    clerk = operations_user()
    client.force_login(clerk)
    # 1 the user (sessions live in the cache), 2 is the user in operations, 3 whose parcels they
    # work (providers.scope), 4 parcels on the way (submission, seller and category joined, the
    # current estimate's photo flags as a subquery), 5 their count, 6 received submissions (the
    # same joins and flags, the time received as a subquery), 7 their count. Each list stops at 50,
    # so 500 costs what 5 does.
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="code"') == min(count // 2, 50) + min(count - count // 2, 50)


def test_the_desk_and_the_booking_page_render_in_chinese(client):
    shipment = booked_shipment()
    client.force_login(operations_user())
    assert client.get("/zh-hans/staff/receiving/").status_code == 200
    client.force_login(shipment.submission.seller)
    response = client.get(f"/zh-hans/sell-with-us/shipping/{shipment.submission.pk}/")
    assert response.status_code == 200
    assert shipment.tracking_number in response.content.decode()
