"""Perceptual hashes of photos: the same picture re-uploaded, re-compressed or resized gets the same
64-bit hash (or one that differs in a bit), so a re-used photo can be found with an index lookup.

The hash is a difference hash (dHash): the photo's luminance is averaged down to 9 by 8 cells and each
of the 64 bits says whether a cell is brighter than its right-hand neighbour. It survives JPEG
re-encoding, scaling and small colour shifts, and needs Pillow only.

Listing photos are hashed here when they are processed (listings.services.listing_photo_process);
the recycling app's photo checks hash submission photos with the same functions, so the two can be
compared. Both decode at reduced size through `analysis_image`, which keeps them consistent.
"""

import math

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
MIN_DISTINCT_BITS = 8


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


def difference_hash(image: Image.Image) -> str:
    """64-bit dHash of an image as 16 hex digits."""
    cells = image.convert("L").resize((HASH_WIDTH, HASH_HEIGHT), Image.Resampling.BOX)
    values = cells.tobytes()  # one byte per cell, row by row
    bits = 0
    for row in range(HASH_HEIGHT):
        offset = row * HASH_WIDTH
        for column in range(HASH_WIDTH - 1):
            bits = (bits << 1) | (values[offset + column] > values[offset + column + 1])
    return f"{bits:016x}"


def is_distinctive(phash: str) -> bool:
    """False for hashes of plain pictures, which say nothing about which photo it was."""
    set_bits = int(phash, 16).bit_count()
    return MIN_DISTINCT_BITS <= set_bits <= HASH_BITS - MIN_DISTINCT_BITS


def near_hashes(phash: str) -> list[str]:
    """The hash itself and every hash one bit away (65 values): a re-encoded copy whose hash moved by
    a bit is still found with an indexed `phash IN (...)` lookup instead of a scan."""
    value = int(phash, 16)
    return [phash] + [f"{value ^ (1 << bit):016x}" for bit in range(HASH_BITS)]


def stored_photo_hash(key: str) -> str:
    """Hash of the re-encoded copy stored under `key` (see listings.photos.stored_name).

    Raises FileNotFoundError if it is gone, and Pillow's errors if it cannot be decoded.
    """
    with photos.private_storage().open(photos.stored_name(key), "rb") as source:
        image = Image.open(source, formats=("JPEG",))
        return difference_hash(analysis_image(image))
