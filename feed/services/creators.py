"""Writes for creators: applying and staff's decision, the commission rates, videos and their tracked
links, and the clicks on them. The commission itself is feed.services.commissions'.

Who may: anyone signed in applies; operations staff decide applications and set the category rates;
a private seller raises the rate on their own items; only an approved creator posts videos and adds
links, to items on sale that are not their own.
"""

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS, RoleRequired, is_platform_role
from feed import creators
from feed.errors import CreatorError, NotACreator
from feed.models import (
    CategoryCommissionRate,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    ListingCommissionRate,
    rate_percent,
)
from feed.notices import creator_notify_decided
from listings import videos
from listings.errors import ListingError
from listings.models import Category, Listing, ListingSource, ListingStatus
from listings.photos import new_key
from marketplace.jobs import enqueue_on_commit

HANDLE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,29}$")
# How many items one video may feature.
MAX_ITEMS_PER_VIDEO = 6
# The alphabet of link codes: no letters that read alike (0/O, 1/l/I).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10


def _clean_handle(value: object) -> str:
    handle = str(value or "").strip().lstrip("@").lower()
    if not HANDLE.match(handle):
        raise CreatorError(
            _("A handle is 3 to 30 letters, digits, “-” or “_”, starting with a letter or digit."),
            code="handle",
            field="handle",
        )
    return handle


def _clean_text(value: object, *, field: str, max_length: int, message: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > max_length:
        raise CreatorError(message, code=field, field=field)
    return text


@transaction.atomic
def creator_apply(*, user: User, handle: object, pitch: object) -> Creator:
    """Apply to be a creator, or apply again after a refusal. Raises CreatorError for a bad handle
    or pitch, a handle someone else has, or an application that is waiting or approved already."""
    handle = _clean_handle(handle)
    pitch = _clean_text(
        pitch,
        field="pitch",
        max_length=1000,
        message=_("Say in up to 1,000 characters what you will post about."),
    )
    creator = Creator.objects.select_for_update().filter(user=user).first()
    if creator is not None and creator.status != CreatorStatus.REFUSED:
        raise CreatorError(
            _("You have applied already.")
            if creator.status == CreatorStatus.APPLIED
            else _("You are a creator already."),
            code="already_applied",
        )
    if Creator.objects.filter(handle=handle).exclude(user=user).exists():
        raise CreatorError(_("That handle is taken; choose another."), code="handle_taken", field="handle")
    try:
        with transaction.atomic():
            if creator is None:
                return Creator.objects.create(user=user, handle=handle, pitch=pitch)
            creator.handle, creator.pitch, creator.status = handle, pitch, CreatorStatus.APPLIED
            creator.reason, creator.decided_by, creator.decided_at = "", None, None
            creator.created_at = timezone.now()
            creator.save()
            return creator
    except IntegrityError:  # the same handle taken at the same moment
        raise CreatorError(
            _("That handle is taken; choose another."), code="handle_taken", field="handle"
        ) from None


@transaction.atomic
def creator_decide(*, creator_id: int, by: User, approve: bool, reason: object = "") -> Creator:
    """Operations approve or refuse an application; a refusal says why, and the applicant is told.
    Raises RoleRequired for anyone else, CreatorError for a refusal without a reason or an
    application decided already, Creator.DoesNotExist for none."""
    if not is_platform_role(by, OPERATIONS):  # Reloop's own operations, not a partner's
        raise RoleRequired(OPERATIONS)
    creator = Creator.objects.select_for_update().select_related("user").get(pk=creator_id)
    if creator.status != CreatorStatus.APPLIED:
        raise CreatorError(_("This application was decided already."), code="already_decided")
    reason_text = "" if approve else str(reason or "").strip()
    if not approve and not reason_text:
        raise CreatorError(_("Say why the application is refused."), code="reason", field="reason")
    if len(reason_text) > 300:
        raise CreatorError(_("Keep the reason under 300 characters."), code="reason", field="reason")
    creator.status = CreatorStatus.APPROVED if approve else CreatorStatus.REFUSED
    creator.reason = "" if approve else reason_text
    creator.decided_by, creator.decided_at = by, timezone.now()
    creator.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    creator_notify_decided(creator=creator, link=reverse("feed:creator_dashboard"))
    return creator


def category_rate_set(*, category_id: int, by: User, rate: object) -> CategoryCommissionRate:
    """Operations set the creators' commission rate of a category, as a percentage from 0 to 50.
    Links shared before keep their rate for CREATOR_RATE_LOCK_DAYS. Raises RoleRequired, CreatorError
    for a rate out of range, Category.DoesNotExist."""
    if not is_platform_role(by, OPERATIONS):  # Reloop's own operations, not a partner's
        raise RoleRequired(OPERATIONS)
    value = creators.rate_from_percent(rate)
    category = Category.objects.get(pk=category_id)
    row, _created = CategoryCommissionRate.objects.update_or_create(
        category=category, defaults={"rate": value, "updated_by": by, "updated_at": timezone.now()}
    )
    return row


@transaction.atomic
def listing_rate_set(*, listing_id: int, by: User, rate: object) -> Listing:
    """A private seller offers creators more than the category's rate on one of their items; a rate
    equal to the category's takes their own away. Raises Listing.DoesNotExist for anyone else's item
    (or Reloop's stock), CreatorError for a rate out of range or below the category's."""
    listing = Listing.objects.select_for_update().get(pk=listing_id, seller=by, source=ListingSource.PERSON)
    value = creators.rate_from_percent(rate)
    base = creators.category_rate(listing)
    if value < base:
        raise CreatorError(
            _("The rate for %(category)s is %(percent)s%%; you may offer more, not less.")
            % {"category": listing.category, "percent": rate_percent(base)},
            code="rate_below_category",
            field="rate",
        )
    if value == base:
        ListingCommissionRate.objects.filter(listing=listing).delete()
    else:
        ListingCommissionRate.objects.update_or_create(
            listing=listing, defaults={"rate": value, "updated_at": timezone.now()}
        )
    return listing


def _approved(user: User, *, lock: bool = False) -> Creator:
    rows = Creator.objects.filter(user=user, status=CreatorStatus.APPROVED)
    creator = (rows.select_for_update() if lock else rows).first()
    if creator is None:
        raise NotACreator(_("Only an approved creator can post videos and share links."))
    return creator


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _linkable(creator: Creator, listing_ids: Iterable[object]) -> list[Listing]:
    """The items a creator may feature, locked, in the order given; CreatorError for any that is
    unknown, not on sale, or their own."""
    ids: list[int] = []
    for value in listing_ids:
        try:
            listing_id = int(str(value))
        except ValueError:
            raise CreatorError(
                _("Choose items from the channel."), code="listings", field="listings"
            ) from None
        if listing_id not in ids:
            ids.append(listing_id)
    if not ids:
        raise CreatorError(_("Choose at least one item your video shows."), code="listings", field="listings")
    if len(ids) > MAX_ITEMS_PER_VIDEO:
        raise CreatorError(
            _("A video may feature at most %(count)s items.") % {"count": MAX_ITEMS_PER_VIDEO},
            code="listings",
            field="listings",
        )
    found = Listing.objects.select_for_update().in_bulk(ids)
    chosen = []
    for listing_id in ids:
        listing = found.get(listing_id)
        if listing is None or listing.status != ListingStatus.ACTIVE:
            raise CreatorError(
                _("Item %(id)s is not on sale: a link can only point at an item on sale.")
                % {"id": listing_id},
                code="not_on_sale",
                field="listings",
            )
        if creators.is_own_item(listing, creator.user_id):
            raise CreatorError(
                _("“%(title)s” is your own item: creators earn commission on other people's items.")
                % {"title": listing.title},
                code="own_item",
                field="listings",
            )
        chosen.append(listing)
    return chosen


def _link_create(video: CreatorVideo, listing: Listing, now) -> CreatorLink:
    return CreatorLink.objects.create(
        video=video,
        listing=listing,
        code=_new_code(),
        rate=creators.current_rate(listing),
        rate_locked_until=now + timedelta(days=settings.CREATOR_RATE_LOCK_DAYS),
        created_at=now,
    )


def creator_video_upload(
    *, by: User, upload: IO[bytes], caption: object, listing_ids: Iterable[object]
) -> CreatorVideo:
    """Post a video featuring items on sale, with a tracked link to each carrying today's rate; the
    video job makes it fit for the web once committed (feed.tasks.process_creator_video). Raises
    NotACreator, CreatorError for a bad caption or item, ListingError `too_large` past
    LISTING_VIDEO_MAX_BYTES. Nothing is left behind when it raises."""
    from feed.tasks import process_creator_video

    caption = _clean_text(
        caption, field="caption", max_length=200, message=_("Write a caption of up to 200 characters.")
    )
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > settings.LISTING_VIDEO_MAX_BYTES:
        raise ListingError(videos.too_large_message(), code="too_large", field="video")
    with transaction.atomic():
        creator = _approved(by, lock=True)
        listings = _linkable(creator, listing_ids)
        key = new_key()
        videos.store_original(key, upload)
        try:
            now = timezone.now()
            video = CreatorVideo.objects.create(
                creator=creator,
                caption=caption,
                key=key,
                size=size,
                uploaded_by=by,
                created_at=now,
                updated_at=now,
            )
            for listing in listings:
                _link_create(video, listing, now)
        except Exception:
            videos.delete_original(key)
            raise
        enqueue_on_commit(process_creator_video, video.pk)
    return video


@transaction.atomic
def creator_link_add(*, by: User, video_id: int, listing_id: object) -> CreatorLink:
    """Add a tracked link to one more item to the creator's own video. Raises NotACreator,
    CreatorVideo.DoesNotExist for someone else's video, CreatorError for an item not on sale, their
    own, or featured already, or a video with MAX_ITEMS_PER_VIDEO links."""
    creator = _approved(by, lock=True)
    video = CreatorVideo.objects.get(pk=video_id, creator=creator)
    (listing,) = _linkable(creator, [listing_id])
    if CreatorLink.objects.filter(video=video, listing=listing).exists():
        raise CreatorError(
            _("This video links to that item already."), code="linked_already", field="listing"
        )
    if CreatorLink.objects.filter(video=video).count() >= MAX_ITEMS_PER_VIDEO:
        raise CreatorError(
            _("A video may feature at most %(count)s items.") % {"count": MAX_ITEMS_PER_VIDEO},
            code="listings",
            field="listing",
        )
    return _link_create(video, listing, timezone.now())


def link_click(*, code: str, user: User | None, session_key: str) -> tuple[CreatorLink, LinkClick | None]:
    """Count a click on a link; returns the link (the caller opens its item) and the click. A
    signed-out visitor's click is theirs by session, and the caller keeps its id in the session so
    that it becomes theirs when they sign in (`link_clicks_claim`); with neither a user nor a session
    nothing is counted. Raises CreatorLink.DoesNotExist."""
    link = CreatorLink.objects.select_related("listing").get(code=code)
    if user is None and not session_key:
        return link, None
    click = LinkClick.objects.create(
        link=link, user=user, session_key="" if user is not None else session_key
    )
    return link, click


def link_clicks_claim(*, user: User, click_ids: Iterable[int]) -> int:
    """A visitor signed in: the clicks they made signed out (their ids, kept in the session, which
    signing in renews) become theirs. Returns how many."""
    ids = [int(each) for each in click_ids][-50:]
    if not ids:
        return 0
    return LinkClick.objects.filter(pk__in=ids, user__isnull=True).update(user=user, session_key="")
