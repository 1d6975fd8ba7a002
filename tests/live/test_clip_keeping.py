"""How long an explanation clip is kept: while its item is unsold, and after a sale for the buyer's
return window (when a dispute may be opened) plus LIVE_CLIP_KEEP_DAYS from the delivery; an open
dispute keeps it whatever the dates. Then the daily job deletes the clip and its files, once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from listings.photos import public_storage
from live.models import ShowClip, ShowPin
from live.services.replays import clips_expire, show_clips_cut, shows_missing_clips
from live.tasks import expire_clips
from orders.services.returns import dispute_open
from tests.factories import ListingFactory
from tests.live.clip_fixtures import a_clip
from tests.orders.helpers import delivered_order, paid_order

pytestmark = pytest.mark.django_db


def _days_kept() -> int:
    return settings.RETURN_WINDOW_DAYS + settings.LIVE_CLIP_KEEP_DAYS


def _files_exist(clip: ShowClip) -> bool:
    storage = public_storage()
    return storage.exists(clip.video_key) and storage.exists(clip.poster_key)


def test_the_keeping_is_the_return_window_and_90_days():
    assert settings.LIVE_CLIP_KEEP_DAYS == 90
    assert _days_kept() == settings.RETURN_WINDOW_DAYS + 90


def test_a_clip_kept_past_its_window_is_deleted_with_its_files_and_not_cut_again():
    # given: an item delivered a day ago, and a later day one day past its keeping
    clip = a_clip(ListingFactory())
    delivered_order(days_ago=1, listing=clip.listing)
    later = timezone.now() + timedelta(days=_days_kept())
    assert _files_exist(clip)

    # when
    deleted = clips_expire(now=later)

    # then: the clip and both files are gone, and the clip job does not cut it again
    assert deleted == 1
    assert not ShowClip.objects.filter(pk=clip.pk).exists()
    assert not public_storage().exists(clip.video_key)
    assert not public_storage().exists(clip.poster_key)
    assert ShowPin.objects.get(pk=clip.pin_id).clip_expired_at == later
    assert shows_missing_clips() == []
    assert show_clips_cut(show_id=clip.show_id) == []


def test_a_clip_inside_its_window_is_kept():
    clip = a_clip(ListingFactory())
    delivered_order(days_ago=1, listing=clip.listing)

    assert clips_expire(now=timezone.now() + timedelta(days=_days_kept() - 2)) == 0

    assert ShowClip.objects.filter(pk=clip.pk).exists() and _files_exist(clip)


def test_a_clip_of_an_item_with_an_open_dispute_is_kept():
    clip = a_clip(ListingFactory())
    order = delivered_order(days_ago=1, listing=clip.listing)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="Not the colour in the video.")

    assert clips_expire(now=timezone.now() + timedelta(days=_days_kept() + 30)) == 0

    assert ShowClip.objects.filter(pk=clip.pk).exists() and _files_exist(clip)


def test_a_clip_of_an_item_not_sold_is_kept_however_old():
    clip = a_clip(ListingFactory())

    assert clips_expire(now=timezone.now() + timedelta(days=10 * _days_kept())) == 0

    assert ShowClip.objects.filter(pk=clip.pk).exists()


def test_an_order_never_delivered_counts_from_when_it_was_placed():
    clip = a_clip(ListingFactory())
    order = paid_order(listing=clip.listing)
    almost = order.created_at + timedelta(days=_days_kept(), seconds=-1)

    assert clips_expire(now=almost) == 0
    assert clips_expire(now=almost + timedelta(seconds=2)) == 1


def test_running_twice_deletes_once_and_the_task_runs_the_service():
    kept_one = a_clip(ListingFactory())
    delivered_order(days_ago=1, listing=kept_one.listing)
    gone = [a_clip(ListingFactory()) for _ in range(2)]
    for clip in gone:
        delivered_order(days_ago=_days_kept() + 1, listing=clip.listing)

    assert expire_clips() == 2
    assert expire_clips() == 0

    assert list(ShowClip.objects.values_list("pk", flat=True)) == [kept_one.pk]
    assert not any(public_storage().exists(clip.video_key) for clip in gone)


def test_a_batch_is_bounded():
    clips = [a_clip(ListingFactory()) for _ in range(3)]
    for clip in clips:
        delivered_order(days_ago=_days_kept() + 1, listing=clip.listing)

    assert clips_expire(limit=2) == 2
    assert clips_expire(limit=2) == 1
    assert not ShowClip.objects.exists()


def test_the_daily_run_goes_on_batch_after_batch_until_none_is_left(monkeypatch):
    monkeypatch.setattr("live.services.replays.EXPIRE_BATCH", 2)
    clips = [a_clip(ListingFactory()) for _ in range(5)]
    for clip in clips:
        delivered_order(days_ago=_days_kept() + 1, listing=clip.listing)

    assert expire_clips() == 5

    assert not ShowClip.objects.exists()
