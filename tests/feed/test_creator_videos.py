"""A creator's video through the video job every kind of video shares (listings.services.video_job):
made fit for the web with its poster, refused with its reason, safe to run twice, and queued again
when its job was lost."""

from datetime import timedelta

import av
import pytest
from django.utils import timezone
from PIL import Image

from feed.models import Creator, CreatorStatus, CreatorVideo
from feed.services.creator_videos import creator_video_process, creator_videos_requeue_waiting
from feed.tasks import process_creator_video
from listings import videos
from listings.models import VideoStatus
from listings.photos import new_key
from marketplace.video import Encoded
from tests.factories import UserFactory
from tests.listings.video_files import a_video, files_of, public_path, upload

pytestmark = pytest.mark.django_db


def _posted(data: bytes) -> CreatorVideo:
    """A creator's video as their upload leaves it (feed.services.creators): the file kept privately,
    the row waiting for its job."""
    user = UserFactory()
    creator = Creator.objects.create(
        user=user, handle=f"maker{user.pk}", pitch="Film cameras, tried out.", status=CreatorStatus.APPROVED
    )
    key = new_key()
    videos.store_original(key, upload(data))
    return CreatorVideo.objects.create(
        creator=creator, key=key, size=len(data), uploaded_by=user, caption="Three cameras under 1,000"
    )


@pytest.fixture
def job(django_capture_on_commit_callbacks):
    """The video job, with what it does once committed (deleting files) done too."""

    def run(video_id: int) -> CreatorVideo | None:
        with django_capture_on_commit_callbacks(execute=True):
            return creator_video_process(video_id=video_id)

    return run


def test_a_real_video_becomes_ready_with_its_poster_at_720_lines_at_most(tmp_path, job):
    video = _posted(a_video(tmp_path, seconds=3, size=(1280, 960)))

    made = job(video.pk)

    video.refresh_from_db()
    assert made == video
    assert (video.status, video.progress, video.error, video.attempts) == (VideoStatus.READY, 100, "", 1)
    assert (video.width, video.height) == (960, 720) and abs(float(video.duration) - 3) < 0.5
    with av.open(str(public_path(video.key, "mp4"))) as mp4:
        assert mp4.format.name.startswith("mov,mp4")
        assert mp4.streams.video[0].codec_context.name == "h264"
        assert mp4.streams.audio[0].codec_context.name == "aac"
        assert (mp4.streams.video[0].codec_context.width, mp4.streams.video[0].codec_context.height) == (
            960,
            720,
        )
    with Image.open(public_path(video.key, "jpg")) as poster:
        assert poster.format == "JPEG" and poster.size == (960, 720)
    assert video.url.endswith(f"{video.key}.mp4") and video.poster_url.endswith(f"{video.key}.jpg")
    assert files_of(video.key) == [True, True, True]  # the upload is kept, privately


def test_a_file_that_is_not_a_video_fails_with_its_reason_and_its_upload_is_removed(job):
    video = _posted(b"Just some words, in a file called clip.mp4.\n" * 50)

    job(video.pk)

    video.refresh_from_db()
    assert (video.status, video.error, video.error_params) == (VideoStatus.FAILED, "not_a_video", {})
    assert video.error_text == "This file is not a video we can read. Please send an MP4, MOV or WebM video."
    assert files_of(video.key) == [False, False, False]


def test_running_the_job_twice_changes_nothing(tmp_path, job):
    video = _posted(a_video(tmp_path, size=(320, 240)))
    process_creator_video.delay(video.pk)  # the task, run in-process here
    made = public_path(video.key, "mp4").stat().st_mtime_ns

    again = job(video.pk)

    assert again is not None and (again.status, again.attempts) == (VideoStatus.READY, 1)
    assert public_path(video.key, "mp4").stat().st_mtime_ns == made
    assert files_of(video.key) == [True, True, True]
    assert list(CreatorVideo.objects.values_list("status", flat=True)) == [VideoStatus.READY]


def test_two_runs_at_once_leave_the_ready_video_its_files(tmp_path, job, django_capture_on_commit_callbacks):
    # a message delivered twice: both runs claimed the video; the first finishes, then the second
    from feed.services.creator_videos import _ready

    video = _posted(a_video(tmp_path, size=(320, 240)))
    second_run = CreatorVideo.objects.get(pk=video.pk)

    job(video.pk)
    with django_capture_on_commit_callbacks(execute=True):
        late = _ready(second_run, Encoded(duration=2.0, width=320, height=240))

    assert late is None
    assert CreatorVideo.objects.get(pk=video.pk).status == VideoStatus.READY
    assert files_of(video.key) == [True, True, True]


def test_a_video_deleted_while_it_was_made_leaves_no_files(tmp_path, django_capture_on_commit_callbacks):
    from feed.services.creator_videos import _ready

    video = _posted(a_video(tmp_path, size=(320, 240)))
    CreatorVideo.objects.filter(pk=video.pk).delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert _ready(video, Encoded(duration=2.0, width=320, height=240)) is None

    assert files_of(video.key) == [False, False, False]


def test_videos_whose_job_was_lost_are_queued_again(tmp_path):
    video = _posted(a_video(tmp_path, size=(320, 240)))
    assert creator_videos_requeue_waiting() == 0  # just sent: its job is on its way

    CreatorVideo.objects.filter(pk=video.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert creator_videos_requeue_waiting() == 1  # the job runs in-process here

    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert creator_videos_requeue_waiting() == 0
