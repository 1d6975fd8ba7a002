"""The buyer rates the seller once per order, after it completed (or a dispute was decided).

The seller's `rating_count` and `rating_points` move with F() in the same transaction as the rating,
so the storefront and listings read the score from the user row; the order's OneToOne rating is what
makes a second rating impossible, even from two requests at once.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import seller_rating_add
from listings.page_cache import listing_pages_forget_on_commit
from orders.errors import OrderError
from orders.models import Order, OrderStatus, Rating

RATABLE_STATUSES = (OrderStatus.COMPLETED, OrderStatus.RESOLVED)


def _clean_score(value: object, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise OrderError(_("Give a score from 1 to 5."), code="score", field=field)
    return value


@transaction.atomic
def rating_submit(
    *, order_id: int, buyer: User, accuracy: int, service: int, shipping: int, comment: str = ""
) -> Rating:
    """Rate the seller of the buyer's completed or resolved order: item as described, service and
    shipping, each 1 to 5, and an optional comment. Anyone but the buyer (the seller included) gets
    Order.DoesNotExist. Raises OrderError for a second rating or an order not yet done."""
    scores = {
        "accuracy": _clean_score(accuracy, field="accuracy"),
        "service": _clean_score(service, field="service"),
        "shipping": _clean_score(shipping, field="shipping"),
    }
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > 500:
        raise OrderError(
            _("Write at most %(count)d characters.") % {"count": 500}, code="too_long", field="comment"
        )
    if "\x00" in comment:
        raise OrderError(
            _("This text contains a character that cannot be stored."), code="invalid", field="comment"
        )
    order = Order.objects.get(pk=order_id, buyer_id=buyer.pk)
    if order.status not in RATABLE_STATUSES:
        raise OrderError(_("You can rate the seller once the order is completed."), code="not_completed")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(order=order, seller_id=order.seller_id, comment=comment, **scores)
    except IntegrityError:
        raise OrderError(_("You have already rated this order."), code="already_rated") from None
    seller_rating_add(seller_id=order.seller_id, points=sum(scores.values()))
    listing_pages_forget_on_commit(order.listing_id)
    return rating
