"""Videos made on the fly for the video job's tests (a listing's and a creator's), and where the job
puts what it makes."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from listings import videos
from listings.photos import private_storage, public_storage
from marketplace.video import recording_of_bars


def a_video(tmp_path: Path, *, seconds: float = 2, size=(1280, 960), name="clip.mp4", metadata=None) -> bytes:
    """A real MP4 with picture and sound, made here (colour bars and a tone)."""
    path = tmp_path / name
    recording_of_bars(path, seconds=seconds, size=size, label="test", metadata=metadata)
    return path.read_bytes()


def upload(data: bytes, name: str = "clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="video/mp4")


def public_path(key: str, suffix: str) -> Path:
    name = videos.video_name(key) if suffix == "mp4" else videos.poster_name(key)
    return Path(public_storage().path(name))


def files_of(key: str) -> list[bool]:
    """Whether the upload, the MP4 and the poster of `key` exist."""
    return [
        private_storage().exists(videos.original_name(key)),
        public_storage().exists(videos.video_name(key)),
        public_storage().exists(videos.poster_name(key)),
    ]
