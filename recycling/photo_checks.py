"""Photo checks for the pre-valuation: can we judge the item from these photos, and are they the
seller's own?

Each stored submission photo (a re-encoded JPEG in private storage, see listings.photos) is

- decoded and verified, with Pillow's decompression-bomb guard turned into a refusal;
- measured: its shortest side must be at least MIN_SHORT_SIDE pixels (from the header, no decoding);
- looked at at reduced size (listings.photo_hash.analysis_image: JPEG decodes straight to 1/4 or
  1/8 scale, luminance only), which is all that blur, exposure and the hash need:
  - blur: the variance of a Laplacian (edge) filter. Sharp edges give large positive and negative
    responses, a blurred photo only small ones;
  - exposure: the mean luminance, too dark below DARK_MEAN_LUMINANCE, washed out above
    BRIGHT_MEAN_LUMINANCE (a product on a white sheet averages about 200 to 225, which is fine);
  - a 64-bit perceptual hash (dHash), stored on the photo;
- compared with every other submission's and listing's photos: the hash finds candidates with an
  indexed lookup (exactly, one bit apart, or apart in its least certain bits), and a 32 by 32
  signature of both photos confirms them. A photo of the same submission is never a duplicate: two
  views may look alike. A photo another seller already used is a strong flag (it may not be this
  seller's item); one the same seller used before (their own old listing) is an ordinary flag.

Flags are codes with parameters, stored on the Valuation with the photo's view code ("front");
`photo_flag_text` says in the reader's language what is wrong and what to do (for the seller), and
`photo_flag_problem` names the problem in a few words (for staff). Pages name the photo by its
view's label in the reader's language ("Front", "正面": Questionnaire.view_label), never by its
code. Each check is a flag, not a refusal: the seller may still go on, replace a flagged photo while
the item is not yet on its way (recycling.services.photos), and the inspection decides.
"""

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFilter, ImageStat

from listings.models import ListingPhoto
from listings.photo_hash import (
    analysis_image,
    is_distinctive,
    likeness,
    near_hashes,
    photo_hash,
    signature,
    stored_photo_signature,
)
from listings.photos import ACCEPTED_FORMATS

MIN_SHORT_SIDE = 800
# Variance of the Laplacian at the analysis size (shortest side 720 px). Photos of things with any
# texture or edges score well over a hundred; out of focus or shaken by a pixel or two at that size,
# they score under twenty. Set low: a sharp photo of a smooth object on a plain table scores low too.
BLUR_MAX_EDGE_VARIANCE = 25.0
DARK_MEAN_LUMINANCE = 40.0
BRIGHT_MEAN_LUMINANCE = 235.0
# Copies of one photo (re-encoded, resized, a listing's WebP thumbnail re-uploaded) score above 0.999
# on listings.photo_hash.likeness; different photos of one kind of scene stayed below 0.98.
SAME_PHOTO_LIKENESS = 0.99
MAX_CANDIDATES_PER_PHOTO = 10

# The 3x3 Laplacian, offset to mid-grey so that negative responses survive in an 8-bit image.
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)

# Errors Pillow raises for files that are damaged or lie about their content.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


class FlagCode:
    UNREADABLE = "unreadable"
    TOO_SMALL = "too_small"
    BLURRED = "blurred"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    DUPLICATE = "duplicate"  # another seller's photo: strong
    DUPLICATE_OWN = "duplicate_own"  # the same seller used it for another item before


STRONG_FLAGS = frozenset({FlagCode.DUPLICATE})

FLAG_ADVICE = {
    FlagCode.UNREADABLE: _("We could not read this photo. Please upload it again."),
    FlagCode.TOO_SMALL: _(
        "This photo is %(width)s by %(height)s pixels; its shorter side needs at least %(minimum)s. "
        "Take it again at your camera's full resolution."
    ),
    FlagCode.BLURRED: _(
        "This photo is blurred. Hold the camera steady, tap the item to focus, and take it again."
    ),
    FlagCode.TOO_DARK: _("This photo is too dark. Take it again in daylight or a well-lit room."),
    FlagCode.TOO_BRIGHT: _(
        "This photo is washed out. Avoid direct sunlight and flash glare, and take it again."
    ),
    FlagCode.DUPLICATE: _(
        "This photo was already used on Reloop for another item. Please photograph your own item "
        "as it is now."
    ),
    FlagCode.DUPLICATE_OWN: _(
        "You have used this photo before for another item. Please photograph this item as it is now."
    ),
}


# The same, in a few words for staff lists (the receiving desk, the inspection desk).
FLAG_PROBLEMS = {
    FlagCode.UNREADABLE: _("Could not be read"),
    FlagCode.TOO_SMALL: _("Too small: %(width)s by %(height)s pixels"),
    FlagCode.BLURRED: _("Blurred"),
    FlagCode.TOO_DARK: _("Too dark"),
    FlagCode.TOO_BRIGHT: _("Washed out"),
    FlagCode.DUPLICATE: _("Already used on Reloop by another seller"),
    FlagCode.DUPLICATE_OWN: _("Used before by the same seller for another item"),
}


@dataclass(frozen=True)
class PhotoAnalysis:
    """What the checks found in one photo. `flags` holds codes (FlagCode); `params` their figures."""

    width: int = 0
    height: int = 0
    phash: str = ""
    weak_bits: tuple[int, ...] = ()  # see listings.photo_hash.PhotoHash
    signature: bytes = b""  # see listings.photo_hash.signature
    edge_variance: float | None = None
    mean_luminance: float | None = None
    flags: tuple[str, ...] = ()
    params: dict[str, dict] = field(default_factory=dict)

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1_000_000


def analyse_photo(source: bytes | IO[bytes]) -> PhotoAnalysis:
    """Run every check that needs only the photo itself (all but duplicates). Never raises for a bad
    file: an unreadable photo is a flag."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    with warnings.catch_warnings():
        # Past MAX_IMAGE_PIXELS Pillow only warns; a bomb is unreadable here, not a warning.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            stream.seek(0)
            image = Image.open(stream, formats=ACCEPTED_FORMATS)
            width, height = image.size
            if width < 1 or height < 1 or width * height > settings.LISTING_PHOTO_MAX_PIXELS:
                return PhotoAnalysis(width=width, height=height, flags=(FlagCode.UNREADABLE,))
            image.verify()
            stream.seek(0)
            image = Image.open(stream, formats=ACCEPTED_FORMATS)
            # Every byte of the compressed data is read here, even at reduced scale: a truncated or
            # corrupt file fails now.
            small = analysis_image(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError, *_DECODE_ERRORS):
            return PhotoAnalysis(flags=(FlagCode.UNREADABLE,))

    flags: list[str] = []
    params: dict[str, dict] = {}
    if min(width, height) < MIN_SHORT_SIDE:
        flags.append(FlagCode.TOO_SMALL)
        params[FlagCode.TOO_SMALL] = {"width": width, "height": height, "minimum": MIN_SHORT_SIDE}

    mean_luminance = ImageStat.Stat(small).mean[0]
    edges = small.filter(_LAPLACIAN)
    # Pillow copies the outermost pixels unfiltered; left in, they would read as strong edges.
    edges = edges.crop((1, 1, max(2, edges.width - 1), max(2, edges.height - 1)))
    edge_variance = ImageStat.Stat(edges).var[0]
    if mean_luminance < DARK_MEAN_LUMINANCE:
        flags.append(FlagCode.TOO_DARK)
    elif mean_luminance > BRIGHT_MEAN_LUMINANCE:
        flags.append(FlagCode.TOO_BRIGHT)
    elif edge_variance < BLUR_MAX_EDGE_VARIANCE:
        # Under- or overexposed photos have little contrast and would all look blurred too; one
        # flag, the one to fix first, is enough.
        flags.append(FlagCode.BLURRED)

    hashed = photo_hash(small)
    return PhotoAnalysis(
        width=width,
        height=height,
        phash=hashed.value,
        weak_bits=hashed.weak_bits,
        signature=signature(small),
        edge_variance=round(edge_variance, 1),
        mean_luminance=round(mean_luminance, 1),
        flags=tuple(flags),
        params=params,
    )


def duplicate_flags(
    *, analyses: Iterable[PhotoAnalysis], submission_id: int, seller_id: int
) -> dict[str, str]:
    """Which of these photos (by hash) were used before, for another submission or a listing:
    FlagCode.DUPLICATE when someone else used it, else FlagCode.DUPLICATE_OWN.

    Candidates come from two indexed queries for all the photos together (the hash exactly, one bit
    apart, or apart in its weak bits: listings.photo_hash.near_hashes); each is then confirmed on
    the photos' signatures (SAME_PHOTO_LIKENESS), reading at most MAX_CANDIDATES_PER_PHOTO stored
    files per photo. Plain pictures (listings.photo_hash.is_distinctive) are never matched. Photos
    of this submission itself are not compared.
    """
    from recycling.models import SubmissionPhoto

    by_hash = {a.phash: a for a in analyses if a.phash and a.signature and is_distinctive(a.phash)}
    origins: dict[str, set[str]] = {}
    for phash, analysis in by_hash.items():
        for near in near_hashes(phash, analysis.weak_bits):
            origins.setdefault(near, set()).add(phash)
    if not origins:
        return {}
    candidates = list(
        SubmissionPhoto.objects.filter(phash__in=origins)
        .exclude(submission_id=submission_id)
        .values_list("phash", "submission__seller_id", "key")
    )
    candidates += ListingPhoto.objects.filter(phash__in=origins).values_list(
        "phash", "listing__seller_id", "key"
    )
    # Someone else's photo first: once one is confirmed the photo's flag cannot get stronger.
    candidates.sort(key=lambda candidate: candidate[1] == seller_id)

    found: dict[str, str] = {}
    examined: dict[str, int] = {}
    signatures: dict[str, bytes | None] = {}
    for matched, owner_id, key in candidates:
        code = FlagCode.DUPLICATE_OWN if owner_id == seller_id else FlagCode.DUPLICATE
        for phash in origins[matched]:
            if phash in found or examined.get(phash, 0) >= MAX_CANDIDATES_PER_PHOTO:
                continue
            examined[phash] = examined.get(phash, 0) + 1
            if key not in signatures:
                signatures[key] = _stored_signature(key)
            other = signatures[key]
            if other is not None and likeness(by_hash[phash].signature, other) >= SAME_PHOTO_LIKENESS:
                found[phash] = code
    return found


def _stored_signature(key: str) -> bytes | None:
    try:
        return stored_photo_signature(key)
    except (Image.DecompressionBombError, *_DECODE_ERRORS):  # gone or unreadable: cannot confirm
        return None


def photo_flag(*, view: str, code: str, params: dict | None = None) -> dict:
    """A flag as stored in Valuation.photo_flags (JSON)."""
    return {"view": view, "code": code, "strong": code in STRONG_FLAGS, "params": params or {}}


def _worded(text: object, flag: dict) -> str | None:
    """`text` with the flag's figures, None when they do not fit it (rows outlive code)."""
    params = flag.get("params") or {}
    try:
        return str(text) % params if params else str(text)
    except (KeyError, TypeError, ValueError):
        return None


def photo_flag_text(flag: dict) -> str:
    """What is wrong with a flagged photo and what to do, in the active language."""
    worded = _worded(FLAG_ADVICE.get(flag.get("code", ""), ""), flag)
    return worded or gettext("This photo needs another look.")


def photo_flag_problem(flag: dict) -> str:
    """What is wrong with a flagged photo in a few words, in the active language (for staff)."""
    worded = _worded(FLAG_PROBLEMS.get(flag.get("code", ""), ""), flag)
    return worded or gettext("Needs another look")
