"""Photo checks on generated images: what each check flags, and what it leaves alone."""

import io

import pytest
from PIL import Image, ImageDraw

from listings import photos
from listings.models import ListingPhoto, PhotoStatus
from listings.photo_hash import analysis_image, difference_hash, is_distinctive, near_hashes
from listings.services import listing_photo_process
from recycling.photo_checks import (
    MIN_SHORT_SIDE,
    FlagCode,
    analyse_photo,
    duplicate_flags,
    photo_flag,
    photo_flag_text,
)
from tests.factories import ListingFactory, SubmissionFactory, UserFactory
from tests.recycling.photo_samples import blurred, checkerboard, jpeg, scene, store_submission_photo


def _text_card(size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """Lines of small print, like a box label or a receipt."""
    image = Image.new("RGB", size, (240, 240, 235))
    draw = ImageDraw.Draw(image)
    for row, y in enumerate(range(20, size[1] - 20, 22)):
        draw.text((20, y), f"Serial RL{row:04d} IMEI 35{row:013d} Made in Shenzhen " * 3, fill=(20, 20, 20))
    return image


@pytest.mark.parametrize("make", [checkerboard, scene, _text_card], ids=["checkerboard", "scene", "text"])
def test_a_sharp_well_lit_photo_has_no_flags_and_the_same_blurred_is_flagged(make):
    sharp = analyse_photo(jpeg(make()))
    soft = analyse_photo(jpeg(blurred(make())))

    assert sharp.flags == ()
    assert soft.flags == (FlagCode.BLURRED,)
    assert soft.edge_variance < sharp.edge_variance
    assert len(sharp.phash) == 16


def test_a_dark_photo_is_flagged_too_dark():
    dark = checkerboard(light=45, dark=5)  # mean luminance about 25

    result = analyse_photo(jpeg(dark))

    assert result.flags == (FlagCode.TOO_DARK,)
    assert result.mean_luminance < 40


def test_a_washed_out_photo_is_flagged_too_bright():
    result = analyse_photo(jpeg(checkerboard(light=255, dark=230)))

    assert result.flags == (FlagCode.TOO_BRIGHT,)


def test_a_photo_with_a_short_side_under_800_pixels_is_flagged_too_small():
    result = analyse_photo(jpeg(scene((1000, 700))))

    assert result.flags == (FlagCode.TOO_SMALL,)
    assert result.params[FlagCode.TOO_SMALL] == {"width": 1000, "height": 700, "minimum": MIN_SHORT_SIDE}
    assert "1000 by 700 pixels" in photo_flag_text(
        photo_flag(view="front", code=FlagCode.TOO_SMALL, params=result.params[FlagCode.TOO_SMALL])
    )


@pytest.mark.parametrize(
    "data",
    [b"not a photo at all", jpeg(scene())[:5000], b""],
    ids=["text", "truncated", "empty"],
)
def test_an_unreadable_file_is_a_flag_not_an_error(data):
    result = analyse_photo(data)

    assert result.flags == (FlagCode.UNREADABLE,)
    assert result.phash == ""


def test_a_decompression_bomb_is_unreadable(settings):
    settings.LISTING_PHOTO_MAX_PIXELS = 1000 * 1000

    result = analyse_photo(jpeg(scene((1600, 1200))))

    assert result.flags == (FlagCode.UNREADABLE,)


def test_a_12_megapixel_photo_is_analysed_at_reduced_size():
    data = jpeg(scene((4000, 3000)))

    result = analyse_photo(data)
    with Image.open(io.BytesIO(data)) as image:
        small = analysis_image(image)

    assert (result.width, result.height) == (4000, 3000)  # the size check reads the header
    assert small.size == (960, 720)
    assert small.mode == "L"
    assert result.flags == ()


def test_the_hash_survives_resizing_and_recompression():
    original = scene((3000, 2000), seed=7)
    copy = original.resize((1500, 1000))

    first = analyse_photo(jpeg(original, quality=92))
    second = analyse_photo(jpeg(copy, quality=70))

    assert second.phash in near_hashes(first.phash, first.weak_bits)
    other = analyse_photo(jpeg(scene((3000, 2000), seed=8)))
    assert other.phash not in near_hashes(first.phash, first.weak_bits)


def test_a_plain_picture_is_never_distinctive():
    flat = difference_hash(Image.new("L", (900, 900), 128))

    assert flat == "0000000000000000"
    assert not is_distinctive(flat)


pytestmark_db = pytest.mark.django_db


def _listing_photo(listing, data: bytes) -> ListingPhoto:
    key = photos.new_key()
    photos.store_private(key, photos.CheckedPhoto(data=data, width=1200, height=900))
    photo = ListingPhoto.objects.create(listing=listing, key=key, width=1200, height=900)
    return listing_photo_process(photo_id=photo.pk)


@pytestmark_db
def test_processing_a_listing_photo_stores_its_hash():
    data = jpeg(scene(seed=3))

    photo = _listing_photo(ListingFactory(), data)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY
    assert photo.phash == analyse_photo(data).phash


@pytestmark_db
def test_a_photo_from_another_sellers_listing_is_a_strong_duplicate():
    data = jpeg(scene(seed=4))
    _listing_photo(ListingFactory(), data)
    submission = SubmissionFactory()
    analysis = analyse_photo(data)

    found = duplicate_flags(analyses=[analysis], submission_id=submission.pk, seller_id=submission.seller_id)

    assert found == {analysis.phash: FlagCode.DUPLICATE}
    assert photo_flag(view="front", code=FlagCode.DUPLICATE)["strong"] is True


@pytestmark_db
def test_a_listing_thumbnail_uploaded_again_is_found():
    # What a copycat does: save the listing's largest WebP thumbnail and upload it, which intake
    # re-encodes as a JPEG.
    listing_photo = _listing_photo(ListingFactory(), jpeg(scene((1600, 1200), seed=11)))
    with Image.open(photos.public_storage().path(photos.thumbnail_name(listing_photo.key, 960))) as thumbnail:
        copy = jpeg(thumbnail)
    submission = SubmissionFactory()
    analysis = analyse_photo(copy)

    found = duplicate_flags(analyses=[analysis], submission_id=submission.pk, seller_id=submission.seller_id)

    assert found == {analysis.phash: FlagCode.DUPLICATE}


@pytestmark_db
def test_a_photo_from_the_sellers_own_listing_is_an_ordinary_duplicate():
    seller = UserFactory()
    data = jpeg(scene(seed=5))
    _listing_photo(ListingFactory(seller=seller), data)
    submission = SubmissionFactory(seller=seller)
    analysis = analyse_photo(data)

    found = duplicate_flags(analyses=[analysis], submission_id=submission.pk, seller_id=seller.pk)

    assert found == {analysis.phash: FlagCode.DUPLICATE_OWN}
    assert photo_flag(view="front", code=FlagCode.DUPLICATE_OWN)["strong"] is False


@pytestmark_db
def test_a_photo_from_another_sellers_submission_is_a_duplicate():
    data = jpeg(scene(seed=6))
    analysis = analyse_photo(data)
    earlier = store_submission_photo(SubmissionFactory(), "front", data)
    earlier.phash = analysis.phash
    earlier.save()
    submission = SubmissionFactory()

    found = duplicate_flags(analyses=[analysis], submission_id=submission.pk, seller_id=submission.seller_id)

    assert found == {analysis.phash: FlagCode.DUPLICATE}


@pytestmark_db
def test_a_photo_of_the_same_submission_is_not_a_duplicate():
    data = jpeg(scene(seed=9))
    analysis = analyse_photo(data)
    submission = SubmissionFactory()
    for view in ("front", "back"):  # the same picture twice, or a hash stored by an earlier run
        photo = store_submission_photo(submission, view, data)
        photo.phash = analysis.phash
        photo.save()

    found = duplicate_flags(
        analyses=[analysis, analysis], submission_id=submission.pk, seller_id=submission.seller_id
    )

    assert found == {}


@pytestmark_db
def test_a_matching_hash_is_not_enough_the_pictures_must_match_too():
    # Another seller's photo whose hash happens to be one bit from ours, but a different picture.
    analysis = analyse_photo(jpeg(scene(seed=12)))
    other = _listing_photo(ListingFactory(), jpeg(scene(seed=13)))
    ListingPhoto.objects.filter(pk=other.pk).update(phash=f"{int(analysis.phash, 16) ^ 1:016x}")
    submission = SubmissionFactory()

    found = duplicate_flags(analyses=[analysis], submission_id=submission.pk, seller_id=submission.seller_id)

    assert found == {}


@pytestmark_db
def test_a_hash_one_bit_away_is_still_found_but_a_plain_picture_never_is():
    data = jpeg(scene(seed=10))
    analysis = analyse_photo(data)
    listing_photo = _listing_photo(ListingFactory(), data)
    ListingPhoto.objects.filter(pk=listing_photo.pk).update(phash=f"{int(analysis.phash, 16) ^ 1:016x}")
    plain_data = jpeg(Image.new("RGB", (1200, 900), (128, 128, 128)))
    plain = analyse_photo(plain_data)
    _listing_photo(ListingFactory(), plain_data)
    submission = SubmissionFactory()

    found = duplicate_flags(
        analyses=[analysis, plain], submission_id=submission.pk, seller_id=submission.seller_id
    )

    assert plain.phash == "0" * 16
    assert found == {analysis.phash: FlagCode.DUPLICATE}


def test_every_flag_tells_the_seller_what_to_do():
    for code in (FlagCode.UNREADABLE, FlagCode.BLURRED, FlagCode.TOO_DARK, FlagCode.TOO_BRIGHT):
        assert photo_flag_text(photo_flag(view="front", code=code)).endswith(".")
    assert "your own item" in photo_flag_text(photo_flag(view="front", code=FlagCode.DUPLICATE))
