"""Each provider's figures over the last 90 days, side by side: inspection turnaround, disputes per
100 orders of the items it inspected, and the share of its reports a dispute overturned."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inspection.models import InspectionStatus, Report
from operations.provider_figures import provider_figures
from orders.models import Dispute, DisputeOutcome
from providers.models import ProviderKind
from providers.scope import platform_provider
from providers.services.providers import provider_create
from tests.factories import InspectionFactory, ListingFactory
from tests.orders.helpers import paid_order

pytestmark = pytest.mark.django_db


def _inspected(provider, *, hours: int, sold: int = 0, outcomes: tuple = ()) -> None:
    """An item the provider inspected in `hours`, with its report; `sold` orders of items it
    inspected, the first of them disputed with each of `outcomes`."""
    now = timezone.now()
    listing = ListingFactory()
    inspection = InspectionFactory(
        provider=provider,
        listing=listing,
        status=InspectionStatus.COMPLETED,
        created_at=now - timedelta(hours=hours),
        completed_at=now,
    )
    report = Report.objects.create(inspection=inspection, content={}, content_hash="x")
    listing.report_code = report.code
    listing.save(update_fields=["report_code"])
    for index in range(sold):
        order = paid_order(listing=listing if index == 0 else _reported_like(listing))
        if index < len(outcomes):
            Dispute.objects.create(order=order, reason="Not as described", outcome=outcomes[index])


def _reported_like(listing):
    return ListingFactory(report_code=listing.report_code)


def test_providers_are_measured_side_by_side_on_their_own_work():
    partner = provider_create(code="chengdu", name="Chengdu centre", kind=ProviderKind.INSPECTION_CENTRE)
    _inspected(platform_provider(), hours=2, sold=4, outcomes=(DisputeOutcome.REJECTED,))
    _inspected(partner, hours=10)
    _inspected(
        partner,
        hours=20,
        sold=10,
        outcomes=(DisputeOutcome.FULL_REFUND, DisputeOutcome.PARTIAL_REFUND, DisputeOutcome.REJECTED),
    )

    reloop, chengdu = provider_figures()

    assert reloop.provider.is_platform and chengdu.provider == partner
    assert (reloop.inspections, reloop.turnaround) == (1, timedelta(hours=2))
    assert (chengdu.inspections, chengdu.turnaround) == (2, timedelta(hours=15))
    assert (reloop.orders, reloop.disputes_per_100_orders, reloop.overturned_share) == (
        4,
        Decimal("25.0"),
        Decimal("0.000"),
    )
    assert (chengdu.orders, chengdu.disputes_per_100_orders, chengdu.overturned_share) == (
        10,
        Decimal("30.0"),
        Decimal("0.200"),
    )
