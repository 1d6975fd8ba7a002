"""Live shows (直播): a host sells a line-up of items on camera, scheduled → live → ended.

Reloop stores what it needs to route video, never the video itself while it streams: the host's
secret ingest key (the RTMP stream key an encoder such as OBS sends to the media server) and the
public playback URL that the media server serves HLS at (settings.LIVE_PLAYBACK_URL). Any media
server that takes RTMP and writes HLS can stand behind them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from marketplace.status_events import Catalog, StatusEvent


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
