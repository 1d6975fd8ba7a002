"""Reads for live shows, shared by the pages and the API."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from accounts.models import User
from listings.models import Listing, ListingStatus
from listings.selectors import lowest_price_since
from live.models import (
    PLATFORM_SOURCES,
    ChatMessage,
    FlashSale,
    FlashSaleStatus,
    Show,
    ShowClip,
    ShowItem,
    ShowModerator,
    ShowMute,
    ShowPin,
    ShowRsvp,
    ShowStatus,
)

# How many shows the channel's top row and the API list at most.
UPCOMING_LIMIT = 50


def _with_tile(shows: QuerySet[Show]) -> QuerySet[Show]:
    """Each show's line-up size, and the photo key of its tile (`tile_key`): its cover, or the cover
    of the first item of its line-up without one."""
    first_item = (
        ShowItem.objects.filter(show=OuterRef("pk")).order_by("position").values("listing__cover_key")[:1]
    )
    return shows.select_related("host").annotate(
        lineup_size=Count("items"), tile_key=Coalesce(NullIf("cover_key", Value("")), Subquery(first_item))
    )


def shows_upcoming(*, limit: int = UPCOMING_LIMIT) -> QuerySet[Show]:
    """Shows live now, then those scheduled, soonest first, with their hosts, line-up sizes and tiles.
    One query (show_upcoming)."""
    return _with_tile(Show.objects.filter(status__in=(ShowStatus.LIVE, ShowStatus.SCHEDULED))).order_by(
        "status", "starts_at", "id"
    )[:limit]  # "live" sorts before "scheduled"


@dataclass
class ShowPage:
    show: Show
    items: list[ShowItem]
    pin: ShowPin | None
    flash_sale: FlashSale | None
    rsvped: bool
    is_host: bool
    # Whether the viewer moderates the show's chat (its host does too).
    moderates: bool

    @property
    def pinned(self) -> Listing | None:
        """The listing on the card now, from the line-up."""
        if self.pin is None:
            return None
        return next((item.listing for item in self.items if item.listing_id == self.pin.listing_id), None)


def may_moderate(show: Show, user: User) -> bool:
    """The host moderates their show's chat, and so do the moderators they appointed. One query at
    most."""
    return user.pk == show.host_id or ShowModerator.objects.filter(show=show, user=user).exists()


def show_for_page(*, show_id: int, viewer: User | AnonymousUser) -> ShowPage:
    """A show with its line-up (each item's listing), what is pinned, the flash sale running or held
    (one that ran out unclaimed is not shown), whether the viewer asked to be told and whether they
    moderate it. Four queries, six for a signed-in viewer. Raises Show.DoesNotExist."""
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
    is_host = signed_in and viewer.pk == show.host_id
    moderates = signed_in and may_moderate(show, cast(User, viewer))
    return ShowPage(
        show=show,
        items=items,
        pin=pin,
        flash_sale=flash_sale,
        rsvped=rsvped,
        is_host=is_host,
        moderates=moderates,
    )


# The flash price may not exceed the pinned item's lowest price over this period
# (live.services.flash checks it; the console offers it as the highest price).
FLASH_PRICE_PERIOD = timedelta(days=30)
# The console's chat: the latest messages, removed ones too (struck through, with who removed them).
CONSOLE_CHAT = 60


@dataclass
class ConsolePage:
    page: ShowPage
    pinned: Listing | None
    # The highest flash price the pinned item allows, if it is on sale.
    flash_price_max: Decimal | None
    chat: list[ChatMessage]
    moderators: list[ShowModerator]
    mutes: list[ShowMute]

    @property
    def moderator_ids(self) -> set[int]:
        return {moderator.user_id for moderator in self.moderators}

    @property
    def muted_ids(self) -> set[int]:
        return {mute.user_id for mute in self.mutes}


def console_for(*, show_id: int, viewer: User) -> ConsolePage:
    """What the host's console (and a moderator's) shows: the show as its room does, the pinned
    item with the highest flash price it allows, the latest chat with removed messages, the
    moderators and the muted viewers. Eight queries at most. Raises Show.DoesNotExist."""
    page = show_for_page(show_id=show_id, viewer=viewer)
    pinned = page.pinned
    price_max = None
    if pinned is not None and pinned.status == ListingStatus.ACTIVE:
        price_max = lowest_price_since(listing=pinned, since=timezone.now() - FLASH_PRICE_PERIOD)
    latest = (
        ChatMessage.objects.filter(show_id=show_id)
        .select_related("author")
        .order_by("-at", "-id")[:CONSOLE_CHAT]
    )
    return ConsolePage(
        page=page,
        pinned=pinned,
        flash_price_max=price_max,
        chat=list(reversed(latest)),
        moderators=list(
            ShowModerator.objects.filter(show_id=show_id).select_related("user").order_by("appointed_at")
        ),
        mutes=list(ShowMute.objects.filter(show_id=show_id).select_related("user").order_by("-at")),
    )


# How many listings the scheduling form offers for the line-up, newest first.
LINEUP_CHOICES = 100


def lineup_choices(*, host: User, platform: bool) -> list[Listing]:
    """What a host may put in a line-up: their own listings on sale, or Reloop's stock on sale for a
    staff host; newest first, at most LINEUP_CHOICES. One query."""
    listings = Listing.objects.filter(status=ListingStatus.ACTIVE)
    listings = listings.filter(source__in=PLATFORM_SOURCES) if platform else listings.filter(seller=host)
    return list(listings.select_related("brand").order_by("-published_at", "-id")[:LINEUP_CHOICES])


def shows_hosted_by(*, host: User, limit: int = 20) -> QuerySet[Show]:
    """A host's shows, the latest start first. One query."""
    return _with_tile(Show.objects.filter(host=host)).order_by("-starts_at", "-id")[:limit]


# How many clips the API lists at once.
CLIPS_LIMIT = 100


def clips_of(*, show_id: int | None = None, listing_id: int | None = None) -> QuerySet[ShowClip]:
    """Explanation clips of a show (in the show's order) or of an item (newest first), with their
    show and pin. One query."""
    clips = ShowClip.objects.select_related("show", "pin", "listing")
    if show_id is not None:
        return clips.filter(show_id=show_id).order_by("offset", "id")[:CLIPS_LIMIT]
    assert listing_id is not None, "a show or a listing"
    return clips.filter(listing_id=listing_id).order_by("-created_at", "-id")[:CLIPS_LIMIT]
