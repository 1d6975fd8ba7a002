"""Violation points through the API: account health, appeals, and the violations desk."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.trust.helpers import operations_user
from trust.models import AppealStatus, Threshold
from trust.services.violations import points_of

pytestmark = pytest.mark.django_db

EVIDENCE = "Offered a discount for payment by bank transfer outside Reloop."


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_decide_the_seller_reads_the_reasons_appeals_and_someone_else_decides(
    django_assert_num_queries,
):
    seller = UserFactory(username="lin")
    first, second = operations_user(), operations_user()

    made = _client(first).post(
        "/api/v1/staff/violations/",
        {"seller": "lin", "rule": "off_platform_payment", "evidence": EVIDENCE},
        format="json",
    )
    assert made.status_code == 201 and made.json()["points"] == 8
    unknown = _client(first).post(
        "/api/v1/staff/violations/",
        {"seller": "nobody", "rule": "late_shipment", "evidence": EVIDENCE},
        format="json",
    )
    assert unknown.status_code == 400 and "seller" in unknown.json()

    # the violations with their rules and appeals, the holds, the thresholds, the store (the client
    # is signed in without a query)
    with django_assert_num_queries(4):
        health = _client(seller).get("/api/v1/account-health/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert health["points"] == 8
    (line,) = health["violations"]
    assert line["rule"]["title"] == "引导站外交易"
    assert (line["evidence"], line["may_appeal"], line["appeal"]) == (EVIDENCE, True, None)
    assert [threshold["points"] for threshold in health["thresholds"]] == [12, 24, 48]

    appealed = _client(seller).post(
        f"/api/v1/violations/{line['id']}/appeal/",
        {"statement": "I only shared photos there."},
        format="json",
    )
    assert appealed.status_code == 201
    assert (
        _client(UserFactory())
        .post(f"/api/v1/violations/{line['id']}/appeal/", {"statement": "Not mine to appeal."}, format="json")
        .status_code
        == 404
    )

    appeal_id = appealed.json()["id"]
    same = _client(first).post(
        f"/api/v1/staff/appeals/{appeal_id}/decide/", {"overturn": True, "reason": "ok"}, format="json"
    )
    assert same.status_code == 400 and same.json()["code"] == "same_decider"
    decided = _client(second).post(
        f"/api/v1/staff/appeals/{appeal_id}/decide/",
        {"overturn": True, "reason": "The chat shows photos only."},
        format="json",
    )
    assert decided.json()["status"] == AppealStatus.OVERTURNED
    assert points_of(seller_id=seller.pk) == 0
    assert _client(seller).post("/api/v1/staff/violations/", {}, format="json").status_code == 403


def test_thresholds_through_the_api_keep_their_order():
    client = _client(operations_user())
    refused = client.put("/api/v1/staff/thresholds/", {"kind": "suspension", "points": "20"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "thresholds_out_of_order"
    assert Threshold.objects.get(kind="suspension").points == 48
    saved = client.put("/api/v1/staff/thresholds/", {"kind": "suspension", "points": "60"}, format="json")
    assert saved.status_code == 200
    assert [row["points"] for row in saved.json()] == [12, 24, 60]
