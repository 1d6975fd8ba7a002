"""What the host does in the room: pin an item to every viewer's card, and take it down.

One item is pinned at a time; pinning another takes the first down. Each pin's span (pinned → taken
down) is the host's explanation of the item, which becomes its clip after the show.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from live.errors import LiveError
from live.models import FlashSale, FlashSaleStatus, Show, ShowItem, ShowPin, ShowStatus
from live.realtime import publish_on_commit
from live.services.shows import hosted, pin_close


def require_live(show: Show) -> None:
    """Raise LiveError unless the show is live: the host drives only a live show's room."""
    if show.status != ShowStatus.LIVE:
        raise LiveError(_("The show is not live."), code="not_live")


def flash_sales_close_expired(show: Show, now: datetime) -> None:
    """End the show's open flash sales whose countdown ran out with nobody grabbing. Caller holds the
    show's row lock."""
    FlashSale.objects.filter(show=show, status=FlashSaleStatus.OPEN, ends_at__lte=now).update(
        status=FlashSaleStatus.ENDED, updated_at=now
    )


def require_no_flash_sale(show: Show, now: datetime) -> None:
    """Raise LiveError while a flash sale's countdown runs (one that ran out unclaimed is ended
    first). Caller holds the show's row lock."""
    flash_sales_close_expired(show, now)
    if FlashSale.objects.filter(show=show, status=FlashSaleStatus.OPEN).exists():
        raise LiveError(_("A flash sale is running: wait for its countdown to end."), code="flash_running")


@transaction.atomic
def show_pin(*, show_id: int, by: User, listing_id: int) -> ShowPin:
    """Pin an item of the line-up to every viewer's card, taking down the one pinned before. Only the
    host, while the show is live and no flash sale runs."""
    show = hosted(show_id, by)
    require_live(show)
    item = ShowItem.objects.filter(show=show, listing_id=listing_id).select_related("listing").first()
    if item is None:
        raise LiveError(
            _("That item is not in this show's line-up."), code="not_in_lineup", field="listing_id"
        )
    now = timezone.now()
    require_no_flash_sale(show, now)
    pin_close(show, now)
    pin = ShowPin.objects.create(show=show, listing_id=listing_id, pinned_at=now)
    listing = item.listing
    publish_on_commit(
        show.pk,
        "pinned",
        listing=listing.pk,
        title=listing.title,
        price=listing.price,
        grade=listing.grade,
        status=listing.status,
        report_code=listing.report_code,
        at=now,
    )
    return pin


@transaction.atomic
def show_unpin(*, show_id: int, by: User) -> None:
    """Take the pinned item down. Only the host, while no flash sale runs; nothing pinned is not an
    error."""
    show = hosted(show_id, by)
    require_live(show)
    now = timezone.now()
    require_no_flash_sale(show, now)
    pin_close(show, now)
    publish_on_commit(show.pk, "unpinned", at=now)
