"""A listing's video: the upload, the video job (checked by content with PyAV, re-encoded to H.264/AAC
at most 720 lines with a poster, metadata left behind), its progress on the seller's page, refusals
with their reasons, who may, and the video on the listing's page."""

from datetime import timedelta
from pathlib import Path

import av
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from rest_framework.test import APIClient

from accounts.roles import OPERATIONS
from listings import videos
from listings.models import Listing, ListingSource, ListingStatus, ListingVideo, VideoStatus
from listings.photos import private_storage, public_storage
from listings.services.videos import (
    listing_video_process,
    listing_video_remove,
    listing_video_upload,
    listing_videos_requeue_waiting,
)
from listings.tasks import process_listing_video
from tests.factories import ListingFactory, UserFactory
from tests.listings import images
from tests.listings.video_files import a_video, files_of, public_path, upload

pytestmark = pytest.mark.django_db

SECRETS = {"title": "Flat 4, 12 Quiet Road", "comment": "serial ABC123", "location": "+48.8584+002.2945/"}


def _send(listing, data: bytes, *, by=None, run: bool = True, capture=None) -> ListingVideo:
    with capture(execute=run):
        video = listing_video_upload(listing_id=listing.pk, by=by or listing.seller, upload=upload(data))
    video.refresh_from_db()
    return video


@pytest.fixture
def job(django_capture_on_commit_callbacks):
    """The video job, with what it does once committed (deleting files) done too."""

    def run(video_id: int) -> ListingVideo | None:
        with django_capture_on_commit_callbacks(execute=True):
            return listing_video_process(video_id=video_id)

    return run


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def sender(listing, data, **kwargs):
        return _send(listing, data, capture=django_capture_on_commit_callbacks, **kwargs)

    return sender


def test_a_real_video_is_checked_transcoded_and_shown_with_its_poster(tmp_path, send):
    listing = ListingFactory()

    video = send(listing, a_video(tmp_path, seconds=3, size=(1280, 960)))

    assert video.status == VideoStatus.READY and video.progress == 100 and video.error == ""
    with av.open(str(public_path(video.key, "mp4"))) as made:
        assert made.format.name.startswith("mov,mp4")
        assert made.streams.video[0].codec_context.name == "h264"
        assert made.streams.audio[0].codec_context.name == "aac"
        assert made.streams.video[0].codec_context.height == 720  # from 960 lines, at most 720
        assert made.streams.video[0].codec_context.width == 960  # its shape kept
        assert abs(made.duration / av.time_base - 3) < 0.5
    with Image.open(public_path(video.key, "jpg")) as poster:
        assert poster.format == "JPEG" and poster.size == (960, 720)
    assert (video.width, video.height) == (960, 720) and abs(float(video.duration) - 3) < 0.5
    listing.refresh_from_db()
    assert (listing.video_key, listing.video_width, listing.video_height) == (video.key, 960, 720)
    # the upload is kept, privately: no URL names it
    assert files_of(video.key) == [True, True, True]
    assert not (Path(public_storage().path("")) / videos.original_name(video.key)).exists()


def test_the_mp4_has_its_index_first_so_that_it_plays_while_it_downloads(tmp_path, send):
    video = send(ListingFactory(), a_video(tmp_path))

    head = public_path(video.key, "mp4").read_bytes()[:4096]
    assert head.index(b"moov") < head.index(b"mdat") if b"mdat" in head else b"moov" in head


def test_no_metadata_of_the_upload_reaches_the_video_or_its_poster(tmp_path, send):
    original = a_video(tmp_path, metadata=SECRETS)
    with av.open(str(tmp_path / "clip.mp4")) as source:  # the upload does carry them
        assert source.metadata["title"] == SECRETS["title"] and "location" in source.metadata

    video = send(ListingFactory(), original)

    with av.open(str(public_path(video.key, "mp4"))) as made:
        written = [made.metadata, *(stream.metadata for stream in made.streams)]
    for tags in written:
        assert not {"title", "comment", "location", "location-eng", "name"} & set(tags), tags
        assert not any(secret in value for value in tags.values() for secret in SECRETS.values()), tags
    with Image.open(public_path(video.key, "jpg")) as poster:
        assert len(poster.getexif()) == 0 and "comment" not in poster.info


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Just some words, in a file called clip.mp4.\n" * 50, "clip.mp4"),
        (images.jpeg_bytes((800, 600)), "holiday.mp4"),
    ],
    ids=["text", "photo"],
)
def test_a_file_that_is_not_a_video_is_refused_with_its_reason_and_nothing_stays(send, data, name):
    listing = ListingFactory()

    video = send(listing, data)

    assert video.status == VideoStatus.FAILED and video.error == "not_a_video"
    assert video.error_text == "This file is not a video we can read. Please send an MP4, MOV or WebM video."
    assert files_of(video.key) == [False, False, False]
    listing.refresh_from_db()
    assert listing.video_key is None


def test_a_video_past_the_limit_is_refused_with_its_length(tmp_path, settings, send):
    settings.LISTING_VIDEO_MAX_SECONDS = 2

    video = send(ListingFactory(), a_video(tmp_path, seconds=3, size=(320, 240)))

    assert (video.status, video.error, video.error_params) == (
        VideoStatus.FAILED,
        "too_long",
        {"seconds": "3.0", "limit": 2},
    )
    assert video.error_text == "This video is 3.0 seconds long; a video may be at most 2 seconds."
    assert files_of(video.key) == [False, False, False]


def test_a_video_cut_short_is_refused_as_damaged(tmp_path, send):
    whole = a_video(tmp_path, seconds=3, size=(320, 240))

    video = send(ListingFactory(), whole[: len(whole) // 2])

    assert (video.status, video.error) == (VideoStatus.FAILED, "damaged")
    assert video.error_text.startswith("This video is damaged or incomplete")
    assert files_of(video.key) == [False, False, False]


def test_the_reason_is_shown_in_the_readers_language(tmp_path, send, client):
    listing = ListingFactory()
    send(listing, b"not a video at all" * 40)
    client.force_login(listing.seller)

    english = client.get(reverse("selling:video_status", args=[listing.pk])).content.decode()
    with translation.override("zh-hans"):
        chinese = client.get(reverse("selling:video_status", args=[listing.pk])).content.decode()

    assert "This file is not a video we can read." in english
    assert 'role="alert"' in english and "data-hx-trigger" not in english  # final: no more polling
    stored = ListingVideo.objects.get()
    assert (stored.error, stored.error_params) == ("not_a_video", {})  # a code, not a sentence
    with translation.override("zh-hans"):
        assert stored.error_text in chinese and stored.error_text not in english


def test_running_the_job_twice_changes_nothing(tmp_path, send, job):
    listing = ListingFactory()
    video = send(listing, a_video(tmp_path, size=(320, 240)))
    made = public_path(video.key, "mp4").stat().st_mtime_ns

    process_listing_video.delay(video.pk)
    again = job(video.pk)

    assert again is not None and again.status == VideoStatus.READY and again.attempts == 1
    assert public_path(video.key, "mp4").stat().st_mtime_ns == made
    assert list(ListingVideo.objects.values_list("status", flat=True)) == [VideoStatus.READY]


def test_two_runs_of_the_job_at_once_leave_the_video_on_the_page(
    tmp_path, send, job, django_capture_on_commit_callbacks
):
    # a message delivered twice: both runs claimed the video; the first finishes, then the second
    from listings.services.videos import _ready
    from marketplace.video import Encoded

    listing = ListingFactory()
    video = send(listing, a_video(tmp_path, size=(320, 240)), run=False)
    second_run = ListingVideo.objects.get(pk=video.pk)

    job(video.pk)
    with django_capture_on_commit_callbacks(execute=True):
        late = _ready(second_run, Encoded(duration=2.0, width=320, height=240))

    assert late is None
    assert files_of(video.key) == [True, True, True]
    listing.refresh_from_db()
    assert listing.video_key == video.key


def test_a_job_run_twice_before_it_finished_makes_one_video(tmp_path, send, job):
    # the first run died mid-way (acks_late: the message comes again)
    listing = ListingFactory()
    video = send(listing, a_video(tmp_path, size=(320, 240)), run=False)
    ListingVideo.objects.filter(pk=video.pk).update(status=VideoStatus.TRANSCODING, progress=35, attempts=1)

    job(video.pk)
    job(video.pk)

    video.refresh_from_db()
    assert (video.status, video.attempts) == (VideoStatus.READY, 2)
    listing.refresh_from_db()
    assert listing.video_key == video.key


def test_a_video_that_stops_the_job_every_time_is_given_up(tmp_path, send, job):
    video = send(ListingFactory(), a_video(tmp_path, size=(320, 240)), run=False)
    ListingVideo.objects.filter(pk=video.pk).update(status=VideoStatus.TRANSCODING, attempts=3)

    job(video.pk)

    video.refresh_from_db()
    assert (video.status, video.error) == (VideoStatus.FAILED, "gave_up")
    assert files_of(video.key) == [False, False, False]


def test_a_new_video_replaces_the_old_one_once_it_is_ready(tmp_path, send, job):
    listing = ListingFactory()
    first = send(listing, a_video(tmp_path, size=(320, 240)))

    second = send(listing, a_video(tmp_path, size=(640, 360), name="second.mp4"), run=False)

    # until the new one is ready, the old one stays on the page
    listing.refresh_from_db()
    assert listing.video_key == first.key and files_of(first.key) == [True, True, True]
    assert second.status == VideoStatus.UPLOADED

    job(second.pk)

    listing.refresh_from_db()
    assert (listing.video_key, listing.video_width, listing.video_height) == (second.key, 640, 360)
    assert list(ListingVideo.objects.values_list("pk", flat=True)) == [second.pk]
    assert files_of(first.key) == [False, False, False]


def test_a_new_upload_drops_one_still_on_its_way(tmp_path, send, job):
    listing = ListingFactory()
    waiting = send(listing, a_video(tmp_path, size=(320, 240)), run=False)

    newer = send(listing, a_video(tmp_path, size=(320, 240), name="newer.mp4"))

    assert not ListingVideo.objects.filter(pk=waiting.pk).exists()
    assert files_of(waiting.key) == [False, False, False]
    assert newer.status == VideoStatus.READY
    # the dropped one's job, when it comes, finds nothing to do
    assert job(waiting.pk) is None
    assert list(ListingVideo.objects.values_list("pk", flat=True)) == [newer.pk]


def test_removing_the_video_takes_it_off_the_page_and_deletes_its_files(
    tmp_path, send, client, django_capture_on_commit_callbacks
):
    listing = ListingFactory()
    video = send(listing, a_video(tmp_path, size=(320, 240)))
    assert video.url in client.get(f"/l/{listing.pk}/").content.decode()

    with pytest.raises(Listing.DoesNotExist):
        listing_video_remove(listing_id=listing.pk, by=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        listing_video_remove(listing_id=listing.pk, by=listing.seller)

    listing.refresh_from_db()
    assert listing.video_key is None and not ListingVideo.objects.exists()
    assert files_of(video.key) == [False, False, False]
    assert "<video" not in client.get(f"/l/{listing.pk}/").content.decode()  # the cached page forgotten


def test_the_listing_page_plays_the_video_once_it_is_ready(tmp_path, send, client, job):
    listing = ListingFactory(status=ListingStatus.ACTIVE, title="Leica M6")
    assert "<video" not in client.get(f"/l/{listing.pk}/").content.decode()  # now cached without one
    video = send(listing, a_video(tmp_path, size=(320, 240)), run=False)
    assert "<video" not in client.get(f"/l/{listing.pk}/").content.decode()  # not ready: not shown

    job(video.pk)

    html = client.get(f"/l/{listing.pk}/").content.decode()
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert f'poster="{video.poster_url}"' in html
    assert 'controls playsinline preload="none"' in html
    assert 'aria-label="Video of Leica M6"' in html
    assert 'width="320" height="240"' in html


def test_the_seller_sees_the_job_move_on_until_the_video_is_ready(tmp_path, send, client, job):
    listing = ListingFactory()
    client.force_login(listing.seller)
    video = send(listing, a_video(tmp_path, size=(320, 240)), run=False)
    status_url = reverse("selling:video_status", args=[listing.pk])

    uploaded = client.get(status_url).content.decode()
    assert "Uploaded: waiting to be checked" in uploaded
    assert f'data-hx-get="{status_url}" data-hx-trigger="every 2s"' in uploaded

    ListingVideo.objects.filter(pk=video.pk).update(status=VideoStatus.CHECKING)
    assert "Checking that it is a video" in client.get(status_url).content.decode()

    ListingVideo.objects.filter(pk=video.pk).update(status=VideoStatus.TRANSCODING, progress=40)
    transcoding = client.get(status_url).content.decode()
    assert "Preparing the video for the web: 40%" in transcoding
    assert '<progress max="100" value="40"' in transcoding and "every 2s" in transcoding

    job(video.pk)
    ready = client.get(status_url).content.decode()
    assert "data-hx-trigger" not in ready and "<progress" not in ready
    assert f'<source src="{video.url}"' in ready


def test_the_edit_page_has_the_upload_form_and_the_progress(tmp_path, send, client):
    listing = ListingFactory()
    client.force_login(listing.seller)
    send(listing, a_video(tmp_path, size=(320, 240)), run=False)

    html = client.get(reverse("selling:listing_edit", args=[listing.pk])).content.decode()

    assert f'action="{reverse("selling:video_upload", args=[listing.pk])}"' in html
    assert 'type="file" name="video" accept="video/*"' in html
    assert "<progress" in html and "every 2s" in html
    assert "style=" not in html.split('id="video-title"')[1]  # the Content-Security-Policy allows none


def test_the_upload_form_puts_the_video_on_its_way(tmp_path, client, django_capture_on_commit_callbacks):
    listing = ListingFactory()
    client.force_login(listing.seller)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("selling:video_upload", args=[listing.pk]),
            {"video": upload(a_video(tmp_path, size=(320, 240)))},
        )

    assert response.status_code == 302 and response["Location"] == reverse(
        "selling:listing_edit", args=[listing.pk]
    )
    assert ListingVideo.objects.get(listing=listing).status == VideoStatus.READY


def test_the_upload_form_checks_the_csrf_token(tmp_path):
    from django.test import Client

    listing = ListingFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(listing.seller)

    response = browser.post(reverse("selling:video_upload", args=[listing.pk]), {"video": upload(b"x" * 100)})

    assert response.status_code == 403 and not ListingVideo.objects.exists()


def test_a_video_on_someone_elses_listing_is_refused_and_nothing_is_written(tmp_path, client):
    listing = ListingFactory()
    stranger = UserFactory()
    client.force_login(stranger)
    data = a_video(tmp_path, size=(320, 240))

    page = client.post(reverse("selling:video_upload", args=[listing.pk]), {"video": upload(data)})
    api = APIClient()
    api.force_authenticate(stranger)
    answer = api.post(f"/api/v1/my/listings/{listing.pk}/video/", {"video": upload(data)}, format="multipart")

    assert page.status_code == 404
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No such listing among those you may change."
    assert api.get(f"/api/v1/my/listings/{listing.pk}/video/").status_code == 404
    assert api.delete(f"/api/v1/my/listings/{listing.pk}/video/").status_code == 404
    assert not ListingVideo.objects.exists()
    assert not list(Path(private_storage().path("")).rglob("*.upload"))


def test_staff_put_videos_on_reloops_stock_but_not_on_a_private_sellers_listing(tmp_path, send):
    from django.contrib.auth.models import Group

    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    stock = ListingFactory(source=ListingSource.PLATFORM)
    consigned = ListingFactory(source=ListingSource.CONSIGNED)
    private = ListingFactory(source=ListingSource.PERSON)
    data = a_video(tmp_path, size=(320, 240))

    assert send(stock, data, by=staff).status == VideoStatus.READY
    assert send(consigned, data, by=staff).status == VideoStatus.READY
    with pytest.raises(Listing.DoesNotExist):
        send(private, data, by=staff)
    with pytest.raises(Listing.DoesNotExist):  # nor does a user without a staff role
        send(ListingFactory(source=ListingSource.PLATFORM), data, by=UserFactory())
    assert ListingVideo.objects.filter(listing=private).count() == 0


def test_the_api_sends_reads_and_removes_a_video(tmp_path, django_capture_on_commit_callbacks, job):
    listing = ListingFactory()
    api = APIClient()
    api.force_authenticate(listing.seller)
    url = f"/api/v1/my/listings/{listing.pk}/video/"
    assert api.get(url).json() == {"ready": None, "upload": None}

    with django_capture_on_commit_callbacks(execute=False):
        sent = api.post(url, {"video": upload(a_video(tmp_path, size=(320, 240)))}, format="multipart")
    assert sent.status_code == 202
    assert sent.json()["upload"]["status"] == "uploaded" and sent.json()["ready"] is None

    job(sent.json()["upload"]["id"])
    state = api.get(url).json()
    assert state["upload"] is None
    assert state["ready"]["url"].endswith(".mp4") and state["ready"]["poster_url"].endswith(".jpg")
    assert (state["ready"]["width"], state["ready"]["height"]) == (320, 240)
    shopper = APIClient().get(f"/api/v1/listings/{listing.pk}/").json()
    assert shopper["video"]["url"] == state["ready"]["url"]

    assert api.delete(url).status_code == 204
    assert api.delete(url).status_code == 404
    assert APIClient().get(f"/api/v1/listings/{listing.pk}/").json()["video"] is None


def test_the_api_says_why_a_video_was_refused(tmp_path, send):
    listing = ListingFactory()
    send(listing, b"GIF89a not really" * 30)
    api = APIClient()
    api.force_authenticate(listing.seller)

    upload_state = api.get(
        f"/api/v1/my/listings/{listing.pk}/video/", headers={"accept-language": "en"}
    ).json()["upload"]

    assert upload_state["status"] == "failed" and upload_state["error_code"] == "not_a_video"
    assert upload_state["error"].startswith("This file is not a video")


def test_an_upload_past_the_size_limit_is_refused_before_it_is_stored(tmp_path, settings):
    settings.LISTING_VIDEO_MAX_BYTES = 50_000
    listing = ListingFactory()
    api = APIClient()
    api.force_authenticate(listing.seller)

    answer = api.post(
        f"/api/v1/my/listings/{listing.pk}/video/", {"video": upload(b"\0" * 80_000)}, format="multipart"
    )

    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    assert "This video is larger than" in answer.json()["detail"]
    assert not ListingVideo.objects.exists()


def test_a_video_larger_than_a_photo_may_be(settings, tmp_path, client, django_capture_on_commit_callbacks):
    # the photo limit holds every other upload; a video's is its own
    settings.LISTING_PHOTO_MAX_BYTES = 10_000
    listing = ListingFactory()
    client.force_login(listing.seller)
    data = a_video(tmp_path, size=(320, 240))
    assert len(data) > 10_000

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("selling:video_upload", args=[listing.pk]), {"video": upload(data)})

    assert response.status_code == 302
    assert ListingVideo.objects.get().size == len(data)


def test_videos_whose_job_was_lost_are_queued_again(tmp_path, send):
    video = send(ListingFactory(), a_video(tmp_path, size=(320, 240)), run=False)
    assert listing_videos_requeue_waiting() == 0  # just sent: its job is on its way

    ListingVideo.objects.filter(pk=video.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert listing_videos_requeue_waiting() == 1  # the job runs in-process here

    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert listing_videos_requeue_waiting() == 0
