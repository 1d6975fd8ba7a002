"""Perceptual hashes of photos: the same picture re-uploaded, re-compressed or resized gets the same
64-bit hash (or one that differs in a bit), so a re-used photo can be found with an index lookup.

The hash is a difference hash (dHash): the photo's luminance is averaged down to 9 by 8 cells and each
of the 64 bits says whether a cell is brighter than its right-hand neighbour by more than DEAD_ZONE
grey levels. It survives JPEG re-encoding, scaling and small colour shifts, and needs Pillow only.

The dead zone matters for product photos: a plain backdrop gives neighbouring cells that are equal
to within a level, and a plain "brighter than" would flip on every re-encoding; with the dead zone
those bits are steadily 0. Bits near the boundary can still flip in a copy; `near_hashes` lists the
variants worth looking up (measured on re-encoded, resized and WebP-thumbnailed copies of drawn
product scenes: all found, no unrelated scene matched).

Listing photos are hashed here when they are processed (listings.services.listing_photo_process);
the recycling app's photo checks hash submission photos with the same functions, so the two can be
compared. Both decode at reduced size through `analysis_image`, which keeps them consistent.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from PIL import Image

from listings import photos

# Photos are analysed (hashed, and by the recycling app checked for blur and exposure) at this
# shortest side. JPEG decodes straight to 1/2, 1/4 or 1/8 scale, so a 12-megapixel photo costs a
# fraction of a full decode.
ANALYSIS_SHORT_SIDE = 720

HASH_WIDTH = 9  # 9 columns give 8 left/right comparisons per row
HASH_HEIGHT = 8
HASH_BITS = 64

# A hash with almost no bits set (or almost all) comes from a plain picture: a white wall, a black
# frame. Many different photos share such hashes, so they are never called duplicates.
MIN_DISTINCT_BITS = 6

DEAD_ZONE = 3  # grey levels (0-255) a cell must exceed its right-hand neighbour by to set its bit

# Duplicate lookups also try flipping the bits whose difference lies within WEAK_MARGIN grey levels of
# the boundary (the WEAK_BITS closest): JPEG re-encoding and resizing move cell averages by a level
# or two, which flips exactly those bits, sometimes two or three at once.
WEAK_BITS = 8
WEAK_MARGIN = 3

# A matching hash only nominates a candidate: many photos of a device on a table share the coarse
# structure a 64-bit hash sees. The candidate is confirmed on a 32 by 32 signature (`likeness`).
SIGNATURE_SIZE = (32, 32)


def analysis_image(image: Image.Image) -> Image.Image:
    """The photo's luminance ("L") with its shortest side at ANALYSIS_SHORT_SIDE (or smaller if the
    photo is). Loads the image; a truncated or damaged file raises here (OSError and friends)."""
    width, height = image.size
    scale = ANALYSIS_SHORT_SIDE / min(width, height)
    target = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
    if scale < 1:
        # draft() picks the smallest JPEG scale that is still at least `target`; other formats ignore it.
        image.draft("L", target)
    luminance = image.convert("L")
    if scale < 1 and luminance.size != target:
        luminance = luminance.resize(target, Image.Resampling.BOX)
    return luminance


@dataclass(frozen=True)
class PhotoHash:
    value: str  # 16 hex digits
    # Bit positions (0 = least significant) whose cells were closest to the boundary, closest first:
    # the bits a re-encoding is most likely to flip.
    weak_bits: tuple[int, ...] = ()


def photo_hash(image: Image.Image) -> PhotoHash:
    """64-bit dHash of an image, with its least certain bits (at most WEAK_BITS)."""
    cells = image.convert("L").resize((HASH_WIDTH, HASH_HEIGHT), Image.Resampling.BOX)
    values = cells.tobytes()  # one byte per cell, row by row
    bits = 0
    margins: list[tuple[int, int]] = []
    for row in range(HASH_HEIGHT):
        offset = row * HASH_WIDTH
        for column in range(HASH_WIDTH - 1):
            difference = values[offset + column] - values[offset + column + 1]
            bits = (bits << 1) | (difference > DEAD_ZONE)
            position = HASH_BITS - 1 - len(margins)
            # Distance from the boundary, which lies between DEAD_ZONE and DEAD_ZONE + 1.
            margins.append((abs(2 * difference - 2 * DEAD_ZONE - 1), position))
    margins.sort()
    weak = tuple(position for margin, position in margins[:WEAK_BITS] if margin <= 2 * WEAK_MARGIN)
    return PhotoHash(value=f"{bits:016x}", weak_bits=weak)


def difference_hash(image: Image.Image) -> str:
    """64-bit dHash of an image as 16 hex digits."""
    return photo_hash(image).value


def is_distinctive(phash: str) -> bool:
    """False for hashes of plain pictures, which say nothing about which photo it was."""
    set_bits = int(phash, 16).bit_count()
    return MIN_DISTINCT_BITS <= set_bits <= HASH_BITS - MIN_DISTINCT_BITS


def near_hashes(phash: str, weak_bits: Sequence[int] = ()) -> set[str]:
    """The hashes a copy of this photo may have: itself, every hash one bit away, and every
    combination of flips of its weak bits (at most 1 + 64 + 2 ** WEAK_BITS values). Looked up with
    an indexed `phash IN (...)`, this finds re-encoded and resized copies without scanning."""
    value = int(phash, 16)
    variants = {value} | {value ^ (1 << bit) for bit in range(HASH_BITS)}
    for count in range(2, len(weak_bits) + 1):
        for flipped in combinations(weak_bits, count):
            mask = 0
            for bit in flipped:
                mask |= 1 << bit
            variants.add(value ^ mask)
    return {f"{variant:016x}" for variant in variants}


def signature(image: Image.Image) -> bytes:
    """The photo's luminance averaged down to SIGNATURE_SIZE, one byte per cell: a finer likeness
    than the hash, to confirm that a photo whose hash matched is really the same picture."""
    return image.convert("L").resize(SIGNATURE_SIZE, Image.Resampling.BOX).tobytes()


def likeness(first: bytes, second: bytes) -> float:
    """Pearson correlation of two signatures, from -1 to 1. Copies of one photo (re-encoded, resized,
    thumbnailed) score above 0.999; different photos of similar scenes rarely above 0.98."""
    count = len(first)
    if count == 0 or count != len(second):
        return 0.0
    mean_first = sum(first) / count
    mean_second = sum(second) / count
    covariance = variance_first = variance_second = 0.0
    for a, b in zip(first, second, strict=True):
        da, db = a - mean_first, b - mean_second
        covariance += da * db
        variance_first += da * da
        variance_second += db * db
    if not variance_first or not variance_second:
        return 1.0 if first == second else 0.0
    return covariance / math.sqrt(variance_first * variance_second)


def _open_stored(key: str) -> Image.Image:
    with photos.private_storage().open(photos.stored_name(key), "rb") as source:
        return analysis_image(Image.open(source, formats=("JPEG",)))


def stored_photo_hash(key: str) -> str:
    """Hash of the re-encoded copy stored under `key` (see listings.photos.stored_name).

    Raises FileNotFoundError if it is gone, and Pillow's errors if it cannot be decoded.
    """
    return difference_hash(_open_stored(key))


def stored_photo_signature(key: str) -> bytes:
    """Signature of the copy stored under `key`; raises like stored_photo_hash."""
    return signature(_open_stored(key))
