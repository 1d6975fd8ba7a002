"""The host's explanations of an item (讲解回放): clips cut from live shows, which the live app keeps.

The item's page, its inspection report and the staff's page of a dispute about it show them. The
live app sits above all three (listings, inspection, orders), so none of them may import it: they ask
the `listing_explained` signal (listings/signals.py) through `explanation_clips`, and live answers it
(live.replay_reads). With nothing connected (live not installed) an item simply has no clips.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from listings.models import Listing
from listings.signals import listing_explained


@dataclass(frozen=True)
class ExplanationClip:
    video_url: str
    poster_url: str
    width: int
    height: int
    show_title: str
    # When the host pinned the item: the clip's first moment, on the clock.
    pinned_at: datetime
    # Seconds into the show (from the first frame of its first stream), and seconds long.
    offset: Decimal
    duration: Decimal

    @property
    def offset_clock(self) -> str:
        """The moment in the show as h:mm:ss (0:04:07), as a player shows it."""
        return clock(self.offset)


def clock(seconds: Decimal | float) -> str:
    """Seconds as h:mm:ss, whole seconds (rounded down)."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def explanation_clips(*, listing_id: int, limit: int | None = None) -> list[ExplanationClip]:
    """The item's explanation clips, newest first, at most `limit` (all when None), from whichever app
    keeps them: one query per receiver (live's: an index scan of the item's clips)."""
    found: list[ExplanationClip] = []
    for _receiver, answer in listing_explained.send(sender=Listing, listing_id=listing_id, limit=limit):
        if isinstance(answer, list):
            found.extend(answer)
    return found if limit is None else found[:limit]
