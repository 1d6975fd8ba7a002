"""Listing photos: upload checks, metadata stripping, storage and thumbnails.

An upload is trusted for nothing: it is identified by its content (never by its name or the content
type the browser sent), its declared size in pixels is checked before any pixel is decoded, and it is
fully decoded once to prove it is whole. What is kept is a fresh re-encoding of the pixels alone, so
EXIF (GPS position, camera serial), XMP, comments and ICC profiles never leave this module.

Two places hold files (folders under `PRIVATE_MEDIA_ROOT` and `MEDIA_ROOT`, or two buckets on
object storage with `STORAGE_URL`: marketplace/object_storage.py):

- private storage: the re-encoded copy, `listings/<key[:2]>/<key>.jpg`. No public URL maps to it;
  thumbnails are made from it. The other apps keep their private files here too (photos sent in
  messages, shipping labels, rendered report PDFs); a view that lets someone see one calls
  `private_file_response` once it has checked that they may.
- public storage: WebP thumbnails, `listings/<key[:2]>/<key>-<width>.webp`, one per
  `LISTING_THUMBNAIL_WIDTHS`, which is what `listings.models.thumbnail_url` points at (`MEDIA_URL` and
  the name: on object storage, the public bucket's address or its CDN's).

The database side (rows, positions, the listing's cover) belongs to listings.services.
"""

import io
import secrets
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from listings.errors import PhotoRejected

# Only these decoders ever see an upload: every other Pillow plugin (GIF, SVG is none, EPS, PSD,
# TIFF, FITS…) is a format we do not accept and an attack surface we do not need.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
STORED_QUALITY = 88
THUMBNAIL_QUALITY = 80

# Errors Pillow raises for files that are damaged or lie about their content.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed every check, re-encoded as a JPEG without metadata."""

    data: bytes
    width: int
    height: int
    name: str = ""


class PrivateStorage(FileSystemStorage):
    """Private files on this machine, under PRIVATE_MEDIA_ROOT. There is no URL for them: a view that
    may show one streams it (private_file_response)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        super().__init__(**options)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL.")


def private_storage() -> Storage:
    """STORAGES["private"]: PrivateStorage, or a private bucket with STORAGE_URL."""
    storage = storages["private"]
    if isinstance(storage, PrivateStorage):
        # Built on each call so that a changed PRIVATE_MEDIA_ROOT (tests, per-deployment) is honoured.
        return PrivateStorage()
    return storage


def public_storage() -> Storage:
    return storages["default"]


def private_file_response(
    name: str, *, content_type: str, cache_control: str, filename: str = ""
) -> HttpResponseBase:
    """A private file, for someone the calling view has already found may see it.

    On this machine's disk the file is streamed. On object storage the answer is a redirect to a URL
    signed for this file alone that lapses after PRIVATE_MEDIA_URL_SECONDS: the bytes do not pass
    through a web process, and a link copied out of the browser soon stops working. The redirect is
    never cached (the URL it names expires); the file itself comes with `cache_control`, and
    `filename` names it for saving (`inline`, so a PDF opens in the browser).

    On disk a missing file raises FileNotFoundError; on object storage the storage answers 404.
    """
    storage = private_storage()
    disposition = f'inline; filename="{filename}"' if filename else ""
    if not isinstance(storage, PrivateStorage):
        from storages.backends.s3 import S3Storage  # boto3 is loaded only where object storage is used

        if isinstance(storage, S3Storage):
            parameters = {"ResponseContentType": content_type, "ResponseCacheControl": cache_control}
            if disposition:
                parameters["ResponseContentDisposition"] = disposition
            redirect = HttpResponseRedirect(storage.url(name, parameters=parameters))
            redirect["Cache-Control"] = "private, no-store"
            return redirect
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    return response


def new_key() -> str:
    """A random, unguessable name: thumbnail URLs are public, so keys must not be enumerable."""
    return secrets.token_hex(16)


def stored_name(key: str) -> str:
    return f"listings/{key[:2]}/{key}.jpg"


def thumbnail_name(key: str, width: int) -> str:
    # Must agree with listings.models.thumbnail_url.
    return f"listings/{key[:2]}/{key}-{width}.webp"


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    position = upload.tell()
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(position)
    return size


def _open(upload: IO[bytes]) -> Image.Image:
    """Open by content among the accepted formats only. Caller turns DecompressionBombWarning into
    an error (see check_photo)."""
    upload.seek(0)
    return Image.open(upload, formats=ACCEPTED_FORMATS)


def _too_many_pixels() -> PhotoRejected:
    return PhotoRejected(
        _("This photo has too many pixels (the limit is %(limit)s megapixels); please send a smaller one.")
        % {"limit": settings.LISTING_PHOTO_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _damaged() -> PhotoRejected:
    return PhotoRejected(
        _("This photo is damaged or incomplete and cannot be read; please send it again."),
        code="damaged",
    )


def check_photo(upload: IO[bytes]) -> CheckedPhoto:
    """Check an upload and return its pixels re-encoded without metadata.

    Raises PhotoRejected with `code` one of: too_large, not_a_photo, too_many_pixels, damaged.
    Reads at most LISTING_PHOTO_MAX_BYTES of input and never decodes more than
    LISTING_PHOTO_MAX_PIXELS pixels.
    """
    name = str(getattr(upload, "name", "") or "")
    limit = settings.LISTING_PHOTO_MAX_BYTES
    if _size_of(upload) > limit:
        raise PhotoRejected(
            _("This photo is larger than %(limit)s; please send a smaller one.")
            % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    with warnings.catch_warnings():
        # Pillow's own guard: past MAX_IMAGE_PIXELS it warns, past twice that it raises. A warning
        # is not a refusal, so make it one.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open(upload)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise _too_many_pixels() from error
        except UnidentifiedImageError as error:
            raise PhotoRejected(
                _("This file is not a photo we accept; please send a JPEG, PNG or WebP image."),
                code="not_a_photo",
            ) from error
        except _DECODE_ERRORS as error:
            raise _damaged() from error

        # The header's dimensions are known before any pixel data is decoded.
        width, height = image.size
        if width < 1 or height < 1:
            raise _damaged()
        if width * height > settings.LISTING_PHOTO_MAX_PIXELS:
            raise _too_many_pixels()

        try:
            image.verify()  # structure and checksums; leaves the image unusable
            image = _open(upload)
            image.load()  # a truncated file fails here
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise _too_many_pixels() from error
        except _DECODE_ERRORS as error:
            raise _damaged() from error

    clean = _plain_rgb(upright, icc_profile=image.info.get("icc_profile"))
    output = io.BytesIO()
    clean.save(output, format="JPEG", quality=STORED_QUALITY, optimize=True)
    return CheckedPhoto(data=output.getvalue(), width=clean.width, height=clean.height, name=name)


def _header_pixels(upload: IO[bytes]) -> int:
    """Width times height as the file's header declares them, decoding no pixel; 0 for a file that
    is no accepted photo (check_photo names what is wrong with it)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            width, height = _open(upload).size
    except (Image.DecompressionBombError, UnidentifiedImageError, *_DECODE_ERRORS):
        return 0
    finally:
        upload.seek(0)
    return max(0, width) * max(0, height)


def check_pixel_budget(uploads: Sequence["IO[bytes] | CheckedPhoto"]) -> None:
    """Refuse a request whose photos have more pixels together than PHOTO_REQUEST_MAX_PIXELS, from
    their headers alone, before any is decoded: decoding is what holds a web worker. Photos already
    checked (CheckedPhoto) cost nothing more and are not counted. Raises PhotoRejected
    `too_many_pixels_in_request`."""
    total = sum(_header_pixels(upload) for upload in uploads if not isinstance(upload, CheckedPhoto))
    limit = settings.PHOTO_REQUEST_MAX_PIXELS
    if total > limit:
        raise PhotoRejected(
            _(
                "These photos have %(total)s megapixels together; one upload may have at most "
                "%(limit)s. Send fewer photos at a time, or smaller ones."
            )
            % {"total": total // 1_000_000, "limit": limit // 1_000_000},
            code="too_many_pixels_in_request",
        )


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours from a camera's profile (e.g. Display P3) mapped to sRGB, since the profile is dropped."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are
    return converted if converted is not None else image


def _plain_rgb(image: Image.Image, *, icc_profile: bytes | None) -> Image.Image:
    """A new RGB image holding only the pixels: transparency flattened on white, no `info` at all.

    Pillow copies some of `info` into saved files (a JPEG comment, for one), so the result is built
    from `Image.new`, which starts with none.
    """
    image = _to_srgb(image, icc_profile)
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    clean = Image.new("RGB", image.size, (255, 255, 255))
    if has_alpha:
        rgba = image.convert("RGBA")
        clean.paste(rgba.convert("RGB"), mask=rgba.getchannel("A"))
    else:
        clean.paste(image.convert("RGB"))
    return clean


def save_as(storage: Storage, name: str, content: File) -> None:
    """Write `content` under exactly `name` (a random key's): raises OSError if storage fails, and
    FileExistsError if the name was taken; nothing is left half-written either way."""
    try:
        saved = storage.save(name, content)
    except Exception:
        storage.delete(name)
        raise
    if saved != name:  # keys are random: a clash means something is badly wrong
        storage.delete(saved)
        raise FileExistsError(name)


def store_private(key: str, photo: CheckedPhoto) -> None:
    """Write the checked copy; raises OSError if storage fails (nothing is left half-written)."""
    save_as(private_storage(), stored_name(key), ContentFile(photo.data))


def make_thumbnails(key: str) -> list[str]:
    """Write a WebP thumbnail at every LISTING_THUMBNAIL_WIDTHS from the private copy; safe to run again.

    A source narrower than a width is not enlarged: that width's file holds the source size. Returns
    the names written. Raises FileNotFoundError if the private copy is gone.
    """
    widths = sorted(settings.LISTING_THUMBNAIL_WIDTHS)
    with private_storage().open(stored_name(key), "rb") as source_file:
        source: Image.Image = Image.open(source_file, formats=("JPEG",))
        source_width, source_height = source.size
        largest = min(widths[-1], source_width)
        # JPEG can decode at 1/2, 1/4 or 1/8 scale directly: far less work than decoding the full
        # photo and shrinking it. draft() picks the smallest scale still at least this large.
        source.draft("RGB", (largest, max(1, round(source_height * largest / source_width))))
        source.load()
        source = source.convert("RGB")

    public = public_storage()
    written = []
    for width in widths:
        target_width = min(width, source_width)
        target_height = max(1, round(source_height * target_width / source_width))
        if source.size == (target_width, target_height):
            thumbnail = source
        else:
            thumbnail = source.resize((target_width, target_height), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        thumbnail.save(output, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
        name = thumbnail_name(key, width)
        public.delete(name)  # a run cut short may have left a partial file
        public.save(name, ContentFile(output.getvalue()))
        written.append(name)
    return written


def delete_files(key: str) -> None:
    """Remove the private copy and every thumbnail of `key`; missing files are not an error."""
    private_storage().delete(stored_name(key))
    public = public_storage()
    for width in settings.LISTING_THUMBNAIL_WIDTHS:
        public.delete(thumbnail_name(key, width))
