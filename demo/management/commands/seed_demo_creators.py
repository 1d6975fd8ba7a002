"""`manage.py seed_demo_creators`: two creators with videos that sell demo items, and their commission.

Run by `seed_demo` after the feed, through the services a person's clicks would call:

- `creator` (Maya) and `creator2` (阿杰) apply and operations approve them; a demo browser's
  application waits on the staff desk. Cameras carry an 8% rate of their own.
- Each creator saves a few items of their subject (cameras, phones) and posts a video (made here with
  PyAV; the video job runs at once) featuring two of them, with a tracked link per item.
- The demo shopper opens Maya's link and buys: the order completes and the commission is paid to her
  wallet. They open 阿杰's link and buy another: paid, still running, so its commission is pending.
  阿杰 buys through his own link too: that earns nothing, and his dashboard says why.

Running it again adds nothing: a creator who has a video is left as they are.
"""

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.db.models import F

from accounts.models import User
from demo.management.commands.seed_demo_orders import Command as OrdersCommand
from demo.management.commands.seed_demo_orders import jobs_in_process
from demo.permission import demo_data_allowed_or_refuse
from feed.models import Creator, CreatorLink, CreatorVideo
from feed.services.creator_videos import creator_video_process
from feed.services.creators import (
    category_rate_set,
    creator_apply,
    creator_decide,
    creator_video_upload,
    link_click,
)
from listings.models import Category, Listing, ListingSource, ListingStatus
from listings.services import favourite_add
from marketplace.video import recording_of_bars
from orders.models import Order

SHOPPER = "shopper"
OPERATIONS = "operations"
# username, handle, pitch, caption, the category of the items the video features
CREATORS = (
    (
        "creator",
        "maya-films",
        "Film cameras: how they feel, what to check.",
        "Two cameras I would buy again",
        "cameras",
    ),
    ("creator2", "ajie-tech", "数码好物 真实测评 只推验过的货。", "验过的好手机 跟着买不踩坑", "phones"),
)
WAITING = (
    "browser-01",
    "window-shopper",
    "I post outfits every week and would like to add second-hand finds.",
)
# The creators feature private sellers' items, other than their own and the demo seller's: Reloop's
# stock and consigned items, and the demo seller's listings, are what other demo steps and the pages'
# tests follow.
LEFT_ALONE = ("creator", "creator2", "seller")
VIDEO_SECONDS = 6
ITEMS_PER_VIDEO = 2


class Command(BaseCommand):
    help = (
        "Two creators with videos featuring demo items, and commissions pending and paid (run by seed_demo)."
    )

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_creators")
        if CreatorVideo.objects.exists():
            self.stdout.write("Creators: seeded already.")
            return
        operations = User.objects.get(username=OPERATIONS)
        cameras = Category.objects.filter(slug="cameras").first()
        if cameras is not None:
            category_rate_set(category_id=cameras.pk, by=operations, rate="8")
        videos = []
        with tempfile.TemporaryDirectory(prefix="reloop-demo-creator-") as work, jobs_in_process():
            for username, handle, pitch, caption, category in CREATORS:
                user = User.objects.get(username=username)
                creator = Creator.objects.filter(user=user).first() or creator_apply(
                    user=user, handle=handle, pitch=pitch
                )
                if not creator.is_approved:
                    creator_decide(creator_id=creator.pk, by=operations, approve=True)
                # Private sellers' items of the category on sale (inspected ones first), which the
                # creator saved too: what the "post a video" form offers them.
                featured = list(
                    Listing.objects.filter(category__slug=category, status=ListingStatus.ACTIVE)
                    .exclude(seller__username__in=LEFT_ALONE)
                    .filter(source=ListingSource.PERSON)
                    .exclude(creator_links__isnull=False)
                    .order_by(F("inspected_at").desc(nulls_last=True), "-pk")[: ITEMS_PER_VIDEO + 2]
                )
                if len(featured) < ITEMS_PER_VIDEO:  # a small demo: any items on sale will do
                    featured += list(
                        Listing.objects.filter(status=ListingStatus.ACTIVE)
                        .exclude(seller__username__in=LEFT_ALONE)
                        .filter(source=ListingSource.PERSON)
                        .exclude(pk__in=[each.pk for each in featured])
                        .exclude(creator_links__isnull=False)
                        .order_by("-pk")[: ITEMS_PER_VIDEO - len(featured)]
                    )
                for listing in featured:
                    favourite_add(user=user, listing_id=listing.pk)
                featured = featured[:ITEMS_PER_VIDEO]
                if not featured:
                    continue
                path = Path(work) / f"{handle}.mp4"
                recording_of_bars(path, seconds=VIDEO_SECONDS, label=f"@{handle}")
                with path.open("rb") as handle_file:
                    video = creator_video_upload(
                        by=user,
                        upload=File(handle_file, name=path.name),
                        caption=caption,
                        listing_ids=[each.pk for each in featured],
                    )
                creator_video_process(video_id=video.pk)  # the video job, here and now
                videos.append(video)
            self._waiting_application()
            bought = self._purchases(videos)
        self.stdout.write(f"Creators: {len(videos)} videos posted; {bought} orders through their links.")

    @staticmethod
    def _waiting_application() -> None:
        username, handle, pitch = WAITING
        user = User.objects.filter(username=username).first()
        if user is not None and not Creator.objects.filter(user=user).exists():
            creator_apply(user=user, handle=handle, pitch=pitch)

    @staticmethod
    def _purchases(videos: list[CreatorVideo]) -> int:
        if len(videos) < 2:
            return 0
        shopper = User.objects.get(username=SHOPPER)
        operations = User.objects.get(username=OPERATIONS)
        maya_links, ajie_links = (
            list(CreatorLink.objects.filter(video=video).order_by("pk")) for video in videos[:2]
        )
        bought = 0

        def buy(buyer: User, link: CreatorLink) -> Order | None:
            """Follow the link and buy its item, if it is still on sale."""
            nonlocal bought
            if Listing.objects.filter(pk=link.listing_id, status=ListingStatus.ACTIVE).exists():
                link_click(code=link.code, user=buyer, session_key="")
                bought += 1
                return OrdersCommand._paid(buyer, link.listing)
            return None

        # The shopper follows Maya's link and buys; the order completes: her commission is paid.
        order = buy(shopper, maya_links[0])
        if order is not None:
            OrdersCommand._take_to("completed", order, shopper=shopper, operations=operations)
        # And 阿杰's: paid, on its way, so his commission is pending.
        buy(shopper, ajie_links[0])
        # 阿杰 buys the other item of his video through his own link: no commission, and why.
        if len(ajie_links) > 1:
            buy(videos[1].creator.user, ajie_links[-1])
        return bought
