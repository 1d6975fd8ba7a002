"""Stores and deposits through the API: a seller's own store and deposit, the public store, and the
stores desk for Reloop's own operations staff."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from providers.models import MemberRole, Provider, ProviderKind, ProviderMember
from tests.factories import UserFactory
from tests.trust.helpers import (
    DETAILS,
    applied_store,
    decided_dispute,
    operations_user,
    require,
    shoes_tree,
    verified_store,
)
from tests.wallet.conftest import fund
from trust.models import DepositDeduction, Store, StoreStatus
from trust.selectors import deposit_held

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_seller_opens_a_store_reads_it_and_a_bad_detail_names_its_field():
    owner = UserFactory()
    client = _client(owner)

    assert client.get("/api/v1/store/").status_code == 404
    bad = client.post("/api/v1/store/", DETAILS | {"registration_number": "x"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "registration_number"
    assert not Store.objects.exists()

    made = client.post("/api/v1/store/", DETAILS, format="json")
    assert made.status_code == 201
    assert made.json()["status"] == "applied"
    assert client.get("/api/v1/store/").json()["legal_name"] == DETAILS["legal_name"]
    assert _client().post("/api/v1/store/", DETAILS, format="json").status_code in (401, 403)


def test_the_owner_pays_into_the_deposit_and_reads_what_each_category_asks():
    shoes, _sneakers = shoes_tree()
    owner = UserFactory()
    fund(owner, "100.00")
    verified_store(owner)
    require(shoes, "80.00")
    client = _client(owner)

    short = client.get("/api/v1/store/deposit/").json()
    assert short["held"] == "0.00"
    assert short["requirements"] == [
        {"category": "shoes", "category_name": "Shoes", "amount": "80.00", "met": False}
    ]
    refused = client.post("/api/v1/store/deposit/", {"amount": "100.01", "request_key": "a"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "insufficient_funds"

    paid = client.post("/api/v1/store/deposit/", {"amount": "80.00", "request_key": "b"}, format="json")
    assert paid.status_code == 200
    assert paid.json()["held"] == "80.00"
    assert paid.json()["requirements"][0]["met"] is True
    again = client.post("/api/v1/store/deposit/", {"amount": "80.00", "request_key": "b"}, format="json")
    assert again.json()["held"] == "80.00"


def test_the_public_store_shows_the_trader_details_and_hides_a_rejected_one():
    store = verified_store()
    body = _client().get(f"/api/v1/stores/{store.slug}/").json()
    assert body["is_verified"] is True
    assert body["registration_number"] == DETAILS["registration_number"]
    assert "deposit_refund_due" not in body

    waiting = applied_store(name="Second Store")
    _client(operations_user()).post(
        f"/api/v1/staff/stores/{waiting.pk}/decide/",
        {"verify": False, "reason": "No register entry."},
        format="json",
    )
    assert _client().get(f"/api/v1/stores/{waiting.slug}/").status_code == 404


def test_operations_list_and_decide_and_a_partners_staff_are_refused(django_assert_num_queries):
    for index in range(4):
        applied_store(name=f"Store {index}")
    staff = operations_user()
    client = _client(staff)

    # the role, the provider scope, then the stores with their owners and levels: as many for 4 as for 1
    with django_assert_num_queries(3):
        listed = client.get("/api/v1/staff/stores/?status=applied")
    assert len(listed.json()) == 4
    assert client.get("/api/v1/staff/stores/?status=nonsense").status_code == 400

    first = Store.objects.order_by("id").first()
    decided = client.post(f"/api/v1/staff/stores/{first.pk}/decide/", {"verify": True}, format="json")
    assert decided.json()["status"] == "verified"
    no_reason = client.post(f"/api/v1/staff/stores/{first.pk + 1}/decide/", {"verify": False}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"

    partner_staff = operations_user()
    partner = Provider.objects.create(code="north", name="North Centre", kind=ProviderKind.INSPECTION_CENTRE)
    ProviderMember.objects.create(provider=partner, user=partner_staff, role=MemberRole.OPERATIONS)
    assert _client(partner_staff).get("/api/v1/staff/stores/").status_code == 403
    assert _client(UserFactory()).get("/api/v1/staff/stores/").status_code == 403
    assert Store.objects.filter(status=StoreStatus.APPLIED).count() == 3


def test_a_deduction_through_the_api_needs_a_decided_case():
    owner = UserFactory()
    fund(owner, "300.00")
    store = verified_store(owner)
    _client(owner).post("/api/v1/store/deposit/", {"amount": "300.00", "request_key": "k"}, format="json")
    client = _client(operations_user())

    refused = client.post(
        f"/api/v1/staff/stores/{store.pk}/deductions/",
        {"dispute": 12345, "amount": "10", "reason": "r"},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "no_decided_case"

    dispute = decided_dispute(seller=owner)
    made = client.post(
        f"/api/v1/staff/stores/{store.pk}/deductions/",
        {"dispute": dispute.pk, "amount": "120.00", "reason": "Worn soles sold as new."},
        format="json",
    )
    assert made.status_code == 201
    assert DepositDeduction.objects.get().amount == Decimal("120.00")
    assert deposit_held(user_id=owner.pk) == Decimal("180.00")


def test_operations_set_requirements_by_slug_and_code():
    shoes, _sneakers = shoes_tree()
    client = _client(operations_user())
    set_ = client.put(
        "/api/v1/staff/deposit-requirements/",
        {"category": "shoes", "level": "trusted", "amount": "150"},
        format="json",
    )
    assert set_.status_code == 200
    assert set_.json() == [{"category": "shoes", "level": "trusted", "amount": "150.00"}]
    bad = client.put(
        "/api/v1/staff/deposit-requirements/",
        {"category": "shoes", "level": "trusted", "amount": "-1"},
        format="json",
    )
    assert bad.status_code == 400
    assert client.get("/api/v1/staff/deposit-requirements/").json()[0]["amount"] == "150.00"
    assert shoes.slug == "shoes"
