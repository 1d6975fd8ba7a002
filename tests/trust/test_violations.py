"""Violation points: decisions with their statement of reasons, the restrictions past each threshold,
their expiry after 90 days, appeals decided by someone else, and the thresholds' order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from listings.errors import ListingError
from listings.models import Listing, ListingStatus, SellingHold
from listings.services import listing_create
from live.errors import LiveError
from live.services.flash import flash_sale_start
from live.services.room import show_pin
from notifications.models import Notification
from providers.models import MemberRole, Provider, ProviderKind, ProviderMember
from tests.factories import CategoryFactory, UserFactory
from tests.live.helpers import a_show
from tests.trust.helpers import operations_user
from trust.errors import ViolationError
from trust.models import AppealStatus, Threshold
from trust.services.violations import (
    appeal_decide,
    appeal_open,
    months_later,
    points_expire,
    points_of,
    threshold_set,
    violation_decide,
)

pytestmark = pytest.mark.django_db

EVIDENCE = "Listed as unworn; the buyer's photos show creased toes and worn soles."


def _decide(seller, rule="not_as_described", by=None):
    return violation_decide(
        seller_id=seller.pk, rule_code=rule, evidence=EVIDENCE, by=by or operations_user()
    )


def _list(seller, category):
    return listing_create(
        seller=seller,
        title="Nike Dunk Low",
        description="",
        category=category,
        price=Decimal("300.00"),
        grade="A",
    )


def test_a_decision_carries_its_points_for_90_days_and_its_statement_of_reasons(
    client, django_capture_on_commit_callbacks
):
    seller = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        violation = _decide(seller)

    assert (violation.points, violation.rule.code) == (4, "not_as_described")
    assert violation.expires_at - violation.decided_at == timedelta(days=90)
    assert violation.appeal_until == months_later(violation.decided_at, 6)
    assert points_of(seller_id=seller.pk) == 4
    told = Notification.objects.get(recipient=seller, kind="violation.decided")
    assert told.title == "4 violation points: Item not as described"
    assert "You may appeal until" in told.body

    # the statement of reasons on the account health page: the rule, the evidence, the dates, how to appeal
    client.force_login(seller)
    page = client.get(reverse("trust:health")).content.decode()
    for words in (
        "Item not as described",
        "condition, parts or defects",
        EVIDENCE[:20],
        "You may appeal until",
    ):
        assert words in page
    chinese = client.get("/zh-hans" + reverse("trust:health")).content.decode()
    assert "商品与描述不符" in chinese


def test_points_expire_after_90_days_and_lift_what_they_brought():
    seller = UserFactory()
    CategoryFactory(slug="sneakers")
    for _index in range(3):
        _decide(seller, rule="counterfeit")  # 36 points: no flash sales and a listing cap
    assert set(SellingHold.objects.filter(seller=seller).values_list("reason", flat=True)) == {
        "points_no_flash_sales",
        "points_listing_cap",
    }

    # a day before they expire nothing changes; once expired, the daily job lifts the holds
    later = timezone.now() + timedelta(days=89)
    assert points_of(seller_id=seller.pk, at=later) == 36
    assert points_expire(now=timezone.now() + timedelta(days=91)) == 1
    assert points_of(seller_id=seller.pk, at=timezone.now() + timedelta(days=91)) == 0
    assert not SellingHold.objects.filter(seller=seller).exists()


def test_thresholds_bring_no_flash_sales_then_a_listing_cap_then_suspension_at_48():
    seller = UserFactory()
    category = CategoryFactory(slug="sneakers")
    Threshold.objects.filter(kind="listing_cap").update(cap=2)

    _decide(seller, rule="counterfeit")  # 12: no flash sales
    assert _list(seller, category).status == ListingStatus.ACTIVE
    _decide(seller, rule="prohibited_item")  # 24: at most 2 on sale
    _list(seller, category)
    with pytest.raises(ListingError) as capped:
        _list(seller, category)
    assert "at most 2 items on sale" in capped.value.message
    _decide(seller, rule="counterfeit")
    _decide(seller, rule="prohibited_item")  # 48: suspended
    Listing.objects.filter(seller=seller).update(status=ListingStatus.WITHDRAWN)
    with pytest.raises(ListingError) as suspended:
        _list(seller, category)
    assert "suspended from selling" in suspended.value.message


def test_the_items_of_a_seller_without_flash_sales_cannot_be_flash_sold():
    show, host, listings = a_show()
    show_pin(show_id=show.pk, by=host, listing_id=listings[0].pk)
    _decide(host, rule="counterfeit")  # 12 points: no flash sales

    with pytest.raises(LiveError) as refused:
        flash_sale_start(show_id=show.pk, by=host, seconds=30, price="900.00")

    assert refused.value.code == "seller_restricted"
    assert "cannot be sold in flash sales" in refused.value.message


def test_an_appeal_is_decided_by_someone_else_and_overturning_takes_the_points_back():
    seller = UserFactory()
    decider = operations_user()
    violation = _decide(seller, rule="counterfeit", by=decider)
    appeal = appeal_open(
        violation_id=violation.pk, seller=seller, statement="The receipt from the brand store is attached."
    )

    with pytest.raises(ViolationError) as same:
        appeal_decide(appeal_id=appeal.pk, by=decider, overturn=True, reason="I was wrong.")
    assert same.value.code == "same_decider"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN

    appeal = appeal_decide(
        appeal_id=appeal.pk, by=operations_user(), overturn=True, reason="The receipt is genuine."
    )
    assert appeal.status == AppealStatus.OVERTURNED
    assert points_of(seller_id=seller.pk) == 0
    assert not SellingHold.objects.filter(seller=seller).exists()
    with pytest.raises(ViolationError):
        appeal_decide(appeal_id=appeal.pk, by=operations_user(), overturn=False, reason="again")


def test_an_appeal_is_the_sellers_own_once_and_within_6_months():
    seller = UserFactory()
    violation = _decide(seller)
    with pytest.raises(type(violation).DoesNotExist):
        appeal_open(violation_id=violation.pk, seller=UserFactory(), statement="Not mine but I object.")
    with pytest.raises(ViolationError) as short:
        appeal_open(violation_id=violation.pk, seller=seller, statement="no")
    assert short.value.field == "statement"
    appeal_open(violation_id=violation.pk, seller=seller, statement="The item was as described.")
    with pytest.raises(ViolationError) as twice:
        appeal_open(violation_id=violation.pk, seller=seller, statement="The item was as described.")
    assert twice.value.code == "already_appealed"

    old = _decide(seller)
    type(old).objects.filter(pk=old.pk).update(appeal_until=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ViolationError) as late:
        appeal_open(violation_id=old.pk, seller=seller, statement="The item was as described.")
    assert late.value.code == "appeal_closed"


def test_thresholds_out_of_order_are_refused_and_change_nothing():
    staff = operations_user()
    with pytest.raises(ViolationError) as refused:
        threshold_set(kind="listing_cap", points="60", cap="10", by=staff)  # above suspension (48)
    assert refused.value.code == "thresholds_out_of_order"
    with pytest.raises(ViolationError):
        threshold_set(kind="no_flash_sales", points="24", by=staff)  # equal to the cap's
    with pytest.raises(ViolationError) as no_cap:
        threshold_set(kind="listing_cap", points="20", cap="0", by=staff)
    assert no_cap.value.field == "cap"
    assert dict(Threshold.objects.values_list("kind", "points")) == {
        "no_flash_sales": 12,
        "listing_cap": 24,
        "suspension": 48,
    }

    # a change in order applies to sellers at once
    seller = UserFactory()
    _decide(seller)  # 4 points
    threshold_set(kind="no_flash_sales", points="4", by=staff)
    assert SellingHold.objects.filter(seller=seller, reason="points_no_flash_sales").exists()


def test_bad_decisions_are_refused():
    staff = operations_user()
    seller = UserFactory()
    with pytest.raises(ViolationError) as rule:
        violation_decide(seller_id=seller.pk, rule_code="nonsense", evidence=EVIDENCE, by=staff)
    assert rule.value.field == "rule"
    with pytest.raises(ViolationError) as evidence:
        violation_decide(seller_id=seller.pk, rule_code="late_shipment", evidence=" ", by=staff)
    assert evidence.value.field == "evidence"
    with pytest.raises(ViolationError):
        violation_decide(seller_id=staff.pk, rule_code="late_shipment", evidence=EVIDENCE, by=staff)
    partner_staff = operations_user()
    partner = Provider.objects.create(code="north", name="North Centre", kind=ProviderKind.INSPECTION_CENTRE)
    ProviderMember.objects.create(provider=partner, user=partner_staff, role=MemberRole.OPERATIONS)
    with pytest.raises(PermissionDenied):
        violation_decide(seller_id=seller.pk, rule_code="late_shipment", evidence=EVIDENCE, by=partner_staff)
    assert points_of(seller_id=seller.pk) == 0


def test_the_pages_record_a_violation_take_an_appeal_and_decide_it(client, django_assert_num_queries):
    seller = UserFactory(username="lin")
    first, second = operations_user(), operations_user()
    client.force_login(first)
    response = client.post(
        reverse("trust:violations"), {"seller": "lin", "rule": "late_shipment", "evidence": EVIDENCE}
    )
    assert response.status_code == 302
    assert points_of(seller_id=seller.pk) == 2
    assert (
        client.post(
            reverse("trust:violations"), {"seller": "nobody", "rule": "late_shipment", "evidence": EVIDENCE}
        ).status_code
        == 400
    )

    client.force_login(seller)
    violation = seller.violations.get()
    client.post(
        reverse("trust:appeal", args=[violation.pk]),
        {"statement": "It left on time; the carrier scanned it late."},
    )
    # the user, the violations with rules and appeals, the holds, the thresholds, the store
    with django_assert_num_queries(5):
        page = client.get(reverse("trust:health")).content.decode()
    assert "Waiting for a decision" in page

    client.force_login(first)
    client.post(
        reverse("trust:appeal_decide", args=[violation.appeal.pk]),
        {"decision": "overturn", "reason": "Mine."},
    )
    assert violation.appeal.__class__.objects.get().status == AppealStatus.OPEN
    client.force_login(second)
    client.post(
        reverse("trust:appeal_decide", args=[violation.appeal.pk]),
        {"decision": "overturn", "reason": "Carrier's scan was late."},
    )
    assert points_of(seller_id=seller.pk) == 0
