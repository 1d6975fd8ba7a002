"""Scheduling and running a show: who may host, the line-up, RSVPs, going live and ending.

Who may host: Reloop's staff (any staff role), whose line-up is Reloop's stock (recycled and
consigned items), and sellers the platform allows (the `live.host_show` permission), whose line-up is
their own listings. Every item of a line-up is on sale when it is set.
"""

import secrets
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import roles_of
from listings import photos
from listings.models import Listing, ListingStatus
from live.errors import LiveError, NotYourShow
from live.models import (
    PLATFORM_SOURCES,
    FlashSale,
    FlashSaleStatus,
    Show,
    ShowEvent,
    ShowItem,
    ShowPin,
    ShowRecording,
    ShowRsvp,
    ShowStatus,
)
from live.notices import live_notify_started
from live.realtime import publish_on_commit
from live.services.transitions import show_move

# A show's title, as its card and the room show it.
TITLE_MAX = 120
# How long before the given start a show may still be scheduled (a host who fills in the form slowly).
START_GRACE = timedelta(minutes=5)


def is_platform_host(user: User | AnonymousUser) -> bool:
    """Reloop's staff host Reloop's shows."""
    return bool(roles_of(user))


def host_permission() -> Permission:
    """The `live.host_show` permission a seller needs to host, to grant. post_migrate makes it; a
    flushed database (a transactional test) has lost it and the content type this process still
    remembers, so both are read afresh and made again if gone."""
    ContentType.objects.clear_cache()
    permission, _created = Permission.objects.get_or_create(
        codename="host_show",
        content_type=ContentType.objects.get_for_model(Show),
        defaults={"name": "Can host live shows"},
    )
    return permission


def may_host(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (is_platform_host(user) or user.has_perm("live.host_show"))


def _title_checked(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise LiveError(_("Give the show a title."), code="title_missing", field="title")
    if len(title) > TITLE_MAX:
        raise LiveError(
            _("Keep the title to %(count)s characters.") % {"count": TITLE_MAX},
            code="title_too_long",
            field="title",
        )
    return title


def _lineup_checked(*, host: User, platform: bool, listing_ids: list[int]) -> list[Listing]:
    """The line-up's listings in the host's order, each once. Raises LiveError (field `listing_ids`)
    for an empty or too long line-up, or an item that is missing, not on sale or not the host's to
    sell (Reloop's stock for a staff host). Caller is in a transaction; the listings are locked, so
    that none leaves sale while the line-up is written."""
    wanted = list(dict.fromkeys(listing_ids))
    if not wanted:
        raise LiveError(_("Add at least one item to the line-up."), code="lineup_empty", field="listing_ids")
    limit = settings.LIVE_LINEUP_MAX
    if len(wanted) > limit:
        raise LiveError(
            ngettext(
                "A line-up holds at most %(count)s item.", "A line-up holds at most %(count)s items.", limit
            )
            % {"count": limit},
            code="lineup_too_long",
            field="listing_ids",
        )
    found = {listing.pk: listing for listing in Listing.objects.select_for_update().filter(pk__in=wanted)}
    for listing_id in wanted:
        listing = found.get(listing_id)
        if listing is None or listing.status == ListingStatus.DRAFT:
            raise LiveError(
                _("Item %(id)s does not exist.") % {"id": listing_id},
                code="lineup_not_found",
                field="listing_ids",
            )
        mine = listing.source in PLATFORM_SOURCES if platform else listing.seller_id == host.pk
        if not mine:
            raise LiveError(
                _("“%(title)s” is not yours to sell in this show.") % {"title": listing.title},
                code="lineup_not_yours",
                field="listing_ids",
            )
        if listing.status != ListingStatus.ACTIVE:
            raise LiveError(
                _("“%(title)s” is not on sale.") % {"title": listing.title},
                code="lineup_not_on_sale",
                field="listing_ids",
            )
    return [found[listing_id] for listing_id in wanted]


def _lineup_write(show: Show, listings: list[Listing]) -> None:
    ShowItem.objects.filter(show=show).delete()
    ShowItem.objects.bulk_create(
        ShowItem(show=show, listing=listing, position=position) for position, listing in enumerate(listings)
    )


def _cover_store(cover: IO[bytes]) -> str:
    """Check the cover photo (listings.photos: stripped of metadata, re-encoded) and write it with its
    thumbnails. Returns its key. Raises PhotoRejected."""
    checked = photos.check_photo(cover)
    key = photos.new_key()
    photos.store_private(key, checked)
    try:
        photos.make_thumbnails(key)
    except Exception:
        photos.delete_files(key)
        raise
    return key


@transaction.atomic
def show_schedule(
    *, host: User, title: str, starts_at: datetime, listing_ids: list[int], cover: IO[bytes] | None = None
) -> Show:
    """Announce a show: its title, when it starts, its line-up and a cover photo if given. Gives it a
    secret ingest key for the host's encoder and the public URL its video will play at. Raises
    LiveError (403 for someone who may not host), or PhotoRejected for a cover that is no photo we
    accept, and writes nothing on bad input."""
    if not may_host(host):
        error = LiveError(_("Your account cannot host live shows."), code="not_a_host")
        error.status_code = 403
        raise error
    title = _title_checked(title)
    now = timezone.now()
    if starts_at < now - START_GRACE:
        raise LiveError(_("Choose a start time in the future."), code="starts_in_the_past", field="starts_at")
    ahead = settings.LIVE_SCHEDULE_DAYS_AHEAD
    if starts_at > now + timedelta(days=ahead):
        raise LiveError(
            ngettext(
                "Schedule a show at most %(count)s day ahead.",
                "Schedule a show at most %(count)s days ahead.",
                ahead,
            )
            % {"count": ahead},
            code="starts_too_far_ahead",
            field="starts_at",
        )
    platform = is_platform_host(host)
    listings = _lineup_checked(host=host, platform=platform, listing_ids=listing_ids)
    stream_name = secrets.token_hex(8)
    cover_key = _cover_store(cover) if cover is not None else ""
    try:  # the cover's files go if the show is not written after all
        show = Show.objects.create(
            host=host,
            title=title,
            cover_key=cover_key,
            starts_at=starts_at,
            platform=platform,
            ingest_key=secrets.token_urlsafe(24),
            stream_name=stream_name,
            playback_url=settings.LIVE_PLAYBACK_URL.format(stream=stream_name),
        )
    except Exception:
        if cover_key:
            photos.delete_files(cover_key)
        raise
    _lineup_write(show, listings)
    ShowEvent.objects.create(
        show=show,
        old="",
        new=ShowStatus.SCHEDULED,
        by=host,
        message="show.scheduled",
        params=ShowEvent.message_params("show.scheduled", {"items": len(listings)}),
    )
    return show


def hosted(show_id: int, by: User) -> Show:
    """The show, locked, if `by` hosts it. Raises Show.DoesNotExist, or NotYourShow (403)."""
    show = Show.objects.select_for_update().get(pk=show_id)
    if show.host_id != by.pk:
        raise NotYourShow(_("Only the show's host can do this."))
    return show


def pin_close(show: Show, now: datetime) -> None:
    """Take down whatever is pinned. Caller holds the show's row lock."""
    ShowPin.objects.filter(show=show, unpinned_at__isnull=True).update(unpinned_at=now)


@transaction.atomic
def show_lineup_set(*, show_id: int, by: User, listing_ids: list[int]) -> Show:
    """Replace the line-up of a show that has not ended, in the given order (as show_schedule checks
    it). Only the host."""
    show = hosted(show_id, by)
    if show.status not in (ShowStatus.SCHEDULED, ShowStatus.LIVE):
        raise LiveError(_("This show is over: its line-up cannot change."), code="show_over")
    _lineup_write(show, _lineup_checked(host=by, platform=show.platform, listing_ids=listing_ids))
    publish_on_commit(show.pk, "lineup")
    return show


@transaction.atomic
def show_start(*, show_id: int, by: User) -> Show:
    """The host goes live: the room opens and every shopper who asked is told (once)."""
    show = hosted(show_id, by)
    if show.status != ShowStatus.SCHEDULED:
        raise LiveError(
            _("This show cannot start: it is %(status)s.") % {"status": show.get_status_display()},
            code="not_scheduled",
        )
    recipients = list(ShowRsvp.objects.filter(show=show).values_list("user_id", flat=True))
    told = live_notify_started(
        show_id=show.pk,
        title=show.title,
        host=by.public_name,
        recipient_ids=recipients,
        link=reverse("live:room", args=[show.pk]),
    )
    show = show_move(
        show_id=show.pk, to=ShowStatus.LIVE, by=by, message="show.started", params={"rsvps": told}
    )
    show.started_at = timezone.now()
    show.save(update_fields=["started_at", "updated_at"])
    publish_on_commit(show.pk, "status", status=show.status)
    return show


@transaction.atomic
def show_cancel(*, show_id: int, by: User) -> Show:
    """The host calls off a show that has not started."""
    show = hosted(show_id, by)
    if show.status != ShowStatus.SCHEDULED:
        raise LiveError(_("Only a show that has not started can be called off."), code="not_scheduled")
    return show_move(show_id=show.pk, to=ShowStatus.CANCELLED, by=by, message="show.cancelled")


@transaction.atomic
def show_end(*, show_id: int, by: User) -> Show:
    """The host ends a live show: the pinned item is taken down and a flash sale nobody grabbed ends (one
    a shopper holds goes on while they pay)."""
    show = hosted(show_id, by)
    if show.status != ShowStatus.LIVE:
        raise LiveError(_("Only a live show can be ended."), code="not_live")
    now = timezone.now()
    pin_close(show, now)
    FlashSale.objects.filter(show=show, status=FlashSaleStatus.OPEN).update(
        status=FlashSaleStatus.ENDED, updated_at=now
    )
    show = show_move(show_id=show.pk, to=ShowStatus.ENDED, by=by, message="show.ended")
    show.ended_at = now
    show.save(update_fields=["ended_at", "updated_at"])
    if ShowRecording.objects.filter(show=show).exists():
        from live.services.replays import clips_cut_soon  # replays imports this module

        clips_cut_soon(show.pk)
    publish_on_commit(show.pk, "status", status=show.status)
    return show


def _rsvp_show(show_id: int, user: User) -> Show:
    show = Show.objects.filter(pk=show_id).first()
    if show is None:
        error = LiveError(_("No such show."), code="show_not_found")
        error.status_code = 404
        raise error
    if show.host_id == user.pk:
        raise LiveError(_("This is your own show."), code="own_show")
    return show


def show_rsvp(*, show_id: int, user: User) -> ShowRsvp:
    """Ask to be told when a scheduled show starts. Asking twice keeps one RSVP."""
    show = _rsvp_show(show_id, user)
    if show.status == ShowStatus.LIVE:
        raise LiveError(_("This show is live now: join it."), code="already_live")
    if show.status != ShowStatus.SCHEDULED:
        raise LiveError(_("This show is over."), code="show_over")
    try:
        with transaction.atomic():
            rsvp, _created = ShowRsvp.objects.get_or_create(show=show, user=user)
    except IntegrityError:  # the same shopper's second request, at the same moment
        rsvp = ShowRsvp.objects.get(show=show, user=user)
    return rsvp


def show_rsvp_cancel(*, show_id: int, user: User) -> None:
    """No longer be told. Does nothing for a shopper who had not asked."""
    _rsvp_show(show_id, user)
    ShowRsvp.objects.filter(show_id=show_id, user=user).delete()
