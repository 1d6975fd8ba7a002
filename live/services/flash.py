"""Flash sales ("grab", 秒杀) in a live show, which never oversell.

The host starts one on the pinned item: a countdown of FLASH_SECONDS_MIN to FLASH_SECONDS_MAX seconds
and a price no higher than the item's lowest in the last 30 days. Every grab takes the flash sale's
row lock, so grabs are decided one at a time in the order they reach the database: the first
reserves the item through the usual checkout (orders.services.checkout.order_place_at_flash_price)
and pays in the usual way; each later one gets FlashGone and may join the wait-list. When the holder
does not pay in time or cancels (orders.signals.order_released), the item is reserved for the next
shopper on the wait-list, who is told; when nobody is left, the flash sale ends and the item is on
sale at its own price. A grab after the countdown is refused.

Locks: a flash sale's row, then (inside checkout) the buyer's row, then the listing's. The release
job and payments lock an order, then its listing, and tell this module only after they commit.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from listings.models import Listing, ListingStatus
from listings.selectors import flash_sale_hold, lowest_price_since
from live.errors import LiveError
from live.models import FlashSale, FlashSaleStatus, ShowPin, WaitlistEntry
from live.notices import live_notify_flash_offered
from live.realtime import publish_on_commit
from live.selectors import FLASH_PRICE_PERIOD
from live.services.room import require_live, require_no_flash_sale
from live.services.shows import hosted
from marketplace.errors import DomainError
from marketplace.money import quantize
from orders.models import Order
from orders.services.checkout import order_place_at_flash_price

FLASH_SECONDS_MIN = 10
FLASH_SECONDS_MAX = 300


class FlashGone(LiveError):
    """Someone grabbed the item first."""

    code = "gone"
    status_code = 409


def _price_checked(price: object) -> Decimal:
    try:
        amount: Decimal | None = quantize(str(price).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise LiveError(
            _("Give the flash price as an amount above zero."), code="flash_price_invalid", field="price"
        )
    return amount


@transaction.atomic
def flash_sale_start(*, show_id: int, by: User, seconds: int, price: object) -> FlashSale:
    """Start a flash sale on the pinned item. Only the host of a live show; one at a time. Raises
    LiveError for a countdown outside FLASH_SECONDS_MIN to FLASH_SECONDS_MAX, a price above the item's
    lowest in the last 30 days, nothing pinned or an item not on sale."""
    show = hosted(show_id, by)
    require_live(show)
    if not isinstance(seconds, int) or not FLASH_SECONDS_MIN <= seconds <= FLASH_SECONDS_MAX:
        raise LiveError(
            _("Choose a countdown from %(low)s to %(high)s seconds.")
            % {"low": FLASH_SECONDS_MIN, "high": FLASH_SECONDS_MAX},
            code="flash_countdown_invalid",
            field="seconds",
        )
    amount = _price_checked(price)
    now = timezone.now()
    require_no_flash_sale(show, now)
    pin = ShowPin.objects.filter(show=show, unpinned_at__isnull=True).first()
    if pin is None:
        raise LiveError(_("Pin the item first: a flash sale is on the pinned item."), code="nothing_pinned")
    listing = Listing.objects.select_for_update().get(pk=pin.listing_id)
    if listing.status != ListingStatus.ACTIVE:
        raise LiveError(_("The pinned item is not on sale."), code="not_on_sale")
    hold = flash_sale_hold(seller_id=listing.seller_id)
    if hold is not None:
        raise LiveError(hold.text, code="seller_restricted")
    lowest = lowest_price_since(listing=listing, since=now - FLASH_PRICE_PERIOD)
    if amount > lowest:
        raise LiveError(
            _("The flash price cannot be above %(lowest)s, the item's lowest price in the last 30 days.")
            % {"lowest": lowest},
            code="flash_price_too_high",
            field="price",
        )
    sale = FlashSale.objects.create(
        show=show, listing=listing, price=amount, starts_at=now, ends_at=now + timedelta(seconds=seconds)
    )
    _publish(sale)
    return sale


def _publish(sale: FlashSale) -> None:
    """Tell the room where the flash sale stands: open with its countdown, taken, sold or ended."""
    publish_on_commit(
        sale.show_id,
        "flash",
        id=sale.pk,
        listing=sale.listing_id,
        price=sale.price,
        ends_at=sale.ends_at,
        status=sale.status,
    )


@transaction.atomic
def flash_grab(*, flash_sale_id: int, buyer: User) -> Order:
    """Grab the flash sale's item: the first shopper has it reserved at the flash price and an order to
    pay, as with "buy now". Raises FlashGone (409) once someone has it, LiveError when the countdown has
    run out or the buyer already has it, and checkout's errors (the buyer's own item, the reservation
    limits, an unconfirmed address) unchanged. Nothing changes when it raises."""
    try:
        sale = FlashSale.objects.select_for_update(of=("self",)).select_related("order").get(pk=flash_sale_id)
    except FlashSale.DoesNotExist:
        error = LiveError(_("No such flash sale."), code="flash_not_found")
        error.status_code = 404
        raise error from None
    if sale.order is not None and sale.order.buyer_id == buyer.pk:
        raise LiveError(_("You already have this item: pay for it to keep it."), code="already_yours")
    if sale.status == FlashSaleStatus.OPEN and timezone.now() >= sale.ends_at:
        raise LiveError(_("Too late: the countdown has ended."), code="flash_over")
    if sale.status == FlashSaleStatus.TAKEN:
        raise FlashGone(
            _("Gone: someone grabbed it first. Join the wait-list to be offered it if they do not pay.")
        )
    if sale.status != FlashSaleStatus.OPEN:
        raise FlashGone(_("This flash sale is over."))
    order = order_place_at_flash_price(buyer=buyer, listing_id=sale.listing_id, price=sale.price)
    sale.order = order
    sale.status = FlashSaleStatus.TAKEN
    sale.save(update_fields=["order", "status", "updated_at"])
    _publish(sale)
    return order


def flash_waitlist_join(*, flash_sale_id: int, user: User) -> WaitlistEntry:
    """Ask to be offered the item if whoever holds it does not pay. Asking twice keeps one place."""
    sale = FlashSale.objects.select_related("order", "listing").filter(pk=flash_sale_id).first()
    if sale is None:
        error = LiveError(_("No such flash sale."), code="flash_not_found")
        error.status_code = 404
        raise error
    if sale.listing.seller_id == user.pk:
        raise LiveError(_("This is your own item."), code="own_item")
    if sale.order is not None and sale.order.buyer_id == user.pk:
        raise LiveError(_("You already have this item: pay for it to keep it."), code="already_yours")
    if sale.status == FlashSaleStatus.OPEN:
        raise LiveError(_("Nobody has it yet: grab it."), code="flash_open")
    if sale.status != FlashSaleStatus.TAKEN:
        raise LiveError(_("This flash sale is over."), code="flash_over")
    try:
        with transaction.atomic():
            entry, _created = WaitlistEntry.objects.get_or_create(flash_sale=sale, user=user)
    except IntegrityError:  # the same shopper's second request, at the same moment
        entry = WaitlistEntry.objects.get(flash_sale=sale, user=user)
    return entry


@transaction.atomic
def flash_offer_next(*, order_id: int) -> Order | None:
    """The order holding a flash sale's item ended unpaid: reserve the item at the flash price for the
    next shopper on the wait-list who can take it, and tell them; skip one who cannot (their limits, a
    sold item), noting why. With nobody left, the flash sale ends. Returns the new order, or None. Safe
    to run twice: a flash sale that has moved on is left alone."""
    sale = (
        FlashSale.objects.select_for_update().filter(order_id=order_id, status=FlashSaleStatus.TAKEN).first()
    )
    if sale is None:
        return None
    waiting = WaitlistEntry.objects.select_for_update().filter(
        flash_sale=sale, offered_at__isnull=True, skipped=""
    )
    for entry in waiting.select_related("user").order_by("joined_at", "id"):
        try:
            with transaction.atomic():
                order = order_place_at_flash_price(
                    buyer=entry.user, listing_id=sale.listing_id, price=sale.price
                )
        except DomainError as error:
            entry.skipped = error.code[:40]
            entry.save(update_fields=["skipped"])
            continue
        entry.offered_at = timezone.now()
        entry.save(update_fields=["offered_at"])
        sale.order = order
        sale.save(update_fields=["order", "updated_at"])
        live_notify_flash_offered(
            recipient=entry.user,
            flash_sale_id=sale.pk,
            title=order.title,
            price=sale.price,
            link=reverse("orders:detail", args=[order.number]),
        )
        return order
    sale.status = FlashSaleStatus.ENDED
    sale.save(update_fields=["status", "updated_at"])
    _publish(sale)
    return None


def flash_sold(*, order_id: int) -> None:
    """The order holding a flash sale's item was paid: the flash sale is sold. Safe to run twice."""
    with transaction.atomic():
        sale = (
            FlashSale.objects.select_for_update()
            .filter(order_id=order_id, status=FlashSaleStatus.TAKEN)
            .first()
        )
        if sale is None:
            return
        sale.status = FlashSaleStatus.SOLD
        sale.save(update_fields=["status", "updated_at"])
        _publish(sale)
