"""`manage.py seed_demo_live`: a live show on now and one that has ended, with its replays.

Run by `seed_demo` after the listings exist. Everything goes through the live services a host's and
a viewer's clicks would call:

- Reloop's show, hosted by the `operations` persona (staff: Reloop's stock), live now: a line-up of
  Reloop's inspected items, one pinned, the shopper's RSVP and a few chat messages. Its video is a
  stream made here with PyAV (moving colour bars and a tone, as HLS) and served by the site itself, so
  that `make run` needs no media server. A real media server takes its place by configuration
  (LIVE_PLAYBACK_URL).
- The demo seller's show (the seller may host: `live.host_show`), ended: each pin of its line-up is
  on the show's recording (made here too), which is cut into one explanation clip per item.

Running it again creates nothing new: each show is found by its host and title.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from demo.permission import demo_data_allowed_or_refuse
from listings.models import Listing, ListingSource, ListingStatus
from listings.photos import public_storage
from live.clips import recording_of_bars
from live.models import Show, ShowPin
from live.services.chat import chat_post
from live.services.replays import show_clips_cut, show_recording_attach
from live.services.room import show_pin
from live.services.shows import host_permission, show_end, show_rsvp, show_schedule, show_start

LIVE_TITLE = "Reloop live: inspected phones and cameras"
ENDED_TITLE = "Bags and watches, explained"
HOST = "operations"
SELLER = "seller"
SHOPPER = "shopper"
# Seconds of the demo stream (played in a loop by the room) and of the ended show's recording.
STREAM_SECONDS = 60
RECORDING_SECONDS = 24
CHAT = (
    (SHOPPER, "Is the battery original?"),
    ("buyer2", "How many charge cycles?"),
    (SHOPPER, "Can you show the screen at full brightness?"),
)


class Command(BaseCommand):
    help = "A live show on now and one ended with its explanation clips (run by seed_demo)."

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_live")
        live = self._live_show()
        ended = self._ended_show()
        self.stdout.write(
            f"Live shows: “{live.title}” live now ({live.items.count()} items, "
            f"{live.chat.count()} chat messages); “{ended.title}” ended with {ended.clips.count()} clips."
        )

    def _live_show(self) -> Show:
        host = User.objects.get(username=HOST)
        found = Show.objects.filter(host=host, title=LIVE_TITLE).first()
        if found is not None:
            return found
        stock = list(
            Listing.objects.filter(
                source__in=(ListingSource.PLATFORM, ListingSource.CONSIGNED),
                status=ListingStatus.ACTIVE,
                inspected_at__isnull=False,
            ).order_by("-inspected_at", "id")[:5]
        )
        show = show_schedule(
            host=host,
            title=LIVE_TITLE,
            starts_at=timezone.now(),
            listing_ids=[listing.pk for listing in stock],
        )
        shopper = User.objects.get(username=SHOPPER)
        show_rsvp(show_id=show.pk, user=shopper)
        show = show_start(show_id=show.pk, by=host)
        playback = self._stream(show)
        if playback:
            Show.objects.filter(pk=show.pk).update(playback_url=playback, streaming_since=timezone.now())
        show_pin(show_id=show.pk, by=host, listing_id=stock[0].pk)
        for username, text in CHAT:
            author = User.objects.filter(username=username).first()
            if author is not None:
                chat_post(show_id=show.pk, author=author, text=text)
        return show

    def _stream(self, show: Show) -> str:
        """The demo show's video, as HLS the site serves from its media folder: its playlist's URL.
        None where media is not on this machine's disk (object storage): the show then has no picture."""
        storage = public_storage()
        try:
            folder = Path(storage.path(f"live/demo/{show.stream_name}"))
        except NotImplementedError:
            return ""
        folder.mkdir(parents=True, exist_ok=True)
        recording_of_bars(folder / "index.m3u8", seconds=STREAM_SECONDS, label="Reloop live")
        return f"{settings.MEDIA_URL}live/demo/{show.stream_name}/index.m3u8"

    def _ended_show(self) -> Show:
        seller = User.objects.get(username=SELLER)
        found = Show.objects.filter(host=seller, title=ENDED_TITLE).first()
        if found is not None:
            return found
        seller.user_permissions.add(host_permission())
        seller = User.objects.get(pk=seller.pk)  # permissions are cached per instance
        items = list(Listing.objects.filter(seller=seller, status=ListingStatus.ACTIVE).order_by("id")[:3])
        began = timezone.now() - timedelta(hours=3)
        show = show_schedule(
            host=seller, title=ENDED_TITLE, starts_at=timezone.now(), listing_ids=[item.pk for item in items]
        )
        show_start(show_id=show.pk, by=seller)
        # What the host did on camera: each item pinned for a few seconds of the recording.
        step = RECORDING_SECONDS / max(1, len(items))
        for index, item in enumerate(items):
            ShowPin.objects.create(
                show=show,
                listing=item,
                pinned_at=began + timedelta(seconds=index * step + 1),
                unpinned_at=began + timedelta(seconds=(index + 1) * step - 1),
            )
        Show.objects.filter(pk=show.pk).update(streaming_since=began, started_at=began)
        show_end(show_id=show.pk, by=seller)
        Show.objects.filter(pk=show.pk).update(ended_at=began + timedelta(seconds=RECORDING_SECONDS))
        with tempfile.TemporaryDirectory(prefix="reloop-demo-show-") as work:
            recording = Path(work) / "show.flv"
            recording_of_bars(recording, seconds=RECORDING_SECONDS, label="Bags and watches")
            show_recording_attach(show_id=show.pk, source=recording, started_at=began)
        show_clips_cut(show_id=show.pk)
        return Show.objects.get(pk=show.pk)
