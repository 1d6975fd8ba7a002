"""What an order's steps tell its buyer and its seller (notifications.notify): paid, shipped,
delivered, the return window closing in 24 hours, and completed, when the seller of a person-to-person
sale also learns what reaches their wallet. Reloop's own and consigned stock tell only the buyer here;
a consignor hears when their settlement is paid (consignment). Each step notifies each person once
(the key names the order and the step)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import ListingSource
from notifications.kinds import Group, Kind, register
from notifications.services import Notice, notify, notify_many
from orders.models import Offer, OfferDeclineReason, OfferStatus, Order, OrderStatus
from orders.services.money import seller_share

# Parameters: `title` the item's title as listed, `number` the order number, `amount` the string of a
# Decimal, `tracking` a tracking number, `deadline` the ISO date of the return window's last day.
register(
    Kind(
        "order.paid",
        Group.BUYING,
        _("Your payment was received"),
        _("Payment received for %(title)s"),
        _(
            "Order %(number)s is paid (%(amount)s). The seller ships it next; we hold the money until you have it."
        ),
        money=("amount",),
        email=False,
    ),
    Kind(
        "order.shipped",
        Group.BUYING,
        _("Your order was shipped"),
        _("%(title)s is on its way"),
        _("Order %(number)s was shipped, tracking number %(tracking)s."),
    ),
    Kind(
        "order.delivered",
        Group.BUYING,
        _("Your order was delivered"),
        _("%(title)s was delivered"),
        _(
            "Order %(number)s was delivered. If it is not as described, you can ask for a return until %(deadline)s."
        ),
        dates=("deadline",),
    ),
    Kind(
        "order.return_window_closing",
        Group.BUYING,
        _("The return window closes in 24 hours"),
        _("The return window for %(title)s closes tomorrow"),
        _(
            "Order %(number)s: if something is wrong with the item, ask for a return by the end of %(deadline)s. "
            "After that the sale is complete and the seller is paid."
        ),
        dates=("deadline",),
    ),
    Kind(
        "order.completed",
        Group.BUYING,
        _("Your order is complete"),
        _("Order %(number)s is complete"),
        _("Thank you for buying %(title)s. You can now rate the seller."),
        email=False,
    ),
    Kind(
        "sale.paid",
        Group.SELLING,
        _("Your item sold"),
        _("%(title)s sold"),
        _("Order %(number)s is paid (%(amount)s). Please ship it; we hold the money until the buyer has it."),
        money=("amount",),
    ),
    Kind(
        "sale.shipped",
        Group.SELLING,
        _("Your sale was shipped"),
        _("%(title)s is on its way to the buyer"),
        _("Order %(number)s was shipped, tracking number %(tracking)s."),
        email=False,
    ),
    Kind(
        "sale.delivered",
        Group.SELLING,
        _("Your sale was delivered"),
        _("%(title)s was delivered to the buyer"),
        _("Order %(number)s was delivered. The buyer may ask for a return until %(deadline)s."),
        dates=("deadline",),
        email=False,
    ),
    Kind(
        "sale.return_window_closing",
        Group.SELLING,
        _("The buyer's return window closes in 24 hours"),
        _("The return window for %(title)s closes tomorrow"),
        _(
            "Order %(number)s: unless the buyer asks for a return by the end of %(deadline)s, the sale is complete."
        ),
        dates=("deadline",),
        email=False,
    ),
    Kind(
        "sale.completed",
        Group.SELLING,
        _("Your sale is complete and paid"),
        _("%(amount)s for %(title)s is in your wallet"),
        _("Order %(number)s is complete. %(amount)s, the price less our fee, is in your wallet."),
        money=("amount",),
    ),
)

# Inspected delivery. Parameters: `title`, `number`, and `report` the public report's code.
register(
    Kind(
        "order.inspection_passed",
        Group.BUYING,
        _("Your item passed inspection"),
        _("%(title)s passed inspection"),
        _(
            "Order %(number)s is as described (report %(report)s). Reloop ships it to you next, with its report."
        ),
    ),
    Kind(
        "order.inspection_failed",
        Group.BUYING,
        _("Your item did not pass inspection"),
        _("%(title)s is not as described: you are refunded"),
        _(
            "Order %(number)s did not match its listing at inspection (report %(report)s). Everything you "
            "paid goes back to your card, and the item goes back to the seller."
        ),
    ),
    Kind(
        "sale.inspection_failed",
        Group.SELLING,
        _("Your sale did not pass inspection"),
        _("%(title)s did not match its listing"),
        _(
            "Order %(number)s was not as described at inspection (report %(report)s). The buyer is refunded "
            "and the item comes back to you on a free label."
        ),
    ),
)

BUYER_KINDS = {
    OrderStatus.PAID: "order.paid",
    OrderStatus.SHIPPED: "order.shipped",
    OrderStatus.DELIVERED: "order.delivered",
    OrderStatus.COMPLETED: "order.completed",
}
SELLER_KINDS = {
    OrderStatus.PAID: "sale.paid",
    OrderStatus.SHIPPED: "sale.shipped",
    OrderStatus.DELIVERED: "sale.delivered",
    OrderStatus.COMPLETED: "sale.completed",
}
# The parameters each kind takes, beyond the item's title and the order's number.
EXTRA = {
    OrderStatus.PAID: lambda order: {"amount": order.total},  # what the buyer paid, shipping included
    OrderStatus.SHIPPED: lambda order: {"tracking": order.tracking_number},
    OrderStatus.DELIVERED: lambda order: {"deadline": return_deadline(order)},
    OrderStatus.COMPLETED: lambda order: {},
}


def return_deadline(order: Order) -> datetime:
    """The last day the buyer may ask for a return: the return window from delivery."""
    assert order.delivered_at is not None
    return timezone.localtime(order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS))


def order_notify(order: Order, status: str) -> None:
    """Tell the buyer, and the seller of a person-to-person sale, that the order reached `status`.
    Called inside order_move's transaction; statuses nobody is told about do nothing."""
    if status not in BUYER_KINDS:
        return
    status = OrderStatus(status)
    link = reverse("orders:detail", args=[order.number])
    params = {"title": order.title, "number": order.number, **EXTRA[status](order)}
    notify(
        recipient=order.buyer,
        kind=BUYER_KINDS[status],
        params=params,
        link=link,
        key=f"order:{order.pk}:{status}",
    )
    if order.source != ListingSource.PERSON:
        return
    if status == OrderStatus.COMPLETED:
        params = {**params, "amount": seller_share(order.price)}
    notify(
        recipient=order.seller,
        kind=SELLER_KINDS[status],
        params=params,
        link=link,
        key=f"sale:{order.pk}:{status}",
    )


def return_windows_remind(*, now: datetime | None = None, limit: int = 500) -> int:
    """Tell the buyer, and a private seller, of each delivered order whose return window closes within
    24 hours: one batch of notifications (notify_many), each order once (the key). Returns how many
    orders were looked at."""
    now = now or timezone.now()
    window = timedelta(days=settings.RETURN_WINDOW_DAYS)
    orders = list(
        Order.objects.filter(
            status=OrderStatus.DELIVERED,
            delivered_at__gt=now - window,
            delivered_at__lte=now - window + timedelta(hours=24),
        ).order_by("delivered_at", "id")[:limit]
    )
    notices = []
    for order in orders:
        link = reverse("orders:detail", args=[order.number])
        params = {"title": order.title, "number": order.number, "deadline": return_deadline(order)}
        key = f"order:{order.pk}:return-window"
        notices.append(Notice(order.buyer_id, "order.return_window_closing", params, link, key))
        if order.source == ListingSource.PERSON:
            notices.append(Notice(order.seller_id, "sale.return_window_closing", params, link, key))
    notify_many(notices)
    return len(orders)


# Offers. Parameters: `title` the listing's title, `amount` the offer, `price` the asking price (the
# strings of Decimals), `deadline` the ISO time by which to answer or pay.
register(
    Kind(
        "offer.received",
        Group.SELLING,
        _("A shopper makes an offer"),
        _("Offer of %(amount)s for %(title)s"),
        _("You ask %(price)s. Accept, decline or counter by %(deadline)s; after that the offer lapses."),
        money=("amount", "price"),
        dates=("deadline",),
    ),
    Kind(
        "offer.countered",
        Group.BUYING,
        _("The seller counters your offer"),
        _("The seller offers %(title)s for %(amount)s"),
        _("Accept, decline or make another offer by %(deadline)s; after that the counter lapses."),
        money=("amount",),
        dates=("deadline",),
    ),
    Kind(
        "offer.accepted",
        Group.BUYING,
        _("Your offer is accepted"),
        _("Your offer of %(amount)s for %(title)s is accepted"),
        _("The item is reserved for you at this price. Pay by %(deadline)s, or it goes back on sale."),
        money=("amount",),
        dates=("deadline",),
    ),
    Kind(
        "offer.accepted_by_shopper",
        Group.SELLING,
        _("A shopper accepts your counter"),
        _("%(title)s: your counter of %(amount)s is accepted"),
        _(
            "The item is reserved for the shopper until %(deadline)s while they pay. We tell you when to ship."
        ),
        money=("amount",),
        dates=("deadline",),
    ),
    Kind(
        "offer.declined",
        Group.BUYING,
        _("Your offer is declined"),
        _("Your offer of %(amount)s for %(title)s is declined"),
        _("You may make another offer, or buy it at %(price)s while it is on sale."),
        money=("amount", "price"),
        email=False,
    ),
    Kind(
        "offer.counter_declined",
        Group.SELLING,
        _("A shopper declines your counter"),
        _("Your counter of %(amount)s for %(title)s is declined"),
        _("The item stays on sale at %(price)s."),
        money=("amount", "price"),
        email=False,
    ),
    Kind(
        "offer.closed",
        Group.BUYING,
        _("An item you made an offer on is gone"),
        _("%(title)s is no longer available"),
        _("Your offer of %(amount)s is closed: the item was sold or taken off sale."),
        money=("amount",),
        email=False,
    ),
    Kind(
        "offer.expired",
        Group.BUYING,
        _("Your offer lapsed"),
        _("Your offer of %(amount)s for %(title)s lapsed"),
        _("The seller did not answer in time. You may make another offer while the item is on sale."),
        money=("amount",),
        email=False,
    ),
    Kind(
        "offer.counter_expired",
        Group.SELLING,
        _("Your counter lapsed"),
        _("Your counter of %(amount)s for %(title)s lapsed"),
        _("The shopper did not answer in time. The item stays on sale at %(price)s."),
        money=("amount", "price"),
        email=False,
    ),
)


def offer_notify(offer: Offer) -> None:
    """Tell whoever must hear of the offer's new state: the one who must answer an open offer, the
    shopper whose offer is accepted (or the seller whose counter is), the maker of an offer declined or
    lapsed, the shopper of an offer closed because the item went. An offer declined at once for being
    below the floor, and a withdrawn one, tell nobody (the maker saw it happen). Called in the
    transaction that changed it."""
    thread_link = reverse("offers:thread", args=[offer.pk])
    params = {"title": offer.listing.title, "amount": offer.amount}
    status = offer.status
    if status == OfferStatus.PENDING:
        deadline = {"deadline": timezone.localtime(offer.expires_at)}
        if offer.by_seller:
            kind, recipient, params = "offer.countered", offer.buyer, {**params, **deadline}
        else:
            kind, recipient = "offer.received", offer.seller
            params = {**params, "price": offer.asking_price, **deadline}
    elif status == OfferStatus.ACCEPTED:
        assert offer.order is not None
        deadline = {"deadline": timezone.localtime(offer.order.reserved_until)}
        thread_link = reverse("orders:detail", args=[offer.order.number])
        if offer.by_seller:
            kind, recipient = "offer.accepted_by_shopper", offer.seller
            thread_link = reverse("orders:sales")
        else:
            kind, recipient = "offer.accepted", offer.buyer
        params = {**params, **deadline}
    elif status == OfferStatus.DECLINED and offer.decline_reason in (
        OfferDeclineReason.SOLD,
        OfferDeclineReason.OFF_SALE,
    ):
        kind, recipient = "offer.closed", offer.buyer
    elif status == OfferStatus.DECLINED and offer.decline_reason == OfferDeclineReason.BY_PARTY:
        kind, recipient = (
            ("offer.counter_declined", offer.seller) if offer.by_seller else ("offer.declined", offer.buyer)
        )
        params = {**params, "price": offer.listing.price}
    elif status == OfferStatus.EXPIRED:
        if offer.by_seller:
            kind, recipient = "offer.counter_expired", offer.seller
            params = {**params, "price": offer.listing.price}
        else:
            kind, recipient = "offer.expired", offer.buyer
    else:
        return
    notify(recipient=recipient, kind=kind, params=params, link=thread_link, key=f"offer:{offer.pk}:{status}")
