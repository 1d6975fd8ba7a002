"""Who may read and change what: another seller's objects are a 404 (as if they did not exist), staff
pages are a 403 for anyone outside their group, and nothing changes on the way."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts import roles
from listings.models import Listing, ListingPhoto, ListingStatus
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus
from shipping.models import Shipment
from tests.factories import ListingFactory
from tests.inspection.desk_fixtures import queued_inspection
from tests.listings import images
from tests.recycling.shipping_fixtures import booked_shipment, estimated_submission, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned():
    """A seller's listing with a photo, an estimated submission with a photo, and a booked parcel."""
    listing = ListingFactory()
    photo = ListingPhoto.objects.create(listing=listing, key="a" * 24, position=0, width=10, height=10)
    submission = estimated_submission(seller=listing.seller)
    submission_photo = SubmissionPhoto.objects.create(
        submission=submission, view="front", key="b" * 24, width=10, height=10
    )
    shipment = booked_shipment(seller=listing.seller)
    return {
        "listing": listing.pk,
        "photo": photo.pk,
        "submission": submission.pk,
        "submission_photo": submission_photo.pk,
        "shipped": shipment.submission.pk,
    }


SELLER_PAGES = [
    ("get", "/sell/listings/{listing}/edit/"),
    ("post", "/sell/listings/{listing}/edit/"),
    ("post", "/sell/listings/{listing}/photos/"),
    ("get", "/sell/listings/{listing}/withdraw/"),
    ("post", "/sell/listings/{listing}/withdraw/"),
    ("post", "/sell/photos/{photo}/remove/"),
    ("get", "/sell-with-us/{submission}/"),
    ("get", "/sell-with-us/{submission}/live/"),
    ("post", "/sell-with-us/{submission}/cancel/"),
    ("post", "/sell-with-us/{submission}/new-estimate/"),
    ("get", "/sell-with-us/{submission}/photos/front/replace/"),
    ("post", "/sell-with-us/{submission}/photos/front/replace/"),
    ("get", "/sell-with-us/photos/{submission_photo}/"),
    ("get", "/sell-with-us/shipping/{submission}/"),
    ("post", "/sell-with-us/shipping/{submission}/"),
    ("get", "/sell-with-us/shipping/{shipped}/label.pdf"),
]

SELLER_API = [
    ("get", "/api/v1/my/listings/{listing}/"),
    ("patch", "/api/v1/my/listings/{listing}/"),
    ("post", "/api/v1/my/listings/{listing}/withdraw/"),
    ("post", "/api/v1/my/listings/{listing}/photos/"),
    ("delete", "/api/v1/my/listings/{listing}/photos/{photo}/"),
    ("get", "/api/v1/submissions/{submission}/"),
    ("post", "/api/v1/submissions/{submission}/shipping/"),
    ("post", "/api/v1/submissions/{submission}/cancel/"),
]


def assert_unchanged(owned):
    assert Listing.objects.get(pk=owned["listing"]).status == ListingStatus.ACTIVE
    assert list(ListingPhoto.objects.filter(listing_id=owned["listing"]).values_list("pk", flat=True)) == [
        owned["photo"]
    ]
    assert Submission.objects.get(pk=owned["submission"]).status == SubmissionStatus.ESTIMATED
    assert Shipment.objects.filter(reference=Submission.objects.get(pk=owned["submission"]).code).count() == 0


@pytest.mark.parametrize(("method", "path"), SELLER_PAGES)
def test_another_sellers_objects_are_not_found_on_pages(owned, method, path):
    client = Client()
    client.force_login(staff_user(None))
    response = getattr(client, method)(path.format(**owned), {"method": "drop_off", "title": "Mine now"})
    assert response.status_code == 404
    assert_unchanged(owned)


@pytest.mark.parametrize(("method", "path"), SELLER_API)
def test_another_sellers_objects_are_not_found_in_the_api(owned, method, path):
    client = APIClient()
    client.force_authenticate(staff_user(None))
    if path.endswith("/photos/"):  # a good photo, so that only the owner check can refuse it
        data, kind = {"image": images.upload(images.jpeg_bytes())}, "multipart"
    else:
        data, kind = {"method": "drop_off"}, "json"
    response = getattr(client, method)(path.format(**owned), data, format=kind)
    assert response.status_code == 404
    assert_unchanged(owned)


@pytest.mark.parametrize(("method", "path"), SELLER_PAGES + SELLER_API)
def test_visitors_must_sign_in(owned, method, path):
    response = getattr(APIClient(), method)(path.format(**owned))
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/accounts/login/")
    assert_unchanged(owned)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/sell-with-us/{submission}/", roles.OPERATIONS),
        ("/sell-with-us/shipping/{shipped}/label.pdf", roles.OPERATIONS),
        ("/api/v1/submissions/{submission}/", roles.INSPECTORS),
    ],
)
def test_staff_may_read_a_submission_and_its_label(owned, path, role):
    client = Client()
    client.force_login(staff_user(role))
    assert client.get(path.format(**owned)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("get", "/staff/receiving/", roles.OPERATIONS),
        ("post", "/staff/receiving/", roles.OPERATIONS),
        ("get", "/staff/inspection/", roles.INSPECTORS),
        ("post", "/staff/inspection/take-next/", roles.INSPECTORS),
        ("post", "/staff/inspection/{inspection}/take/", roles.INSPECTORS),
        ("get", "/staff/inspection/{inspection}/", roles.INSPECTORS),
        ("post", "/staff/inspection/{inspection}/complete/", roles.INSPECTORS),
        ("post", "/staff/inspection/{inspection}/release/", roles.INSPECTORS),
        ("get", "/staff/inspection/authentication/", roles.AUTHENTICATORS),
        ("post", "/staff/inspection/authentication/{inspection}/verdict/", roles.AUTHENTICATORS),
        ("get", "/staff/inspection/escalations/", roles.AUTHENTICATORS),
        ("post", "/staff/inspection/escalations/{inspection}/resolve/", roles.AUTHENTICATORS),
        ("get", "/api/v1/inspections/queue/", roles.INSPECTORS),
        ("post", "/api/v1/inspections/claim/", roles.INSPECTORS),
        ("post", "/api/v1/inspections/{inspection}/claim/", roles.INSPECTORS),
        ("post", "/api/v1/inspections/{inspection}/checks/", roles.INSPECTORS),
        ("post", "/api/v1/inspections/{inspection}/complete/", roles.INSPECTORS),
        ("post", "/api/v1/inspections/{inspection}/verdicts/", roles.AUTHENTICATORS),
    ],
)
def test_staff_pages_are_forbidden_outside_their_group(method, path, role):
    inspection = queued_inspection(luxury=True)
    client = APIClient()
    for other in {roles.OPERATIONS, roles.INSPECTORS, roles.AUTHENTICATORS, None} - {role}:
        client.force_login(staff_user(other))
        response = getattr(client, method)(path.format(inspection=inspection.pk))
        assert response.status_code == 403, other
    inspection.refresh_from_db()
    assert inspection.inspector_id is None


# --- Orders and wallets ----------------------------------------------------------------------------


@pytest.fixture
def someones_order():
    """A delivered order between two other people, with a withdrawal of its seller in the approval queue."""
    from decimal import Decimal

    from tests.orders.helpers import delivered_order
    from wallet.models import Withdrawal

    order = delivered_order()
    withdrawal = Withdrawal.objects.create(
        user=order.seller, amount=Decimal("10.00"), destination="62220202001122", request_key="k"
    )
    return {"number": order.number, "withdrawal": withdrawal.pk, "order": order}


ORDER_PAGES = [
    ("get", "/orders/{number}/"),
    ("get", "/orders/{number}/pay/"),
    ("post", "/orders/{number}/pay/"),
    ("post", "/orders/{number}/cancel/"),
    ("get", "/orders/{number}/payment-status/"),
    ("post", "/orders/{number}/confirm-receipt/"),
    ("post", "/orders/{number}/return/"),
    ("post", "/orders/{number}/return/tracking/"),
    ("post", "/orders/{number}/return/withdraw/"),
    ("post", "/orders/{number}/return/received/"),
    ("get", "/orders/{number}/return-label.pdf"),
    ("post", "/orders/{number}/dispute/"),
    ("post", "/orders/{number}/rate/"),
    ("post", "/orders/{number}/ship/"),
]

ORDER_API = [
    ("get", "/api/v1/orders/{number}/"),
    ("post", "/api/v1/orders/{number}/address/"),
    ("post", "/api/v1/orders/{number}/pay/"),
    ("post", "/api/v1/orders/{number}/cancel/"),
    ("post", "/api/v1/orders/{number}/ship/"),
    ("post", "/api/v1/orders/{number}/confirm/"),
    ("post", "/api/v1/orders/{number}/return/"),
    ("post", "/api/v1/orders/{number}/return/tracking/"),
    ("post", "/api/v1/orders/{number}/return/withdraw/"),
    ("post", "/api/v1/orders/{number}/return/received/"),
    ("post", "/api/v1/orders/{number}/dispute/"),
    ("post", "/api/v1/orders/{number}/rating/"),
    ("get", "/api/v1/wallet/withdrawals/{withdrawal}/"),
]

ORDER_FORM = {
    "reason": "It does not work at all, nothing happens when it is switched on.",
    "carrier": "sf",
    "tracking_number": "SF1234567890",
    "accuracy": 5,
    "service": 5,
    "shipping": 5,
}


def assert_order_unchanged(someones_order):
    from orders.models import Order, OrderStatus
    from wallet.models import Transaction

    order = Order.objects.get(number=someones_order["number"])
    assert order.status == OrderStatus.DELIVERED
    assert Transaction.objects.count() == 1  # the buyer's payment into escrow, nothing since


@pytest.mark.parametrize(("method", "path"), ORDER_PAGES + ORDER_API)
def test_another_persons_order_or_withdrawal_is_not_found(someones_order, method, path):
    client = APIClient()
    client.force_login(staff_user(None))
    response = getattr(client, method)(path.format(**someones_order), ORDER_FORM, format="json")
    assert response.status_code == 404
    assert_order_unchanged(someones_order)


@pytest.mark.parametrize(("method", "path"), ORDER_PAGES + ORDER_API)
def test_visitors_must_sign_in_for_orders(someones_order, method, path):
    response = getattr(APIClient(), method)(path.format(**someones_order))
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/accounts/login/")
    assert_order_unchanged(someones_order)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/staff/orders/"),
        ("post", "/staff/orders/{number}/ship/"),
        ("post", "/staff/orders/{number}/deliver/"),
        ("post", "/staff/orders/{number}/return-received/"),
        ("get", "/staff/orders/{number}/dispute/"),
        ("post", "/staff/orders/{number}/dispute/"),
        ("get", "/staff/payouts/"),
        ("post", "/staff/payouts/{withdrawal}/approve/"),
        ("post", "/staff/payouts/{withdrawal}/reject/"),
        ("get", "/api/v1/staff/disputes/"),
        ("post", "/api/v1/staff/disputes/{number}/resolve/"),
        ("get", "/api/v1/staff/orders/to-ship/"),
        ("get", "/api/v1/staff/orders/returns/"),
        ("post", "/api/v1/orders/{number}/delivered/"),
        ("get", "/api/v1/staff/withdrawals/"),
        ("post", "/api/v1/staff/withdrawals/{withdrawal}/approve/"),
        ("post", "/api/v1/staff/withdrawals/{withdrawal}/reject/"),
    ],
)
def test_order_and_payout_staff_actions_are_forbidden_outside_operations(someones_order, method, path):
    from wallet.models import Withdrawal, WithdrawalStatus

    client = APIClient()
    for other in (roles.INSPECTORS, roles.AUTHENTICATORS, None):
        client.force_login(staff_user(other))
        response = getattr(client, method)(
            path.format(**someones_order),
            {**ORDER_FORM, "outcome": "full_refund", "note": "x" * 20},
            format="json",
        )
        assert response.status_code in (403, 404), (other, response.status_code)
    assert_order_unchanged(someones_order)
    assert Withdrawal.objects.get(pk=someones_order["withdrawal"]).status == WithdrawalStatus.REQUESTED
