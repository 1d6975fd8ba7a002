"""Live shows (直播): a host sells a line-up of items on camera, scheduled → live → ended.

Reloop stores what it needs to route video, never the video itself while it streams: the host's
secret ingest key (the RTMP stream key an encoder such as OBS sends to the media server) and the
public playback URL that the media server serves HLS at (settings.LIVE_PLAYBACK_URL). Any media
server that takes RTMP and writes HLS can stand behind them.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Listing, ListingSource, thumbnail_url
from marketplace.status_events import Catalog, StatusEvent

# The line-up of a staff host: what Reloop sells itself.
PLATFORM_SOURCES = (ListingSource.PLATFORM, ListingSource.CONSIGNED)


class ShowStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")  # announced; shoppers can RSVP
    LIVE = "live", _("Live")  # the host started it; the room is open
    ENDED = "ended", _("Ended")  # over; its recording and clips remain
    CANCELLED = "cancelled", _("Cancelled")  # called off before it started


class Show(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("host"), related_name="shows", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=120)
    # The cover photo's key (listings.photos: checked, stripped of metadata, thumbnails in public
    # storage); empty for none, when the first item of the line-up stands in.
    cover_key = models.CharField(_("cover"), max_length=32, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ShowStatus.choices, default=ShowStatus.SCHEDULED
    )
    # Whether the line-up is Reloop's own stock (a staff host) rather than the host's listings.
    platform = models.BooleanField(_("Reloop's show"), default=False)
    # The RTMP stream key: secret, shown to the host alone. The public name the media server serves
    # the show's HLS under is `stream_name`, so that a viewer never learns the key.
    ingest_key = models.CharField(_("ingest key"), max_length=64, unique=True)
    stream_name = models.CharField(_("stream name"), max_length=32, unique=True)
    playback_url = models.CharField(_("playback URL"), max_length=300)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # When the current stream began: set each time the media server takes the host's stream (and
    # begins recording it), so an encoder that reconnects starts it again; empty until the first.
    streaming_since = models.DateTimeField(_("streaming since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("live show")
        verbose_name_plural = _("live shows")
        permissions = [("host_show", _("Can host live shows"))]
        indexes = [
            # The channel's top row: shows live now or coming, soonest first.
            models.Index(
                fields=["starts_at", "id"],
                name="show_upcoming",
                condition=Q(status__in=["scheduled", "live"]),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def cover_url(self, width: int) -> str:
        """The cover's thumbnail `width` wide (one of LISTING_THUMBNAIL_WIDTHS); empty without one."""
        return thumbnail_url(self.cover_key, width) if self.cover_key else ""

    @property
    def stream_key(self) -> str:
        """What the host's encoder sends as its stream key: the public stream name, with the secret
        ingest key as an argument that the media server passes to Reloop (live.media_hooks) and never
        names its files after."""
        return f"{self.stream_name}?key={self.ingest_key}"


class ShowEvent(StatusEvent):
    """One row per status change of a show: its timeline."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="events", on_delete=models.CASCADE)
    old = models.CharField(_("old status"), max_length=10, choices=ShowStatus.choices, blank=True)
    new = models.CharField(_("new status"), max_length=10, choices=ShowStatus.choices)

    class Meta:
        verbose_name = _("show event")
        verbose_name_plural = _("show events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @classmethod
    def catalog(cls) -> Catalog:
        from live.messages import MESSAGES

        return MESSAGES


class ShowItem(models.Model):
    """One listing of a show's line-up, in the order the host will present them."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="items", on_delete=models.CASCADE)
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("line-up item")
        verbose_name_plural = _("line-up items")
        ordering = ["show", "position"]
        constraints = [
            models.UniqueConstraint(fields=["show", "listing"], name="show_item_once"),
            models.UniqueConstraint(fields=["show", "position"], name="show_item_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.show_id} #{self.position}: {self.listing_id}"


class ShowRsvp(models.Model):
    """A shopper asked to be told when the show starts."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="rsvps", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shopper"), related_name="+", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["show", "user"], name="show_rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.show_id}"


class ShowPin(models.Model):
    """An item the host pinned: on every viewer's card from `pinned_at` until `unpinned_at`. The span
    is the host's explanation of the item (讲解), which becomes its clip after the show."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="pins", on_delete=models.CASCADE)
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    pinned_at = models.DateTimeField(_("pinned at"))
    unpinned_at = models.DateTimeField(_("unpinned at"), null=True, blank=True)
    # When its clip was deleted at the end of its keeping (live.services.replays.clips_expire): the
    # clip job does not cut it again from the recording.
    clip_expired_at = models.DateTimeField(_("clip deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        ordering = ["show", "pinned_at", "id"]
        constraints = [
            # One item on the card at a time.
            models.UniqueConstraint(
                fields=["show"], condition=Q(unpinned_at__isnull=True), name="show_pin_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.show_id}: {self.listing_id} from {self.pinned_at:%H:%M:%S}"


class FlashSaleStatus(models.TextChoices):
    OPEN = "open", _("Open")  # the countdown runs; the first grab wins
    TAKEN = "taken", _("Taken")  # a shopper holds the item while they pay
    SOLD = "sold", _("Sold")  # paid
    ENDED = "ended", _("Ended")  # the countdown ran out, or the wait-list did, with the item unsold


class FlashSale(models.Model):
    """A flash sale ("grab", 秒杀) on the pinned item: a price no higher than the item's lowest in the
    last 30 days, for a countdown. The first shopper to grab it has it reserved through the usual
    checkout; the others may join the wait-list, offered the item in turn if the holder does not pay."""

    show = models.ForeignKey(
        Show, verbose_name=_("show"), related_name="flash_sales", on_delete=models.CASCADE
    )
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    price = models.DecimalField(_("flash price"), max_digits=12, decimal_places=2)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=FlashSaleStatus.choices, default=FlashSaleStatus.OPEN
    )
    # The order of whoever holds or bought the item: the winner's, then each wait-listed shopper's.
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="flash_sale_price_positive"),
            # One flash sale at a time per show.
            models.UniqueConstraint(fields=["show"], condition=Q(status="open"), name="flash_sale_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} at {self.price}"


class WaitlistEntry(models.Model):
    """A shopper who grabbed too late and asked to be offered the item if the holder does not pay."""

    flash_sale = models.ForeignKey(
        FlashSale, verbose_name=_("flash sale"), related_name="waitlist", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shopper"), related_name="+", on_delete=models.CASCADE
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    # When the item was offered to them (reserved at the flash price), or why it could not be.
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    skipped = models.CharField(_("skipped because"), max_length=40, blank=True)  # an orders error code

    class Meta:
        verbose_name = _("wait-list entry")
        verbose_name_plural = _("wait-list entries")
        ordering = ["flash_sale", "joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["flash_sale", "user"], name="waitlist_once")]

    def __str__(self) -> str:
        return f"{self.user_id} waits for {self.flash_sale_id}"


class ShowModerator(models.Model):
    """A viewer the host appointed to keep the chat civil: they may mute viewers and remove messages."""

    show = models.ForeignKey(
        Show, verbose_name=_("show"), related_name="moderators", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderator"), related_name="+", on_delete=models.CASCADE
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderator")
        verbose_name_plural = _("moderators")
        constraints = [models.UniqueConstraint(fields=["show", "user"], name="show_moderator_once")]

    def __str__(self) -> str:
        return f"{self.user_id} moderates {self.show_id}"


class ShowMute(models.Model):
    """A viewer muted in a show's chat: they can watch, not write."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="mutes", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("viewer"), related_name="+", on_delete=models.CASCADE
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("muted by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    at = models.DateTimeField(_("muted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("muted viewer")
        verbose_name_plural = _("muted viewers")
        constraints = [models.UniqueConstraint(fields=["show", "user"], name="show_mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.show_id}"


class ChatMessage(models.Model):
    """A viewer's message in a show's chat, contact details masked before it is stored
    (marketplace.contact_masking), as in conversations."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="chat", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), related_name="+", on_delete=models.CASCADE
    )
    text = models.CharField(_("text"), max_length=200)
    masked = models.JSONField(_("hidden contact details"), default=list, blank=True)
    at = models.DateTimeField(_("sent at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [
            # The chat's history, newest first, and one author's recent messages (the flood limit).
            models.Index(fields=["show", "-at", "-id"], name="chat_recent"),
            models.Index(fields=["show", "author", "-at"], name="chat_author_recent"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ShowRecording(models.Model):
    """One stream of the show as the media server recorded it (kept private): a show has one per
    stream, so an encoder that reconnects adds another. A moment of the show is in the recording whose
    span [started_at, started_at + duration] holds it, `moment - started_at` seconds into its file."""

    show = models.ForeignKey(
        Show, verbose_name=_("show"), related_name="recordings", on_delete=models.CASCADE
    )
    key = models.CharField(_("file"), max_length=200)  # in private storage
    # The file as the media server named it when it handed it over: the same file handed over twice
    # is kept once. Empty for the recordings kept before it was noted (one per show).
    source = models.CharField(_("media server's file"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("recording started at"))
    duration = models.DecimalField(_("seconds long"), max_digits=8, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["show", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "source"], condition=~Q(source=""), name="show_recording_source_once"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def ends_at(self) -> datetime:
        return self.started_at + timedelta(seconds=float(self.duration))


class ShowClip(models.Model):
    """The host's explanation of one item (讲解回放): the recording between its pin and its unpin, as
    a video of its own with a poster, shown on the item's page, its report and a dispute about it."""

    show = models.ForeignKey(Show, verbose_name=_("show"), related_name="clips", on_delete=models.CASCADE)
    pin = models.OneToOneField(ShowPin, verbose_name=_("pin"), related_name="clip", on_delete=models.CASCADE)
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), related_name="+", on_delete=models.CASCADE
    )
    video_key = models.CharField(_("video"), max_length=200)  # in public storage
    poster_key = models.CharField(_("poster"), max_length=200)
    offset = models.DecimalField(_("seconds into the show"), max_digits=8, decimal_places=2)
    duration = models.DecimalField(_("seconds long"), max_digits=8, decimal_places=2)
    width = models.PositiveSmallIntegerField(_("width"))
    height = models.PositiveSmallIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clip")
        verbose_name_plural = _("clips")
        ordering = ["show", "offset"]
        indexes = [
            # An item's clips, newest first: its page, its report and a dispute about it show them.
            models.Index(fields=["listing", "-created_at"], name="clip_listing_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} at {self.offset} s"

    @property
    def video_url(self) -> str:
        return storages["default"].url(self.video_key)

    @property
    def poster_url(self) -> str:
        return storages["default"].url(self.poster_key)
