"""Reads for the creators' pages: a creator's dashboard, a video's page, the staff desk."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from feed.creators import current_rate
from feed.models import (
    CategoryCommissionRate,
    Commission,
    CommissionStatus,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    rate_percent,
)
from listings.models import Category, Favourite, Listing, ListingStatus, VideoStatus

# How many of the newest commissions and videos the dashboard lists.
DASHBOARD_ROWS = 50


def creator_of(*, user: User) -> Creator | None:
    return Creator.objects.filter(user=user).first()


@dataclass(frozen=True)
class Totals:
    clicks: int
    orders: int
    pending: Decimal
    paid: Decimal


def count_of(rows: QuerySet) -> Coalesce:
    """How many `rows` (a queryset filtered on an OuterRef) as a column: `SELECT COUNT(*) ...` as a
    scalar subquery. COUNT written as a plain function, so that Django adds no GROUP BY to it."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def total_of(rows: QuerySet[Commission]) -> Coalesce:
    """The sum of the `rows`' amounts as a column (0 for none), as `count_of`."""
    summed = rows.order_by().annotate(total=Func(F("amount"), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=Commission._meta.get_field("amount")), Decimal("0"))


# The columns with_totals adds.
TOTALS = ("total_clicks", "total_orders", "total_pending", "total_paid")


def with_totals(rows: QuerySet[Creator]) -> QuerySet[Creator]:
    """Creators with their statement's totals as columns, so that a creator and its totals are one
    query: clicks on all their links, orders bought through them (each has a commission row, whatever
    became of it), and commission pending and paid."""
    commissions = Commission.objects.filter(creator=OuterRef("pk"))
    return rows.annotate(
        total_clicks=count_of(LinkClick.objects.filter(link__video__creator=OuterRef("pk"))),
        total_orders=count_of(commissions),
        total_pending=total_of(commissions.filter(status=CommissionStatus.PENDING)),
        total_paid=total_of(commissions.filter(status=CommissionStatus.PAID)),
    )


def totals_of(*, creator: Creator) -> Totals:
    """Clicks on the creator's links, orders bought through them, and commission pending and paid.
    One query."""
    clicks, orders, pending, paid = (
        with_totals(Creator.objects.filter(pk=creator.pk)).values_list(*TOTALS).get()
    )
    return Totals(clicks=clicks, orders=orders, pending=pending, paid=paid)


def commissions_of(*, creator: Creator, limit: int = DASHBOARD_ROWS) -> list[Commission]:
    """The creator's newest commissions, with their order and item. One query."""
    return list(
        Commission.objects.filter(creator=creator)
        .select_related("order", "link__listing")
        .order_by("-created_at", "-id")[:limit]
    )


def videos_of(*, creator: Creator, limit: int = DASHBOARD_ROWS) -> list[CreatorVideo]:
    """The creator's newest videos with their links, each link's item and clicks. Two queries."""
    links = CreatorLink.objects.select_related("listing").annotate(click_count=Count("clicks")).order_by("pk")
    return list(
        CreatorVideo.objects.filter(creator=creator)
        .prefetch_related(Prefetch("links", queryset=links))
        .order_by("-created_at", "-id")[:limit]
    )


def video_for_page(*, video_id: int, viewer: User | None) -> CreatorVideo:
    """A creator's video as its page shows it: with its creator and its links' items. Anyone sees a
    ready video of an approved creator; the creator sees theirs at every step. Raises
    CreatorVideo.DoesNotExist otherwise. Two queries."""
    links = CreatorLink.objects.select_related("listing").order_by("pk")
    video = (
        CreatorVideo.objects.select_related("creator__user")
        .prefetch_related(Prefetch("links", queryset=links))
        .get(pk=video_id)
    )
    own = viewer is not None and video.creator.user_id == viewer.pk
    if not own and (video.status != VideoStatus.READY or video.creator.status != CreatorStatus.APPROVED):
        raise CreatorVideo.DoesNotExist(video_id)
    return video


def linkable_saved_items(*, user: User, limit: int = 30) -> list[Listing]:
    """Items on sale the user saved, other than their own: what a creator picks from for a video."""
    return [
        favourite.listing
        for favourite in Favourite.objects.filter(listing__status=ListingStatus.ACTIVE)
        .filter(user=user)
        .exclude(listing__seller=user)
        .select_related("listing")
        .order_by("-created_at")[:limit]
    ]


def applications_waiting(*, limit: int = 100) -> list[Creator]:
    """Applications staff have not decided, oldest first. One query."""
    return list(
        Creator.objects.filter(status=CreatorStatus.APPLIED)
        .select_related("user")
        .order_by("created_at", "pk")[:limit]
    )


def creators_recent(*, limit: int = 50) -> list[Creator]:
    """Creators decided lately, newest decision first. One query."""
    return list(
        Creator.objects.exclude(status=CreatorStatus.APPLIED)
        .select_related("user", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def category_rates() -> list[tuple[Category, str | None]]:
    """Each category with staff's rate for it as a percentage, or None where the default applies.
    Two queries."""
    rates = {
        pk: rate_percent(rate)
        for pk, rate in CategoryCommissionRate.objects.values_list("category_id", "rate")
    }
    return [(category, rates.get(category.pk)) for category in Category.objects.order_by("position", "name")]


def rate_percent_for(*, listing: Listing) -> str:
    """The rate a link to the item shared now would carry, as a percentage."""
    return rate_percent(current_rate(listing))
