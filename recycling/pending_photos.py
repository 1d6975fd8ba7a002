"""Photos held for a seller's flow that is still in progress.

The flow checks each photo on its step (listings.photos.check_photo) and keeps the re-encoded bytes
here, in private storage, until the submission is created, which copies them into SubmissionPhotos.
A flow left unfinished leaves its photos behind; `purge_older_than` (a periodic job) removes them
once no session could still refer to them.
"""

import os
import time

from django.core.files.base import ContentFile

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
    """Delete held photos last written more than `seconds` ago. Returns how many were deleted."""
    root = private_storage().path(PENDING_DIR)
    cutoff = time.time() - seconds
    deleted = 0
    for folder, _subfolders, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                if os.path.getmtime(path) < cutoff:
                    os.remove(path)
                    deleted += 1
            except FileNotFoundError:  # removed meanwhile by the flow itself
                continue
    return deleted
