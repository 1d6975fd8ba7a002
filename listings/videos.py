"""Videos (a listing's, and a creator's in feed): where their files live, and the upload's size limit.

An upload is kept as it was sent, in private storage (`listings/videos/<key[:2]>/<key>.upload`): no
URL maps to it, and it may carry anything (a location, a phone's serial) in its metadata. The video job
(listings.services.video_job) checks it by its content with PyAV and re-encodes it (marketplace.video),
and shoppers see only that re-encoding, in public storage:

- `listings/videos/<key[:2]>/<key>.mp4`: H.264 and AAC, at most 720 lines, index first, no metadata;
- `listings/videos/<key[:2]>/<key>.jpg`: its poster.

`listings.models.video_url` and `video_poster_url` point at them. The database side belongs to the
services: the rows' statuses to listings.services.video_job, a listing's video and its denormalised
key to listings.services.videos, a creator's video to feed.services.creator_videos.
"""

import shutil
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from listings.photos import private_storage, public_storage, save_as
from marketplace.upload_limits import UploadBudgetHandler, UploadTooLarge

# How much of a file is copied at a time between storage and the job's folder.
COPY_CHUNK = 1024 * 1024


def original_name(key: str) -> str:
    return f"listings/videos/{key[:2]}/{key}.upload"


def video_name(key: str) -> str:
    # Must agree with listings.models.video_url.
    return f"listings/videos/{key[:2]}/{key}.mp4"


def poster_name(key: str) -> str:
    # Must agree with listings.models.video_poster_url.
    return f"listings/videos/{key[:2]}/{key}.jpg"


def too_large_message() -> str:
    return _("This video is larger than %(limit)s; please send a shorter or smaller one.") % {
        "limit": filesizeformat(settings.LISTING_VIDEO_MAX_BYTES)
    }


def store_original(key: str, upload: IO[bytes]) -> None:
    """Keep the upload as sent, privately; raises OSError if storage fails (nothing is left
    half-written)."""
    name = original_name(key)
    upload.seek(0)
    save_as(private_storage(), name, File(upload, name=name))


def fetch_original(key: str, into: Path) -> None:
    """Copy the kept upload to `into` on this machine (PyAV reads files; on object storage the
    upload is elsewhere). Raises FileNotFoundError if it is gone, OSError if storage fails."""
    with private_storage().open(original_name(key), "rb") as source, into.open("wb") as target:
        shutil.copyfileobj(source, target, COPY_CHUNK)


def publish(key: str, *, video: Path, poster: Path) -> None:
    """Put the re-encoding and its poster where shoppers' browsers fetch them; safe to run again."""
    public = public_storage()
    for name, path in ((video_name(key), video), (poster_name(key), poster)):
        public.delete(name)  # a run cut short may have left a partial file
        with path.open("rb") as handle:
            public.save(name, File(handle, name=name))


def delete_public(key: str) -> None:
    public = public_storage()
    public.delete(video_name(key))
    public.delete(poster_name(key))


def delete_original(key: str) -> None:
    private_storage().delete(original_name(key))


def delete_files(key: str) -> None:
    """Remove every file of `key`; missing files are not an error."""
    delete_original(key)
    delete_public(key)


class VideoUploadBudgetHandler(UploadBudgetHandler):
    """The request's upload budget (marketplace.upload_limits) with a video's size limit, not a
    photo's, for each file: past LISTING_VIDEO_MAX_BYTES the upload stops as it arrives, and the
    request is answered 413."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.file_bytes += len(raw_data)
        self.total += len(raw_data)
        if self.file_bytes > settings.LISTING_VIDEO_MAX_BYTES:
            self.refusal = UploadTooLarge(
                too_large_message(), code="too_large", field=str(self.field_name or "")
            )
        elif self.total > settings.UPLOAD_REQUEST_MAX_BYTES:
            self.refusal = UploadTooLarge(too_large_message(), code="request_too_large")
        if self.refusal is not None:
            raise StopUpload(connection_reset=True)
        return raw_data


def video_upload_handlers(request: HttpRequest) -> list[FileUploadHandler]:
    """The upload handlers of a request that carries a video, to set before its body is read."""
    return [
        VideoUploadBudgetHandler(request),
        MemoryFileUploadHandler(request),
        TemporaryFileUploadHandler(request),
    ]
