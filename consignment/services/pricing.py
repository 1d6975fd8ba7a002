"""The beat job that applies consignments' scheduled price drops (consignment.tasks.apply_price_drops)."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from consignment.models import Consignment, ConsignmentStatus, PriceDrop
from consignment.pricing import due_steps, step_price, steps
from listings.models import Listing, ListingStatus
from listings.services import listing_reprice

logger = logging.getLogger(__name__)


def _due_filter(now: datetime) -> Q:
    """Listed consignments with a step due that has no PriceDrop row yet. Schedules are stored per
    consignment (a settings change does not alter agreements already made), so the condition is built
    per distinct schedule: step n of a schedule is due when listed_at + its day has passed and fewer
    than n steps are recorded. Exact, so that rows with nothing due never fill a batch."""
    schedules = (
        Consignment.objects.filter(status=ConsignmentStatus.LISTED)
        .order_by()
        .values_list("drop_schedule", flat=True)
        .distinct()
    )
    condition = Q(pk__in=[])
    for schedule in schedules:
        for step in steps(schedule):
            condition |= Q(
                drop_schedule=schedule,
                recorded__lt=step.number,
                listed_at__lte=now - timedelta(days=step.day),
            )
    return condition


def _apply_due(consignment: Consignment, *, now: datetime) -> int:
    """Record every due step of one consignment, lowering the price where the step lowers it.
    Caller holds the consignment's row lock; the listing is locked here. Returns the steps recorded."""
    listing = Listing.objects.select_for_update().get(pk=consignment.listing_id)
    if listing.status != ListingStatus.ACTIVE:
        return 0  # a buyer is paying for it (or it left the channel): a later run catches up
    recorded = set(consignment.price_drops.values_list("step", flat=True))
    applied = 0
    for step in due_steps(schedule=consignment.drop_schedule, listed_at=consignment.listed_at, now=now):
        if step.number in recorded:
            continue
        target = step_price(
            list_price=consignment.list_price,
            floor=consignment.floor_price,
            schedule=consignment.drop_schedule,
            number=step.number,
        )
        old_price = listing.price
        # A step that would not lower the price (the floor is reached) is recorded with no change.
        new_price = target if target < old_price else old_price
        if new_price != old_price:
            listing = listing_reprice(listing_id=listing.pk, price=new_price)
        PriceDrop.objects.create(
            consignment=consignment,
            step=step.number,
            old_price=old_price,
            new_price=new_price,
            applied_at=now,
        )
        applied += 1
    return applied


def price_drops_apply(*, now: datetime | None = None, limit: int = 500) -> int:
    """Apply the price drops that are due, for at most `limit` consignments, each in its own
    transaction. Consignments another run holds are skipped (select_for_update(skip_locked=True));
    a step is recorded once (PriceDrop is unique per consignment and step), so running twice, or two
    runs at once, drops each price once. Returns how many steps were recorded."""
    now = now or timezone.now()
    candidates = list(
        Consignment.objects.filter(status=ConsignmentStatus.LISTED, listing__status=ListingStatus.ACTIVE)
        .annotate(recorded=Count("price_drops"))
        .filter(_due_filter(now))
        .order_by("listed_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    applied = 0
    for consignment_id in candidates:
        with transaction.atomic():
            consignment = (
                Consignment.objects.select_for_update(skip_locked=True)
                .filter(pk=consignment_id, status=ConsignmentStatus.LISTED)
                .first()
            )
            if consignment is None:
                continue
            applied += _apply_due(consignment, now=now)
    if applied:
        logger.info("Applied %s price drop steps", applied)
    return applied
