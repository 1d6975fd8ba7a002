"""A store's logo: an upload checked like a listing's photo (listings.photos.check_photo), cropped to
a square and stored once, small, in public storage under a random key."""

import io
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from listings.photos import check_photo, new_key, public_storage, save_as

LOGO_SIZE = 256
LOGO_QUALITY = 85


def _name(key: str) -> str:
    return f"stores/{key}.jpg"


def logo_store(upload: IO[bytes]) -> str:
    """Check the upload, store it as a square logo and return its key. Raises PhotoRejected for an
    upload that is not a photo we accept, OSError when storage fails."""
    checked = check_photo(upload)
    with Image.open(io.BytesIO(checked.data)) as image:
        square = ImageOps.fit(image.convert("RGB"), (LOGO_SIZE, LOGO_SIZE), method=Image.Resampling.LANCZOS)
    output = io.BytesIO()
    square.save(output, format="JPEG", quality=LOGO_QUALITY, optimize=True)
    key = new_key()
    save_as(public_storage(), _name(key), ContentFile(output.getvalue()))
    return key


def logo_url(key: str) -> str:
    return public_storage().url(_name(key))


def logo_delete(key: str) -> None:
    public_storage().delete(_name(key))
