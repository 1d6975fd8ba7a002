"""Reads for live shows, shared by the pages and the API."""

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from live.models import FlashSale, FlashSaleStatus, Show, ShowItem, ShowPin, ShowRsvp, ShowStatus

# How many shows the channel's top row and the API list at most.
UPCOMING_LIMIT = 50


def shows_upcoming(*, limit: int = UPCOMING_LIMIT) -> QuerySet[Show]:
    """Shows live now, then those scheduled, soonest first, with their hosts and line-up sizes. One
    query (show_upcoming)."""
    return (
        Show.objects.filter(status__in=(ShowStatus.LIVE, ShowStatus.SCHEDULED))
        .select_related("host")
        .annotate(lineup_size=Count("items"))
        .order_by("status", "starts_at", "id")[:limit]  # "live" sorts before "scheduled"
    )


@dataclass
class ShowPage:
    show: Show
    items: list[ShowItem]
    pin: ShowPin | None
    flash_sale: FlashSale | None
    rsvped: bool
    is_host: bool


def show_for_page(*, show_id: int, viewer: User | AnonymousUser) -> ShowPage:
    """A show with its line-up (each item's listing), what is pinned, the flash sale running or held
    (one that ran out unclaimed is not shown), and whether the viewer asked to be told. Four queries.
    Raises Show.DoesNotExist."""
    show = Show.objects.select_related("host").get(pk=show_id)
    items = list(
        ShowItem.objects.filter(show=show).select_related("listing", "listing__brand").order_by("position")
    )
    pin = ShowPin.objects.filter(show=show, unpinned_at__isnull=True).first()
    now = timezone.now()
    flash_sale = (
        FlashSale.objects.filter(show=show)
        .filter(Q(status=FlashSaleStatus.OPEN, ends_at__gt=now) | Q(status=FlashSaleStatus.TAKEN))
        .order_by("-starts_at")
        .first()
    )
    signed_in = viewer.is_authenticated
    rsvped = signed_in and ShowRsvp.objects.filter(show=show, user_id=cast(int, viewer.pk)).exists()
    return ShowPage(
        show=show,
        items=items,
        pin=pin,
        flash_sale=flash_sale,
        rsvped=rsvped,
        is_host=signed_in and viewer.pk == show.host_id,
    )
