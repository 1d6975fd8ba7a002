"""Offers (议价): a shopper proposes a price for a listing; the other side accepts, declines or counters.

One listing and one shopper make a thread of offers, at most one of them open (the partial unique
index `offer_one_open_per_thread`). Whoever did not make the open offer answers it: the seller a
shopper's offer, the shopper a seller's counter. A shopper makes at most OFFERS_PER_LISTING offers on
one listing, counters included; an open offer lapses after OFFER_HOURS.

    pending ──accept──▶ accepted (the item is reserved at that price: an order, payable within
                                   OFFER_PAYMENT_HOURS, through the same reservation as "buy now")
    pending ──decline─▶ declined      pending ──counter──▶ countered (+ a new pending offer in reply)
    pending ──(maker)─▶ withdrawn     pending ──(job)────▶ expired
    pending ──(the item sold or went off sale)──▶ declined, and its shopper is told

The floor: an offer below the listing's `offer_floor` (a private seller's, or a consigned item's
consignment floor) is declined at once. Reloop's own stock, and a consigned item, answer by rule at
once: accepted at or above the floor (for stock without one, OFFER_STOCK_FLOOR_RATE of the price),
declined below it. Nobody at Reloop haggles over each offer.

Locks: the listing's row, then the thread's offers. Two of the seller's devices accepting two offers
at once both wait on the listing's lock; the second finds it reserved (ItemUnavailable).
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.email_confirmation import require_confirmed_email
from accounts.models import User
from listings.models import Listing, ListingSource, ListingStatus
from marketplace.errors import InvalidTransition
from marketplace.money import CENT, quantize
from orders.errors import ItemUnavailable, NotAllowed, OrderError
from orders.live import offers_push_on_commit
from orders.models import Offer, OfferDeclineReason, OfferEvent, OfferStatus, Order
from orders.notices import offer_notify
from orders.services.checkout import order_place_at_offer

EXPIRE_BATCH_SIZE = 200
# What telling someone of an offer reads (orders.notices.offer_notify): joined when offers are loaded
# in a batch, rather than fetched for each.
NOTIFIED_WITH = ("listing", "buyer", "seller")

ALLOWED: dict[OfferStatus, set[OfferStatus]] = {
    OfferStatus.PENDING: {
        OfferStatus.ACCEPTED,
        OfferStatus.DECLINED,
        OfferStatus.COUNTERED,
        OfferStatus.EXPIRED,
        OfferStatus.WITHDRAWN,
    },
    OfferStatus.ACCEPTED: set(),
    OfferStatus.DECLINED: set(),
    OfferStatus.COUNTERED: set(),
    OfferStatus.EXPIRED: set(),
    OfferStatus.WITHDRAWN: set(),
}


class OfferError(OrderError):
    code = "offer_invalid"


def _offer_not_found() -> OfferError:
    error = OfferError(_("This item does not exist or is not on sale."), code="listing_not_found")
    error.status_code = 404
    return error


def offer_move(
    offer: Offer,
    *,
    to: OfferStatus,
    by: User | None,
    message: str,
    params: dict | None = None,
    reason: str = "",
    order: Order | None = None,
) -> Offer:
    """Check, record, save. Caller holds the offer's row lock. Raises InvalidTransition and changes
    nothing if `to` is not allowed."""
    if to not in ALLOWED[OfferStatus(offer.status)]:
        raise InvalidTransition(offer.status, to)
    now = timezone.now()
    OfferEvent.objects.create(
        offer=offer,
        old=offer.status,
        new=to,
        by=by,
        message=message,
        params=OfferEvent.message_params(message, params),
        at=now,
    )
    offer.status, offer.answered_at = to, now
    offer.decline_reason = reason
    if order is not None:
        offer.order = order
    offer.save(update_fields=["status", "answered_at", "decline_reason", "order"])
    offer_notify(offer)
    offers_push_on_commit(offer)
    return offer


def clean_amount(value: object, *, field: str = "amount") -> Decimal:
    """An amount of money as typed: more than zero, at most two decimal places. Raises OfferError
    naming `field` otherwise."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise OfferError(
            _("Enter an amount, such as 850 or 850.50."), code="invalid_amount", field=field
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise OfferError(_("An offer must be more than zero."), code="invalid_amount", field=field)
    if amount != amount.quantize(CENT):
        raise OfferError(
            _("An amount can have at most two decimal places."), code="invalid_amount", field=field
        )
    return amount.quantize(CENT)


def offer_floor(listing: Listing) -> Decimal | None:
    """The lowest offer the listing accepts: its own floor, or for Reloop's stock the rule's.
    None when any offer may be put to the seller."""
    if listing.offer_floor is not None:
        return listing.offer_floor
    if listing.source != ListingSource.PERSON:
        return quantize(listing.price * settings.OFFER_STOCK_FLOOR_RATE)
    return None


def offers_made_count(*, listing_id: int, buyer_id: int) -> int:
    return Offer.objects.filter(listing_id=listing_id, buyer_id=buyer_id, by_seller=False).count()


def _check_can_offer(listing: Listing | None, buyer: User) -> Listing:
    if listing is None or listing.status == ListingStatus.DRAFT:
        raise _offer_not_found()
    if listing.seller_id == buyer.pk:
        raise OfferError(_("This is your own listing: you cannot make an offer on it."), code="own_listing")
    if listing.status == ListingStatus.SOLD:
        raise ItemUnavailable(_("This item has been sold."), code="sold")
    if listing.status == ListingStatus.WITHDRAWN:
        raise OfferError(_("The seller has taken this item off sale."), code="not_on_sale")
    if listing.status == ListingStatus.RESERVED:
        raise ItemUnavailable(
            _("Someone is paying for this item right now. If they do not pay, you can make an offer then."),
            code="reserved",
        )
    return listing


def _check_limit(listing: Listing, buyer: User) -> None:
    made = offers_made_count(listing_id=listing.pk, buyer_id=buyer.pk)
    if made >= settings.OFFERS_PER_LISTING:
        raise OfferError(
            _(
                "You have made %(count)d offers on this item, as many as one shopper may. Buy it at the price, or ask the seller."
            )
            % {"count": made},
            code="too_many_offers",
        )


def _check_below_price(amount: Decimal, listing: Listing) -> None:
    if amount >= listing.price:
        raise OfferError(
            _("An offer must be below the price of %(price)s. At the price, buy it now.")
            % {"price": f"{listing.price:,.2f}"},
            code="not_below_price",
            field="amount",
        )


def _create(
    *, listing: Listing, buyer_id: int, amount: Decimal, by: User, by_seller: bool, reply_to: Offer | None
) -> Offer:
    now = timezone.now()
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                listing=listing,
                buyer_id=buyer_id,
                seller_id=listing.seller_id,
                by_seller=by_seller,
                amount=amount,
                asking_price=listing.price,
                in_reply_to=reply_to,
                expires_at=now + timedelta(hours=settings.OFFER_HOURS),
                created_at=now,
            )
    except IntegrityError:
        # Another tab opened an offer in this thread a moment ago: the index's last word.
        raise OfferError(
            _("There is already an offer waiting for an answer on this item."), code="offer_open"
        ) from None
    message = "offer.countered" if reply_to is not None else "offer.made"
    OfferEvent.objects.create(
        offer=offer,
        old="",
        new=OfferStatus.PENDING,
        by=by,
        message=message,
        params=OfferEvent.message_params(message, {"amount": amount}),
        at=now,
    )
    return offer


def _answer_by_rule(offer: Offer, listing: Listing) -> Offer:
    """Decline below the floor; for Reloop's and consigned stock, accept at or above it."""
    floor = offer_floor(listing)
    if floor is not None and offer.amount < floor:
        return offer_move(
            offer,
            to=OfferStatus.DECLINED,
            by=None,
            message="offer.declined_below_floor",
            reason=OfferDeclineReason.BELOW_FLOOR,
        )
    if listing.source != ListingSource.PERSON:
        order = order_place_at_offer(listing=listing, buyer=offer.buyer, price=offer.amount, by=None)
        return offer_move(
            offer, to=OfferStatus.ACCEPTED, by=None, message="offer.accepted_by_rule", order=order
        )
    offer_notify(offer)
    offers_push_on_commit(offer)
    return offer


@transaction.atomic
def offer_make(*, buyer: User, listing_id: int, amount: object) -> Offer:
    """A shopper offers `amount` for a listing. With the seller's counter open, the new offer answers
    it (the counter is then `countered`). The result may already be answered: declined below the
    floor, or accepted by Reloop's rule (with its order). Raises OfferError for an amount of 0, below
    0, with three decimals or not below the price, for the shopper's own listing, a listing off sale,
    the limit of offers reached or an offer of theirs still open; ItemUnavailable for a sold or
    reserved item; EmailNotConfirmed (403) for an unconfirmed e-mail address. Changes nothing then."""
    require_confirmed_email(buyer)
    value = clean_amount(amount)
    # Serialises one shopper's offers, so the limit counts every one.
    User.objects.select_for_update().filter(pk=buyer.pk).values_list("pk", flat=True).get()
    listing = _check_can_offer(Listing.objects.select_for_update().filter(pk=listing_id).first(), buyer)
    _check_below_price(value, listing)
    _check_limit(listing, buyer)
    open_offer = (
        Offer.objects.select_for_update()
        .filter(listing_id=listing.pk, buyer_id=buyer.pk, status=OfferStatus.PENDING)
        .first()
    )
    reply_to = None
    if open_offer is not None and open_offer.expires_at > timezone.now():
        if not open_offer.by_seller:
            raise OfferError(
                _("Your offer of %(amount)s is still waiting for the seller. Withdraw it to make another.")
                % {"amount": f"{open_offer.amount:,.2f}"},
                code="offer_open",
            )
        if value >= open_offer.amount:
            raise OfferError(
                _("The seller already offers it for %(amount)s: accept that instead.")
                % {"amount": f"{open_offer.amount:,.2f}"},
                code="not_below_counter",
                field="amount",
            )
        reply_to = offer_move(open_offer, to=OfferStatus.COUNTERED, by=buyer, message="offer.answered")
    elif open_offer is not None:
        offer_move(
            open_offer,
            to=OfferStatus.EXPIRED,
            by=None,
            message="offer.expired",
            params={"hours": settings.OFFER_HOURS},
        )
    offer = _create(
        listing=listing, buyer_id=buyer.pk, amount=value, by=buyer, by_seller=False, reply_to=reply_to
    )
    return _answer_by_rule(offer, listing)


def _offer_for_party(*, offer_id: int, user: User) -> tuple[Listing, Offer]:
    """The listing and the offer, both row-locked (the listing first). Raises Offer.DoesNotExist for
    anyone but the thread's shopper and seller, exactly as for an offer that does not exist."""
    listing_id = (
        Offer.objects.filter(pk=offer_id)
        .filter(Q(buyer_id=user.pk) | Q(seller_id=user.pk))
        .values_list("listing_id", flat=True)
        .first()
    )
    if listing_id is None:
        raise Offer.DoesNotExist("No offer with this id for this user.")
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    offer = Offer.objects.select_for_update(of=("self",)).select_related("buyer", "seller").get(pk=offer_id)
    offer.listing = listing  # the row just locked, which the notification reads
    return listing, offer


def _check_answerable(offer: Offer, user: User) -> None:
    """Raises unless `user` may answer the offer now: it is open, not lapsed, and not their own."""
    if offer.status != OfferStatus.PENDING:
        raise OfferError(
            _("This offer is %(status)s: it can no longer be answered.")
            % {"status": offer.get_status_display().lower()},
            code="not_open",
        )
    if offer.expires_at <= timezone.now():
        raise OfferError(_("This offer has expired: make a new one if you still want to."), code="expired")
    if offer.answerer_id() != user.pk:
        if offer.by_seller:
            raise NotAllowed(_("Only the shopper can answer the seller's counter."))
        raise NotAllowed(_("Only the seller can answer this offer."))


@transaction.atomic
def offer_accept(*, offer_id: int, by: User) -> Offer:
    """The other party accepts: the item is reserved for the shopper at the offer's price, payable
    within OFFER_PAYMENT_HOURS. Raises OfferError for an offer no longer open or lapsed, NotAllowed for
    the offer's own maker, ItemUnavailable when the item is reserved or sold meanwhile."""
    listing, offer = _offer_for_party(offer_id=offer_id, user=by)
    _check_answerable(offer, by)
    order = order_place_at_offer(listing=listing, buyer=offer.buyer, price=offer.amount, by=by)
    return offer_move(offer, to=OfferStatus.ACCEPTED, by=by, message="offer.accepted", order=order)


@transaction.atomic
def offer_decline(*, offer_id: int, by: User) -> Offer:
    """The other party says no."""
    _listing, offer = _offer_for_party(offer_id=offer_id, user=by)
    _check_answerable(offer, by)
    return offer_move(
        offer, to=OfferStatus.DECLINED, by=by, message="offer.declined", reason=OfferDeclineReason.BY_PARTY
    )


@transaction.atomic
def offer_counter(*, offer_id: int, by: User, amount: object) -> Offer:
    """The other party answers with another price: the seller with more than the offer, up to the
    price; the shopper with less than the seller's counter (which counts as one of their offers).
    Returns the new, open offer."""
    value = clean_amount(amount)
    listing, offer = _offer_for_party(offer_id=offer_id, user=by)
    _check_answerable(offer, by)
    if listing.status != ListingStatus.ACTIVE:
        raise OfferError(_("This item is not on sale right now."), code="not_on_sale")
    if offer.by_seller:
        _check_below_price(value, listing)
        if value >= offer.amount:
            raise OfferError(
                _("A counter must be below the seller's %(amount)s.") % {"amount": f"{offer.amount:,.2f}"},
                code="not_below_counter",
                field="amount",
            )
        _check_limit(listing, by)
    elif not offer.amount < value <= listing.price:
        raise OfferError(
            _("A counter must be more than the offer of %(offer)s and at most the price of %(price)s.")
            % {"offer": f"{offer.amount:,.2f}", "price": f"{listing.price:,.2f}"},
            code="counter_out_of_range",
            field="amount",
        )
    offer_move(offer, to=OfferStatus.COUNTERED, by=by, message="offer.answered")
    reply = _create(
        listing=listing,
        buyer_id=offer.buyer_id,
        amount=value,
        by=by,
        by_seller=not offer.by_seller,
        reply_to=offer,
    )
    if offer.by_seller:  # the shopper's counter meets the seller's floor like any offer
        return _answer_by_rule(reply, listing)
    offer_notify(reply)
    offers_push_on_commit(reply)
    return reply


@transaction.atomic
def offer_withdraw(*, offer_id: int, by: User) -> Offer:
    """Whoever made an open offer takes it back."""
    _listing, offer = _offer_for_party(offer_id=offer_id, user=by)
    if offer.maker_id() != by.pk:
        raise NotAllowed(_("Only whoever made an offer can withdraw it."))
    if offer.status != OfferStatus.PENDING:
        raise OfferError(_("This offer is no longer open."), code="not_open")
    return offer_move(offer, to=OfferStatus.WITHDRAWN, by=by, message="offer.withdrawn")


def offers_expire_due(*, now: datetime | None = None, limit: int = EXPIRE_BATCH_SIZE) -> int:
    """Expire open offers past their time, oldest first, one short transaction each; one another
    process holds is left for the next run, and an expired one is no longer open, so running twice
    expires (and tells) each once. Returns how many."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now)
    expired = 0
    for offer_id in due.order_by("expires_at", "id").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            offer = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related(*NOTIFIED_WITH)
                .filter(pk=offer_id)
                .first()
            )
            if offer is None:
                continue
            offer_move(
                offer,
                to=OfferStatus.EXPIRED,
                by=None,
                message="offer.expired",
                params={"hours": settings.OFFER_HOURS},
            )
            expired += 1
    return expired


def offers_close_for_listing(*, listing_id: int, sold: bool) -> int:
    """The item sold (or went off sale): every offer still open on it is declined, and its shopper
    told. Caller is in the transaction that sold it. Returns how many."""
    message, reason = (
        ("offer.declined_sold", OfferDeclineReason.SOLD)
        if sold
        else ("offer.declined_off_sale", OfferDeclineReason.OFF_SALE)
    )
    closed = 0
    for offer in (
        Offer.objects.select_for_update(of=("self",))
        .select_related(*NOTIFIED_WITH)
        .filter(listing_id=listing_id, status=OfferStatus.PENDING)
        .order_by("id")
    ):
        offer_move(offer, to=OfferStatus.DECLINED, by=None, message=message, reason=reason)
        closed += 1
    return closed
