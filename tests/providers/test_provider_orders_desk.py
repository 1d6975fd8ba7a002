"""A partner's staff work the orders desk for the items their centre holds: they list, ship and
receive only those, see no person-to-person sale, no dispute (a provider decides none about its own
reports) and no payment under review; Reloop's own staff see every order."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from listings.models import ListingSource
from orders.errors import NotAllowed
from orders.models import DisputeOutcome, OrderStatus
from orders.services.returns import dispute_resolve
from providers.models import MemberRole, ProviderKind
from providers.scope import platform_provider
from providers.services.providers import member_add, provider_create
from tests.factories import ListingFactory
from tests.orders.helpers import paid_order
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A partner centre with a member of operations staff, and a paid order of stock held by the
    partner, one held by Reloop's centre, and a person-to-person sale."""
    partner = provider_create(code="hangzhou", name="Hangzhou", kind=ProviderKind.INSPECTION_CENTRE)
    staff = operations_user()
    member_add(provider=partner, user=staff, role=MemberRole.OPERATIONS)
    orders = {
        "partner": paid_order(
            listing=ListingFactory(source=ListingSource.PLATFORM, provider=partner, title="Leica Q2")
        ),
        "reloop": paid_order(
            listing=ListingFactory(
                source=ListingSource.PLATFORM, provider=platform_provider(), title="Nikon Zf"
            )
        ),
        "person": paid_order(listing=ListingFactory(title="Fuji X100V")),
    }
    return staff, orders


def test_a_partners_desk_lists_and_ships_only_the_items_its_centre_holds(client, desk):
    staff, orders = desk
    client.force_login(staff)

    page = client.get(reverse("orders_staff:queue")).content.decode()
    assert orders["partner"].number in page
    assert orders["reloop"].number not in page and orders["person"].number not in page

    ship = {"carrier": "sf", "tracking_number": "SF1234567890"}
    theirs = client.post(reverse("orders_staff:ship", args=[orders["reloop"].number]), ship)
    assert theirs.status_code == 404
    ours = client.post(reverse("orders_staff:ship", args=[orders["partner"].number]), ship)
    assert ours.status_code == 302
    for name, status in (("partner", OrderStatus.SHIPPED), ("reloop", OrderStatus.PAID)):
        orders[name].refresh_from_db()
        assert orders[name].status == status


def test_a_partners_staff_decide_no_dispute_and_the_api_lists_only_their_orders(client, desk):
    staff, orders = desk
    client.force_login(staff)
    assert client.get(reverse("orders_staff:dispute", args=[orders["partner"].number])).status_code == 403
    with pytest.raises(NotAllowed):
        dispute_resolve(
            order_id=orders["partner"].pk,
            by=staff,
            outcome=DisputeOutcome.FULL_REFUND,
            refund_amount=None,
            note="x",
        )

    api = APIClient()
    api.force_authenticate(staff)
    listed = api.get("/api/v1/staff/orders/to-ship/").json()
    assert [row["number"] for row in listed["results"]] == [orders["partner"].number]
    assert api.get("/api/v1/staff/disputes/").json()["results"] == []


def test_reloops_own_staff_see_every_order_on_the_desk(client, desk):
    _staff, orders = desk
    client.force_login(operations_user())
    page = client.get(reverse("orders_staff:queue")).content.decode()
    assert orders["partner"].number in page and orders["reloop"].number in page
