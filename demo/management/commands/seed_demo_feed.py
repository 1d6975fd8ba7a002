"""`manage.py seed_demo_feed`: videos on a few listings, and a for-you feed with something to learn.

Run by `seed_demo` after the listings exist, through the services a seller's and a shopper's clicks
would call:

- The demo seller's first items on sale get a short video each (made here with PyAV: moving colour
  bars and a tone), checked and prepared by the video job, run here at once.
- Demo browsers (accounts of their own, who cannot sign in) look at items of two kinds each, and save
  a few; the demo shopper saves cameras and looks at phones. Their signals are written (the buffer's
  job, run here) and the neighbour job learns from them, so that the shopper's feed says "Because
  you saved …".

Running it again adds nothing: videos are made only for items without one, and the browsers'
signals only once.
"""

import random
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand

from accounts.models import User
from demo.permission import demo_data_allowed_or_refuse
from feed.models import InterestSignal, SignalKind
from feed.recording import signal_record, signals_flush
from feed.services import neighbours_rebuild
from listings.models import Favourite, Listing, ListingStatus
from listings.services import favourite_add
from listings.services.videos import listing_video_process, listing_video_upload
from marketplace.video import recording_of_bars

SELLER = "seller"
SHOPPER = "shopper"
VIDEOS = 3
VIDEO_SECONDS = 6
BROWSERS = 24
# The kinds of item each browser takes an interest in, and what the shopper saves and looks at.
TASTES = ("cameras", "phones", "watches", "bags", "sneakers", "laptops", "tablets", "jewelry")
SHOPPER_SAVES = "cameras"
SHOPPER_LOOKS = "phones"


class Command(BaseCommand):
    help = "Videos on a few listings, and signals of interest for the for-you feed (run by seed_demo)."

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_feed")
        videos = self._videos()
        signals = self._signals()
        neighbours = neighbours_rebuild()
        self.stdout.write(
            f"Feed: {videos} listing videos made; {signals} signals of interest written, "
            f"{neighbours} item neighbours learned."
        )

    def _videos(self) -> int:
        seller = User.objects.get(username=SELLER)
        items = list(
            Listing.objects.filter(seller=seller, status=ListingStatus.ACTIVE).order_by("pk")[:VIDEOS]
        )
        made = 0
        with tempfile.TemporaryDirectory(prefix="reloop-demo-video-") as work:
            for item in items:
                if item.video_key:
                    continue
                path = Path(work) / f"{item.pk}.mp4"
                recording_of_bars(path, seconds=VIDEO_SECONDS, label=item.title[:24])
                with path.open("rb") as handle:
                    video = listing_video_upload(
                        listing_id=item.pk, by=seller, upload=File(handle, name=path.name)
                    )
                listing_video_process(video_id=video.pk)  # the video job, here and now
                made += 1
        return made

    def _signals(self) -> int:
        if InterestSignal.objects.filter(user__username__startswith="browser-").exists():
            return 0
        by_taste = {
            taste: list(
                Listing.objects.filter(status=ListingStatus.ACTIVE, category__slug=taste).values_list(
                    "pk", flat=True
                )
            )
            for taste in TASTES
        }
        by_taste = {taste: ids for taste, ids in by_taste.items() if ids}
        if not by_taste:
            return 0
        chance = random.Random(7)  # the same demo every time
        for number in range(1, BROWSERS + 1):
            browser, created = User.objects.get_or_create(
                username=f"browser-{number:02d}", defaults={"display_name": f"Browser {number}"}
            )
            if created:
                browser.set_unusable_password()
                browser.save(update_fields=["password"])
            tastes = chance.sample(sorted(by_taste), k=min(2, len(by_taste)))
            for taste in tastes:
                # A few items of a kind draw most of the looks, as in a real shop.
                ids = by_taste[taste]
                popular = ids[: max(5, len(ids) // 2)]
                looked = chance.sample(popular, k=min(5, len(popular)))
                for listing_id in looked:
                    signal_record(kind=SignalKind.VIEW, listing_id=listing_id, user_id=browser.pk)
                for listing_id in looked[:2]:
                    favourite_add(user=browser, listing_id=listing_id)
                signal_record(kind=SignalKind.DWELL, listing_id=looked[0], user_id=browser.pk)
        shopper = User.objects.get(username=SHOPPER)
        for listing_id in by_taste.get(SHOPPER_SAVES, [])[:3]:
            if not Favourite.objects.filter(user=shopper, listing_id=listing_id).exists():
                favourite_add(user=shopper, listing_id=listing_id)
        for listing_id in by_taste.get(SHOPPER_LOOKS, [])[:4]:
            signal_record(kind=SignalKind.VIEW, listing_id=listing_id, user_id=shopper.pk)
        written = 0
        while batch := signals_flush(limit=10_000):  # the buffer's job, here and now
            written += batch
        return written
