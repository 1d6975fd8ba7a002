"""Checkout: "buy now" reserves a unique item, the buyer gives an address and pays on the provider's
hosted page; a reservation that is not paid in time lapses and the item goes back on sale.

Locks are always taken order first, then listing (payment webhooks, cancelling, the release job),
except in `order_place`, which locks the buyer's user row, then the listing, and then only ever
*tries* an order's lock (skip_locked): no two of these can wait on each other. The payment provider
is called with no lock held and no transaction open (`payment_start`).

One account holds at most RESERVATIONS_MAX_UNPAID unpaid reservations, and one that let
RESERVATION_LAPSE_LIMIT lapse within RESERVATION_LAPSE_WINDOW_HOURS waits RESERVATION_COOLDOWN_HOURS
after the last before reserving again (ReservationLimit, 429): "buy now" takes an item off sale for
everyone else, so it is not free to hold many.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.addresses import address_create, clean_postal_address
from accounts.email_confirmation import require_confirmed_email
from accounts.models import User
from accounts.selectors import addresses_of
from listings.models import Listing, ListingStatus
from listings.services import listing_move
from orders.errors import ItemUnavailable, OrderError, PaymentProviderUnavailable, ReservationLimit
from orders.models import Offer, Order, OrderEvent, OrderStatus, Payment, PaymentStatus
from orders.payments import PaymentDeclined, get_payment_provider
from orders.services.transitions import order_move
from orders.signals import order_released

# A phone number as people type it: digits with spaces, dashes, brackets and a leading plus.


def _not_found() -> OrderError:
    error = OrderError(_("This item does not exist or is not on sale."), code="listing_not_found")
    error.status_code = 404
    return error


def _lapse(order: Order) -> None:
    """Expire a pending order and put its listing back on sale. Caller holds the order's row lock."""
    if Offer.objects.filter(order_id=order.pk).exists():
        message, params = "order.lapsed_offer", {"hours": settings.OFFER_PAYMENT_HOURS}
    else:
        message, params = "order.lapsed", {"minutes": settings.RESERVATION_MINUTES}
    order_move(order_id=order.pk, to=OrderStatus.EXPIRED, by=None, message=message, params=params)
    listing = Listing.objects.select_for_update().get(pk=order.listing_id)
    if listing.status == ListingStatus.RESERVED:
        listing_move(listing_id=listing.pk, to=ListingStatus.ACTIVE, by=None, message=message, params=params)
    _announce_released(order)


def _announce_released(order: Order) -> None:
    transaction.on_commit(lambda: order_released.send(sender=Order, order=order), robust=True)


def _check_reservation_limits(buyer: User, now: datetime) -> None:
    """Raise ReservationLimit if the buyer may not reserve one more item now. Caller holds the
    buyer's row lock, so that two "buy now" at once cannot both pass."""
    unpaid = Order.objects.filter(
        buyer_id=buyer.pk, status=OrderStatus.PENDING_PAYMENT, reserved_until__gt=now
    ).count()
    if unpaid >= settings.RESERVATIONS_MAX_UNPAID:
        raise ReservationLimit(
            ngettext(
                "You already have %(count)d item waiting for payment. Pay for it or cancel it before "
                "reserving another.",
                "You already have %(count)d items waiting for payment. Pay for one or cancel it before "
                "reserving another.",
                unpaid,
            )
            % {"count": unpaid},
            code="too_many_reservations",
        )
    # A reservation lapses at its reserved_until, whenever the release job got to it.
    lapsed = list(
        Order.objects.filter(
            buyer_id=buyer.pk,
            status=OrderStatus.EXPIRED,
            reserved_until__gt=now - timedelta(hours=settings.RESERVATION_LAPSE_WINDOW_HOURS),
        )
        .order_by("-reserved_until")
        .values_list("reserved_until", flat=True)[: settings.RESERVATION_LAPSE_LIMIT]
    )
    if len(lapsed) < settings.RESERVATION_LAPSE_LIMIT:
        return
    until = lapsed[0] + timedelta(hours=settings.RESERVATION_COOLDOWN_HOURS)
    if until > now:
        raise ReservationLimit(
            _(
                "%(count)d of your reservations lapsed unpaid in the last %(hours)d hours, so you can "
                "reserve again from %(time)s. Items you reserve are kept from other buyers until you pay."
            )
            % {
                "count": len(lapsed),
                "hours": settings.RESERVATION_LAPSE_WINDOW_HOURS,
                "time": date_format(timezone.localtime(until), "Y-m-d H:i"),
            },
            code="reservation_cooldown",
        )


def _listing_for_checkout(*, buyer: User, listing_id: int) -> Listing:
    """The listing a buyer is about to reserve, row-locked after the buyer's row (which serialises one
    buyer's reservations, so that the limits count every one). Raises OrderError (404) for an unknown
    or draft listing, 400 for the buyer's own or a withdrawn one, ItemUnavailable for a sold one, and
    EmailNotConfirmed (403) for a buyer whose address is not confirmed."""
    require_confirmed_email(buyer)
    User.objects.select_for_update().filter(pk=buyer.pk).values_list("pk", flat=True).get()
    listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
    if listing is None or listing.status == ListingStatus.DRAFT:
        raise _not_found()
    if listing.seller_id == buyer.pk:
        raise OrderError(_("This is your own listing: you cannot buy it."), code="own_listing")
    if listing.status == ListingStatus.WITHDRAWN:
        raise OrderError(_("The seller has taken this item off sale."), code="not_on_sale")
    if listing.status == ListingStatus.SOLD:
        raise ItemUnavailable(_("This item has been sold."), code="sold")
    return listing


@transaction.atomic
def order_place(*, buyer: User, listing_id: int) -> Order:
    """ "Buy now": reserve the listing for the buyer and open an order awaiting payment.

    Pressing twice returns the buyer's pending order. Everyone else gets ItemUnavailable (409) while
    the item is reserved or sold; a reservation that has lapsed but not yet been released by the job
    is released here, so the item can be bought at once. An unknown or draft listing is a 404
    OrderError, the buyer's own or a withdrawn listing a 400; a buyer whose e-mail address is not
    confirmed gets EmailNotConfirmed (403), one past the reservation limits ReservationLimit (429)."""
    listing = _listing_for_checkout(buyer=buyer, listing_id=listing_id)
    now = timezone.now()
    holder = _holder_checked(listing, now, buyer=buyer)
    if holder is not None:
        return holder
    _check_reservation_limits(buyer, now)
    return _reserve(
        listing,
        buyer=buyer,
        price=listing.price,
        reserved_until=now + timedelta(minutes=settings.RESERVATION_MINUTES),
        by=buyer,
        message="order.placed",
        now=now,
    )


@transaction.atomic
def order_place_at_flash_price(*, buyer: User, listing_id: int, price: Decimal) -> Order:
    """A live show's flash sale, won (or offered from its wait-list) by `buyer`: "buy now" at the
    flash `price`, with order_place's checks, limits and reservation. Raises as order_place does,
    ItemUnavailable while anyone holds the item (the buyer too: a reservation at the listing's price
    is not this one)."""
    listing = _listing_for_checkout(buyer=buyer, listing_id=listing_id)
    now = timezone.now()
    _holder_checked(listing, now, buyer=None)
    _check_reservation_limits(buyer, now)
    return _reserve(
        listing,
        buyer=buyer,
        price=price,
        reserved_until=now + timedelta(minutes=settings.RESERVATION_MINUTES),
        by=buyer,
        message="order.placed_flash",
        params={"amount": price},
        now=now,
    )


def _holder_checked(listing: Listing, now: datetime, *, buyer: User | None) -> Order | None:
    """For a reserved listing: `buyer`'s own live order holding it, returned; anyone else's live one
    raises ItemUnavailable; a lapsed one is released here, so the item can be bought at once. Caller
    holds the listing's row lock."""
    if listing.status != ListingStatus.RESERVED:
        return None
    # Only tried, never waited for: the release job and payment webhooks lock the order first.
    holder = (
        Order.objects.select_for_update(skip_locked=True)
        .filter(listing_id=listing.pk, status=OrderStatus.PENDING_PAYMENT)
        .first()
    )
    if holder is not None and buyer is not None and holder.buyer_id == buyer.pk:
        return holder
    if holder is None or holder.reserved_until > now:
        raise ItemUnavailable(
            _(
                "Someone else is buying this item right now. If they do not pay, it is back on sale in a few minutes."
            ),
            code="reserved",
        )
    _lapse(holder)
    listing.status = ListingStatus.ACTIVE
    return None


def _reserve(
    listing: Listing,
    *,
    buyer: User,
    price: Decimal,
    reserved_until: datetime,
    by: User,
    message: str,
    params: dict | None = None,
    now: datetime,
) -> Order:
    """Reserve the (active) listing for `buyer` and open an order at `price` awaiting payment until
    `reserved_until`. Caller holds the listing's row lock."""
    listing_move(listing_id=listing.pk, to=ListingStatus.RESERVED, by=by, message="order.reserved")
    try:
        with transaction.atomic():
            order = Order.objects.create(
                buyer=buyer,
                seller_id=listing.seller_id,
                listing=listing,
                title=listing.title,
                source=listing.source,
                shipping_fee=Order.shipping_fee_for(listing.source),
                price=price,
                reserved_until=reserved_until,
            )
    except IntegrityError:
        # The partial unique index found another live order for this listing: the database's last
        # word, whatever the checks above saw.
        raise ItemUnavailable(_("Someone else is buying this item right now."), code="reserved") from None
    # The timeline's first line: the order exists from here, not from the payment.
    OrderEvent.objects.create(
        order=order,
        old="",
        new=OrderStatus.PENDING_PAYMENT,
        by=by,
        message=message,
        params=OrderEvent.message_params(message, params),
        at=now,
    )
    return order


def order_place_at_offer(*, listing: Listing, buyer: User, price: Decimal, by: User | None) -> Order:
    """An accepted offer: reserve the listing for `buyer` at the agreed `price`, payable within
    OFFER_PAYMENT_HOURS. Raises ItemUnavailable while anyone holds the item (the buyer included: their
    own "buy now" runs at the listing's price) and OrderError when it is sold or off sale. Caller is
    in a transaction and holds the listing's row lock (orders.services.offers)."""
    if listing.status == ListingStatus.SOLD:
        raise ItemUnavailable(_("This item has been sold."), code="sold")
    if listing.status not in (ListingStatus.ACTIVE, ListingStatus.RESERVED):
        raise OrderError(_("The seller has taken this item off sale."), code="not_on_sale")
    now = timezone.now()
    _holder_checked(listing, now, buyer=None)
    return _reserve(
        listing,
        buyer=buyer,
        price=price,
        reserved_until=now + timedelta(hours=settings.OFFER_PAYMENT_HOURS),
        by=by or buyer,
        message="order.placed_at_offer",
        params={"amount": price},
        now=now,
    )


def _buyer_order_for_update(*, order_id: int, buyer: User) -> Order:
    """The buyer's order, row-locked. Anyone else's raises Order.DoesNotExist, as a missing one does."""
    return Order.objects.select_for_update().get(pk=order_id, buyer_id=buyer.pk)


def _require_pending(order: Order) -> None:
    if order.status == OrderStatus.EXPIRED:
        raise OrderError(
            _(
                "The reservation has lapsed and the item went back on sale. Buy it again if it is still available."
            ),
            code="reservation_lapsed",
        )
    if order.status != OrderStatus.PENDING_PAYMENT:
        if order.paid_at is not None:
            raise OrderError(_("This order has already been paid."), code="already_paid")
        raise OrderError(
            _("This order is %(status)s: it can no longer be changed.")
            % {"status": order.get_status_display()},
            code="not_pending",
        )


@transaction.atomic
def order_address_set(
    *, order_id: int, buyer: User, address: Mapping[str, object], save_to_book: bool = False
) -> Order:
    """Where the item goes, while the order awaits payment: recipient, phone, province or state, city,
    street and postcode, each checked by accounts.addresses. With `save_to_book` the address is also
    added to the buyer's address book, unless it is there already. Raises AddressError naming the
    field at fault (`name`, `phone`, `region`, `city`, `street`, `postcode`), OrderError when the
    order can no longer change, and Order.DoesNotExist for someone else's order; saves nothing then."""
    order = _buyer_order_for_update(order_id=order_id, buyer=buyer)
    _require_pending(order)
    postal = clean_postal_address(address)
    order.ship_to_name, order.ship_to_phone = postal.name, postal.phone
    order.ship_to_region, order.ship_to_city = postal.region, postal.city
    order.ship_to_address, order.ship_to_postcode = postal.street, postal.postcode
    order.save(
        update_fields=[
            "ship_to_name",
            "ship_to_phone",
            "ship_to_region",
            "ship_to_city",
            "ship_to_address",
            "ship_to_postcode",
            "updated_at",
        ]
    )
    if save_to_book and not any(saved.postal == postal for saved in addresses_of(buyer)):
        address_create(user=buyer, data=postal.as_dict())
    return order


@transaction.atomic
def order_cancel(*, order_id: int, buyer: User) -> Order:
    """The buyer gives up before paying: the order is cancelled and the item back on sale. A payment
    that still arrives is handled like a late one (see orders.services.payments)."""
    order = _buyer_order_for_update(order_id=order_id, buyer=buyer)
    _require_pending(order)
    order = order_move(order_id=order.pk, to=OrderStatus.CANCELLED, by=buyer, message="order.cancelled")
    listing = Listing.objects.select_for_update().get(pk=order.listing_id)
    if listing.status == ListingStatus.RESERVED:
        listing_move(listing_id=listing.pk, to=ListingStatus.ACTIVE, by=buyer, message="order.cancelled")
    _announce_released(order)
    return order


def reservations_release_lapsed(*, now: datetime | None = None, limit: int = 200) -> int:
    """Expire orders not paid within the reservation and put their items back on sale. One bounded
    batch, oldest first, each order in its own transaction; an order another process holds is left
    for the next run. Safe to run twice: a released order is no longer pending. Returns how many."""
    now = now or timezone.now()
    candidates = list(
        Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, reserved_until__lte=now)
        .order_by("reserved_until", "id")
        .values_list("pk", flat=True)[:limit]
    )
    released = 0
    for order_id in candidates:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=order_id, status=OrderStatus.PENDING_PAYMENT, reserved_until__lte=now)
                .first()
            )
            if order is None:  # paid, cancelled or being paid meanwhile
                continue
            _lapse(order)
            released += 1
    return released


def _provider_unavailable() -> OrderError:
    error = OrderError(
        _("The payment service is not answering. Please try again in a moment."), code="payment_unavailable"
    )
    error.status_code = 503
    return error


def payment_start(*, order_id: int, buyer: User, return_url: str) -> Payment:
    """Open the provider's hosted payment page for the buyer's order; the buyer is sent to
    `payment.hosted_url` and comes back to `return_url`.

    The order must await payment within its reservation and have an address. An open payment is
    reused rather than a second one opened. The provider is called after the Payment row has
    committed and with no lock held; if it does not answer, the row stays and the next try asks again
    with the same idempotency key (OrderError "payment_unavailable", 503)."""
    # 1. Lock, check, record the attempt.
    with transaction.atomic():
        order = _buyer_order_for_update(order_id=order_id, buyer=buyer)
        _require_pending(order)
        if order.reserved_until <= timezone.now():
            raise OrderError(
                _("The reservation has lapsed. Buy the item again if it is still available."),
                code="reservation_lapsed",
            )
        if not (order.ship_to_name and order.ship_to_phone and order.ship_to_address and order.ship_to_city):
            raise OrderError(_("Enter the delivery address first."), code="address_required", field="street")
        payment = order.payments.filter(status=PaymentStatus.CREATED).order_by("-id").first()
        if payment is not None and payment.hosted_url:
            return payment
        if payment is None:
            attempt = order.payments.count() + 1
            payment = Payment.objects.create(
                order=order, idempotency_key=f"order:{order.pk}:payment:{attempt}", amount=order.total
            )

    # 2. The provider, with no lock held.
    try:
        hosted = get_payment_provider().create_payment(
            idempotency_key=payment.idempotency_key,
            amount=payment.amount,
            currency=settings.CURRENCY,
            description=f"{order.title} · {order.number}",
            return_url=return_url,
        )
    except PaymentProviderUnavailable:
        raise _provider_unavailable() from None
    except PaymentDeclined:
        raise OrderError(
            _("The payment service refused to open this payment. Please contact us."), code="payment_refused"
        ) from None

    # 3. Record the provider's answer. Two tabs that asked at once got the same answer (same key).
    Payment.objects.filter(pk=payment.pk).update(
        provider_reference=hosted.reference, hosted_url=hosted.hosted_url, updated_at=timezone.now()
    )
    payment.provider_reference, payment.hosted_url = hosted.reference, hosted.hosted_url
    return payment
