"""Reads shared by the order pages and the order API.

Every read for a person is filtered by their part in the order (buyer or seller): that filter is what
makes somebody else's order a 404. Staff reads check nothing here; their views check the group.
"""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from inspection.models import CheckResult, Report
from listings.models import ListingSource
from marketplace.keyset import Page, paginate
from orders.models import Offer, OfferEvent, Order, OrderEvent, OrderStatus, Payment, PaymentStatus

ORDER_LIST_ORDER = ("-created_at", "-id")
ORDER_PAGE_SIZE = 20


def _with_listing() -> QuerySet[Order]:
    # The listing's cover key and report code are what a card shows; the search vector is never read.
    return Order.objects.select_related("listing", "shipment").defer(
        "listing__search_vector", "listing__description"
    )


def orders_for_buyer(*, buyer: User, cursor: str | None, size: int = ORDER_PAGE_SIZE) -> Page:
    """The buyer's orders, newest first, with their listing. One query."""
    return paginate(
        _with_listing().filter(buyer_id=buyer.pk), order_by=ORDER_LIST_ORDER, cursor=cursor, size=size
    )


def sales_for_seller(*, seller: User, cursor: str | None, size: int = ORDER_PAGE_SIZE) -> Page:
    """Orders for the seller's own (person-to-person) listings, newest first, with their listing and
    buyer. One query. Orders that lapsed or were cancelled before payment are left out: nothing to do."""
    queryset = (
        _with_listing()
        .select_related("buyer")
        .filter(seller_id=seller.pk)
        .exclude(status__in=(OrderStatus.EXPIRED, OrderStatus.CANCELLED))
    )
    return paginate(queryset, order_by=ORDER_LIST_ORDER, cursor=cursor, size=size)


def _for_detail() -> QuerySet[Order]:
    return (
        _with_listing()
        .select_related("buyer", "seller", "return_request__shipment", "dispute", "rating")
        .prefetch_related(
            Prefetch("events", queryset=OrderEvent.objects.select_related("by")),
            "payments",
            # The carrier's news on the parcel to the buyer and on a return: one query, none before
            # anything is shipped.
            "shipment__events",
            "return_request__shipment__events",
        )
    )


def order_for_participant(*, number: str, user: User) -> Order:
    """One order its buyer or seller may see, with timeline, payments, return, dispute and rating.
    Raises Order.DoesNotExist for anyone else."""
    return _for_detail().get(Q(buyer_id=user.pk) | Q(seller_id=user.pk), number=number)


def _held_by(rows: QuerySet[Order], provider_id: int | None) -> QuerySet[Order]:
    """The orders of items a provider's centre holds (all of them for None: the platform's staff).
    A person's own sale is held by no provider: only the platform's staff see it."""
    return rows if provider_id is None else rows.filter(listing__provider_id=provider_id)


def order_for_staff(*, number: str, provider_id: int | None = None) -> Order:
    """An order as the staff pages show it, among those of `provider_id`'s items (any for None). The
    caller has checked the staff group. Raises Order.DoesNotExist for one outside the scope."""
    return _held_by(_for_detail(), provider_id).get(number=number)


def disputes_open(*, cursor: str | None, size: int = ORDER_PAGE_SIZE, provider_id: int | None = None) -> Page:
    """Orders in dispute, earliest delivered first (claims come within the same window after
    delivery, so this is close to oldest claim first): the queue the platform's operations work
    through. A provider is judged on its reports' disputes, so it decides none: a partner's staff
    (`provider_id`) get an empty list."""
    queryset = (
        _with_listing().select_related("buyer", "seller", "dispute").filter(status=OrderStatus.DISPUTED)
    )
    if provider_id is not None:
        queryset = queryset.none()
    return paginate(queryset, order_by=("delivered_at", "id"), cursor=cursor, size=size)


def orders_to_ship_from_centre(
    *, cursor: str | None, size: int = ORDER_PAGE_SIZE, provider_id: int | None = None
) -> Page:
    """Paid orders for platform and consigned stock, and inspected deliveries that passed, oldest
    first: staff pack and ship these (a partner's, those of the items its centre holds)."""
    queryset = _held_by(_with_listing(), provider_id).filter(
        Q(status=OrderStatus.PAID, source__in=(ListingSource.PLATFORM, ListingSource.CONSIGNED))
        | Q(status=OrderStatus.INSPECTED)
    )
    return paginate(queryset, order_by=("paid_at", "id"), cursor=cursor, size=size)


def returns_to_receive(
    *, cursor: str | None, size: int = ORDER_PAGE_SIZE, provider_id: int | None = None
) -> Page:
    """Inspected items on their way back to the centre, earliest delivered first."""
    queryset = (
        _held_by(_with_listing(), provider_id)
        .select_related("return_request__shipment")
        .filter(
            status=OrderStatus.RETURN_REQUESTED, source__in=(ListingSource.PLATFORM, ListingSource.CONSIGNED)
        )
    )
    return paginate(queryset, order_by=("delivered_at", "id"), cursor=cursor, size=size)


def orders_in_transit(
    *, cursor: str | None, size: int = ORDER_PAGE_SIZE, provider_id: int | None = None
) -> Page:
    """Shipped orders, longest on the way first: staff mark them delivered when the carrier's word
    comes some other way. One query."""
    queryset = _held_by(_with_listing(), provider_id).filter(status=OrderStatus.SHIPPED)
    return paginate(queryset, order_by=("shipped_at", "id"), cursor=cursor, size=size)


# The review list is short by nature (a provider that disagrees with us on amounts is rare); the
# desk shows the oldest this many.
PAYMENTS_TO_REVIEW_SHOWN = 20


def payments_to_review(*, limit: int = PAYMENTS_TO_REVIEW_SHOWN) -> list[Payment]:
    """Payments held because the provider reported another amount or currency, longest held first,
    with their order. One query."""
    return list(
        Payment.objects.filter(status=PaymentStatus.REVIEW)
        .select_related("order")
        .order_by("updated_at", "id")[:limit]
    )


def report_check_results(*, order: Order) -> list[CheckResult]:
    """The check results of the inspection report behind the order's listing, with their checks: what
    a "not as described" dispute may point at. One query for an inspected item; none for a person's
    item, which has no report."""
    if not order.listing.report_code:
        return []
    return list(
        CheckResult.objects.filter(inspection__report__code=order.listing.report_code).select_related(
            "check_item"
        )
    )


OFFER_PAGE_SIZE = 20


def _offers() -> QuerySet[Offer]:
    # A row shows the listing's title, cover and price and the other party's name.
    return Offer.objects.select_related("listing", "buyer", "seller", "order").defer(
        "listing__search_vector", "listing__description", "listing__description_parts"
    )


def offers_for_user(*, user: User, role: str, cursor: str | None, size: int = OFFER_PAGE_SIZE) -> Page:
    """Offers in the user's threads, newest first: `received` those on the user's listings, `made`
    those on other people's. One query."""
    column = "seller_id" if role == "received" else "buyer_id"
    return paginate(
        _offers().filter(**{column: user.pk}), order_by=("-created_at", "-id"), cursor=cursor, size=size
    )


def offer_for_party(*, offer_id: int, user: User) -> Offer:
    """One offer, for its thread's shopper or seller; Offer.DoesNotExist for anyone else."""
    return _offers().filter(Q(buyer_id=user.pk) | Q(seller_id=user.pk)).get(pk=offer_id)


def offer_thread(*, listing_id: int, buyer_id: int) -> list[Offer]:
    """Every offer between a listing's seller and one shopper, oldest first, with its history. Two
    queries."""
    return list(
        _offers()
        .filter(listing_id=listing_id, buyer_id=buyer_id)
        .prefetch_related(Prefetch("events", queryset=OfferEvent.objects.order_by("at", "id")))
        .order_by("created_at", "id")
    )


def inspection_report_code(number: str) -> str:
    """The public report's code of an inspected delivery's inspection, once published; else ""."""
    return Report.objects.filter(inspection__subject_code=number).values_list("code", flat=True).first() or ""
