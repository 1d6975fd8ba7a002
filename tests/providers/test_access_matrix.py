"""The cross-provider access matrix: every staff page and staff API route, asked by a partner's staff
member (in every staff group) for what belongs to another partner or to the whole marketplace.

Each route says what a partner's staff must meet there:
- LIST: the page or answer lists their own provider's work only: none of the other partner's parcel,
  item codes or order numbers appear in it;
- OTHERS: an object of the other partner's is not found (404, or 403); a form post may instead come
  back to its desk with a message (302 or 400), as long as nothing of the other partner's changed;
- PLATFORM: Reloop's own staff alone: 403 whatever is asked.

`test_every_staff_route_is_in_the_matrix` fails for a staff route missing here, so a new desk joins
the matrix the day it is written. The matrix then counts the leaks; there must be none.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts import roles
from inspection.models import InspectionStatus
from listings.models import ListingSource
from orders.models import OrderStatus
from providers.models import MemberRole, ProviderKind
from providers.services.providers import member_add, provider_create
from tests.factories import ListingFactory, UserFactory
from tests.inspection.desk_fixtures import queued_inspection
from tests.orders.helpers import paid_order
from tests.recycling.shipping_fixtures import booked_shipment

pytestmark = pytest.mark.django_db

LIST, OTHERS, PLATFORM = "list", "others", "platform"


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    expect: str  # LIST, OTHERS or PLATFORM
    method: str = "get"
    args: Callable[[dict], list] = lambda world: []
    api: bool = False


def _their(key: str) -> Callable[[dict], list]:
    return lambda world: [world[key]]


MATRIX = [
    # pages
    Route("dashboard:home", PLATFORM),
    Route("desk:index", LIST),
    Route("recycling:detail", OTHERS, args=_their("submission")),  # the seller's page, which staff open too
    Route("inspection:queue", LIST),
    Route("inspection:claim_next", LIST, method="post"),
    Route("inspection:claim", OTHERS, method="post", args=_their("inspection")),
    Route("inspection:inspect", OTHERS, args=_their("inspection")),
    Route("inspection:group_save", OTHERS, method="post", args=lambda world: [world["inspection"], "screen"]),
    Route("inspection:complete", OTHERS, method="post", args=_their("inspection")),
    Route("inspection:release", OTHERS, method="post", args=_their("inspection")),
    Route("inspection:authentication", LIST),
    Route("inspection:verdict", OTHERS, method="post", args=_their("bag")),
    Route("inspection:escalations", LIST),
    Route("inspection:resolve", OTHERS, method="post", args=_their("bag")),
    Route("orders_staff:queue", LIST),
    Route("orders_staff:ship", OTHERS, method="post", args=_their("order")),
    Route("orders_staff:deliver", OTHERS, method="post", args=_their("order")),
    Route("orders_staff:return_received", OTHERS, method="post", args=_their("order")),
    Route("orders_staff:dispute", PLATFORM, args=_their("order")),
    Route("messaging_staff:list", PLATFORM),
    Route("messaging_staff:conversation", PLATFORM, args=lambda world: [1]),
    Route("wallet_staff:queue", PLATFORM),
    Route("wallet_staff:approve", PLATFORM, method="post", args=lambda world: [1]),
    Route("wallet_staff:reject", PLATFORM, method="post", args=lambda world: [1]),
    Route("feed:creator_staff", PLATFORM),
    Route("feed:creator_decide", PLATFORM, method="post", args=lambda world: [1]),
    Route("feed:creator_rate", PLATFORM, method="post", args=lambda world: [1]),
    Route("trust:staff", PLATFORM),
    Route("trust:staff_store", PLATFORM, args=lambda world: [1]),
    Route("trust:staff_decide", PLATFORM, method="post", args=lambda world: [1]),
    Route("trust:staff_requirement", PLATFORM, method="post"),
    Route("trust:violations", PLATFORM),
    Route("trust:appeal_decide", PLATFORM, method="post", args=lambda world: [1]),
    Route("trust:threshold", PLATFORM, method="post"),
    # the API
    Route("recycling_api:staff-routing-rules", PLATFORM, api=True),
    Route("inspection_api:queue", LIST, api=True),
    Route("inspection_api:claim-next", LIST, method="post", api=True),
    Route("inspection_api:inspection", OTHERS, args=_their("inspection"), api=True),
    Route("inspection_api:claim", OTHERS, method="post", args=_their("inspection"), api=True),
    Route("inspection_api:checks", OTHERS, method="post", args=_their("inspection"), api=True),
    Route("inspection_api:complete", OTHERS, method="post", args=_their("inspection"), api=True),
    Route("inspection_api:verdicts", OTHERS, method="post", args=_their("bag"), api=True),
    Route("wallet_api:staff-withdrawals", PLATFORM, api=True),
    Route("wallet_api:staff-withdrawal-approve", PLATFORM, method="post", args=lambda world: [1], api=True),
    Route("wallet_api:staff-withdrawal-reject", PLATFORM, method="post", args=lambda world: [1], api=True),
    Route("orders_api:staff-disputes", LIST, api=True),
    Route("orders_api:staff-dispute-resolve", PLATFORM, method="post", args=_their("order"), api=True),
    Route("orders_api:staff-to-ship", LIST, api=True),
    Route("orders_api:staff-returns", LIST, api=True),
    Route("trust_api:staff-stores", PLATFORM, api=True),
    Route("trust_api:staff-stores-decide", PLATFORM, method="post", args=lambda world: [1], api=True),
    Route("trust_api:staff-stores-deduct", PLATFORM, method="post", args=lambda world: [1], api=True),
    Route("trust_api:staff-deposit-requirements", PLATFORM, api=True),
    Route("trust_api:staff-violations", PLATFORM, api=True),
    Route("trust_api:staff-appeals-decide", PLATFORM, method="post", args=lambda world: [1], api=True),
    Route("trust_api:staff-thresholds", PLATFORM, api=True),
    Route("operations_api:staff-providers", PLATFORM, api=True),
]
# Staff-only routes that are not a provider's queue, and why.
NOT_QUEUES = {
    "live:console": "a live show's console: its host's and staff's, whoever runs the show",
    "live:console_act": "the console's form post",
    "live:hosting": "the shows a host runs",
}


def _staff_routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _staff_routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            path = prefix + str(pattern.pattern)
            if "staff/" in path or path.startswith(("api/v1/inspections/", "staff")):
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_staff_route_is_in_the_matrix():
    routes = _staff_routes(get_resolver()) | {"recycling:detail"}
    listed = {route.name for route in MATRIX}
    assert not routes - listed - set(NOT_QUEUES), f"add these staff routes to the matrix: {routes - listed}"
    assert not listed - routes, "the matrix names routes that no longer exist"


@pytest.fixture
def world() -> dict:
    """Two partner centres; a member of the first in every staff group; the second's parcel, item on
    the bench, bag waiting for a second opinion and paid order."""
    ours = provider_create(code="hangzhou", name="Hangzhou", kind=ProviderKind.INSPECTION_CENTRE)
    theirs = provider_create(code="chengdu", name="Chengdu", kind=ProviderKind.INSPECTION_CENTRE)
    staff = UserFactory()
    for group in roles.STAFF_GROUPS:
        staff.groups.add(Group.objects.get_or_create(name=group)[0])
    member_add(provider=ours, user=staff, role=MemberRole.OPERATIONS)
    shipment = booked_shipment(provider=theirs)
    inspection = queued_inspection(provider=theirs)
    bag = queued_inspection(provider=theirs, luxury=True, status=InspectionStatus.AWAITING_SECOND_OPINION)
    order = paid_order(listing=ListingFactory(source=ListingSource.PLATFORM, provider=theirs))
    return {
        "staff": staff,
        "submission": shipment.submission.pk,
        "inspection": inspection.pk,
        "bag": bag.pk,
        "order": order.number,
        "markers": [
            shipment.submission.code,
            shipment.tracking_number,
            inspection.subject_code,
            bag.subject_code,
            order.number,
        ],
        "states": lambda: (
            type(inspection).objects.get(pk=inspection.pk).status,
            bag.verdicts.count(),
            type(order).objects.get(pk=order.pk).status,
        ),
        "before": (InspectionStatus.QUEUED, 0, OrderStatus.PAID),
    }


def test_a_partners_staff_reach_nothing_of_another_partner_nor_the_marketplaces(client, world):
    client.force_login(world["staff"])
    api = APIClient()
    api.force_authenticate(world["staff"])
    leaks = []
    for route in MATRIX:
        url = reverse(route.name, args=route.args(world))
        caller = api if route.api else client
        response = (
            getattr(caller, route.method)(url, {}, format="json")
            if route.api
            else getattr(caller, route.method)(url)
        )
        body = response.content.decode(errors="replace")
        if route.expect == PLATFORM and response.status_code != 403:
            leaks.append(f"{route.name}: {response.status_code}, not 403")
        elif route.expect == OTHERS and response.status_code not in (
            (403, 404) if route.method == "get" else (302, 400, 403, 404)
        ):
            leaks.append(f"{route.name}: {response.status_code} for the other partner's")
        elif route.expect == LIST:
            shown = [marker for marker in world["markers"] if marker in body]
            if response.status_code >= 500 or shown:
                leaks.append(f"{route.name}: {response.status_code}, shows {shown}")
    assert world["states"]() == world["before"], "an action changed the other partner's work"
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks)
