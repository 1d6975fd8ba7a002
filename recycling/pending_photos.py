"""Photos held for a seller's flow that is still in progress.

The flow checks each photo on its step (listings.photos.check_photo) and keeps the re-encoded bytes
here, in private storage, until the submission is created, which copies them into SubmissionPhotos.
A flow left unfinished leaves its photos behind; `purge_older_than` (a periodic job) removes them
once no session could still refer to them.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from listings.photos import new_key, private_storage

PENDING_DIR = "recycling/pending"


def pending_name(key: str) -> str:
    return f"{PENDING_DIR}/{key[:2]}/{key}.jpg"


def hold(data: bytes) -> str:
    """Store checked photo bytes; returns the key to find them again."""
    key = new_key()
    private_storage().save(pending_name(key), ContentFile(data))
    return key


def discard(key: str) -> None:
    private_storage().delete(pending_name(key))


def purge_older_than(*, seconds: int) -> int:
    """Delete held photos last written more than `seconds` ago. Returns how many were deleted.

    Walks PENDING_DIR through the storage API, so that it works alike on disk and on object storage
    (where a bucket's lifecycle rule on the prefix can do the same job)."""
    storage = private_storage()
    cutoff = timezone.now() - timedelta(seconds=seconds)
    deleted = 0
    try:
        folders, _files = storage.listdir(PENDING_DIR)
    except FileNotFoundError:  # nothing was ever held
        return 0
    for folder in folders:
        _subfolders, files = storage.listdir(f"{PENDING_DIR}/{folder}")
        for file in files:
            name = f"{PENDING_DIR}/{folder}/{file}"
            try:
                if storage.get_modified_time(name) < cutoff:
                    storage.delete(name)
                    deleted += 1
            except FileNotFoundError:  # removed meanwhile by the flow itself
                continue
    return deleted
