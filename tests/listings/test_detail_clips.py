"""The host's explanations of an item from live shows (讲解回放) on its page: each clip a video a
shopper starts themselves, captioned with the show and the day, the newest three, and gone from the
cached page as soon as the clip is deleted."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from live.services.replays import clips_expire
from tests.factories import ListingFactory
from tests.live.clip_fixtures import a_clip
from tests.orders.helpers import delivered_order

pytestmark = pytest.mark.django_db


def _page(client, listing) -> str:
    response = client.get(reverse("listings:detail", args=[listing.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_of_an_item_with_a_clip_shows_it_and_another_items_page_does_not(client):
    bag = ListingFactory(title="Hermès Evelyne")
    clip = a_clip(bag, title="Bags and watches, explained", pinned_at=timezone.now() - timedelta(days=2))
    other = ListingFactory(title="Canon EOS R6")

    html = _page(client, bag)

    assert "Watch the host explain it" in html
    assert f'src="{clip.video_url}"' in html and f'poster="{clip.poster_url}"' in html
    assert '<video controls preload="none" playsinline' in html
    assert "Bags and watches, explained" in html
    day = timezone.localtime(clip.pin.pinned_at).strftime("%Y-%m-%d")
    assert f'<time datetime="{day}">' in html
    assert (
        'aria-label="The host explains Hermès Evelyne in the live show “Bags and watches, explained”, '
        in html
    )
    other_html = _page(client, other)
    assert clip.video_url not in other_html
    assert "Watch the host explain it" not in other_html


def test_the_page_shows_the_three_newest_clips_newest_first(client):
    bag = ListingFactory()
    clips = [a_clip(bag, title=f"Show {number}") for number in range(4)]

    html = _page(client, bag)

    shown = [clip for clip in clips if clip.video_url in html]
    assert shown == clips[1:]
    positions = [html.index(clip.video_url) for clip in reversed(shown)]
    assert positions == sorted(positions)


def test_a_deleted_clip_leaves_the_cached_page_at_once(client, django_capture_on_commit_callbacks):
    bag = ListingFactory()
    clip = a_clip(bag)
    delivered_order(days_ago=1, listing=bag)
    assert clip.video_url in _page(client, bag)  # the body is cached now

    with django_capture_on_commit_callbacks(execute=True):
        clips_expire(
            now=timezone.now() + timedelta(days=settings.RETURN_WINDOW_DAYS + settings.LIVE_CLIP_KEEP_DAYS)
        )

    html = _page(client, bag)
    assert clip.video_url not in html
    assert "Watch the host explain it" not in html
