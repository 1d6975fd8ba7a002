"""The photo checks: what an upload must be to be accepted, and what is kept of it."""

import io

import pytest
from PIL import Image

from listings import photos
from listings.errors import PhotoRejected
from tests.listings import images


def _decoded(checked: photos.CheckedPhoto) -> Image.Image:
    return Image.open(io.BytesIO(checked.data))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (images.jpeg_bytes(), "phone.jpg"),
        (images.png_bytes(), "phone.png"),
        (images.webp_bytes(), "phone.webp"),
    ],
)
def test_accepts_jpeg_png_and_webp_and_keeps_a_jpeg(data, name):
    checked = photos.check_photo(images.upload(data, name))

    stored = _decoded(checked)
    assert stored.format == "JPEG"
    assert stored.mode == "RGB"
    assert stored.size == (checked.width, checked.height)


def test_identifies_by_content_not_by_name_or_content_type():
    # a real PNG sent as "photo.gif" with a made-up content type is still a PNG
    checked = photos.check_photo(images.upload(images.png_bytes(), "photo.gif", "application/x-nonsense"))

    assert (checked.width, checked.height) == (800, 600)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (images.SHELL_SCRIPT, "holiday.jpg"),
        (images.gif_bytes(), "animation.gif"),
        (images.SVG, "logo.svg"),
        (b"", "empty.jpg"),
    ],
)
def test_refuses_what_is_not_a_jpeg_png_or_webp(data, name):
    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(data, name))

    assert raised.value.code == "not_a_photo"
    assert "JPEG, PNG or WebP" in str(raised.value)


def test_refuses_a_file_over_the_byte_limit_before_reading_it():
    thirty_megabytes = images.jpeg_bytes((64, 64)) + b"\0" * (30 * 1024 * 1024)

    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(thirty_megabytes))

    assert raised.value.code == "too_large"
    assert "15.0\xa0MB" in str(raised.value)


def test_refuses_a_decompression_bomb_from_its_header():
    bomb = images.png_bomb_bytes(30_000, 30_000)
    assert len(bomb) < 200  # tiny on the wire, 900 megapixels once decoded

    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(bomb, "bomb.png", "image/png"))

    assert raised.value.code == "too_many_pixels"
    assert "too many pixels" in str(raised.value)


def test_pillows_own_bomb_warning_is_a_refusal(settings, monkeypatch):
    # Our limit set out of the way, so that only Pillow's guard stands: its warning must refuse.
    settings.LISTING_PHOTO_MAX_PIXELS = 10**12
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)

    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(images.png_bytes((150, 100)), "a.png", "image/png"))

    assert raised.value.code == "too_many_pixels"


def test_respects_the_configured_pixel_limit(settings):
    settings.LISTING_PHOTO_MAX_PIXELS = 1000 * 1000

    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(images.jpeg_bytes((1200, 900))))

    assert raised.value.code == "too_many_pixels"


def test_refuses_a_truncated_jpeg():
    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(images.truncated_jpeg_bytes()))

    assert raised.value.code == "damaged"


def test_refuses_a_png_with_a_broken_checksum():
    data = bytearray(images.png_bytes())
    data[-30] ^= 0xFF  # inside the image data, so its chunk checksum no longer matches

    with pytest.raises(PhotoRejected) as raised:
        photos.check_photo(images.upload(bytes(data), "a.png", "image/png"))

    assert raised.value.code == "damaged"


def test_strips_gps_exif_comments_and_every_other_metadata():
    original = images.jpeg_bytes(gps=True, comment=b"taken at home, 12 Example Road")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(images.GPS_IFD)  # the test is real

    stored = _decoded(photos.check_photo(images.upload(original)))

    assert len(stored.getexif()) == 0
    assert not {"exif", "comment", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(stored.info)
    assert b"Example Road" not in photos.check_photo(images.upload(original)).data


def test_applies_exif_orientation():
    # stored 1200 wide x 900 tall, with "rotate 90° clockwise to display" (orientation 6)
    checked = photos.check_photo(images.upload(images.jpeg_bytes((1200, 900), orientation=6)))

    assert (checked.width, checked.height) == (900, 1200)
    # the red block drawn in the top-left corner of the stored pixels is now top-right
    stored = _decoded(checked).convert("RGB")
    red, green, blue = stored.getpixel((900 - 30, 30))
    assert red > 200 and green < 60 and blue < 60


def test_flattens_transparency_on_white():
    checked = photos.check_photo(images.upload(images.png_bytes(alpha=True), "a.png", "image/png"))

    assert _decoded(checked).getpixel((400, 300)) == pytest.approx((255, 255, 255), abs=3)


def test_thumbnails_at_every_width_without_upscaling(settings):
    key = photos.new_key()
    photos.store_private(key, photos.check_photo(images.upload(images.jpeg_bytes((600, 400)))))

    names = photos.make_thumbnails(key)

    assert names == [photos.thumbnail_name(key, width) for width in (240, 480, 960)]
    sizes = {}
    for width in settings.LISTING_THUMBNAIL_WIDTHS:
        path = settings.MEDIA_ROOT / "listings" / key[:2] / f"{key}-{width}.webp"
        with Image.open(path) as thumbnail:
            assert thumbnail.format == "WEBP"
            sizes[width] = thumbnail.size
    assert sizes == {240: (240, 160), 480: (480, 320), 960: (600, 400)}


def test_the_stored_copy_is_private_and_has_no_url(settings):
    key = photos.new_key()
    photos.store_private(key, photos.check_photo(images.upload(images.jpeg_bytes((300, 200)))))

    assert (settings.PRIVATE_MEDIA_ROOT / photos.stored_name(key)).exists()
    assert not (settings.MEDIA_ROOT / photos.stored_name(key)).exists()
    with pytest.raises(NotImplementedError):
        photos.private_storage().url(photos.stored_name(key))


def test_delete_files_removes_the_copy_and_every_thumbnail(settings):
    key = photos.new_key()
    photos.store_private(key, photos.check_photo(images.upload(images.jpeg_bytes((300, 200)))))
    photos.make_thumbnails(key)

    photos.delete_files(key)
    photos.delete_files(key)  # twice is fine

    assert not list((settings.MEDIA_ROOT / "listings").rglob("*.webp"))
    assert not list((settings.PRIVATE_MEDIA_ROOT / "listings").rglob("*.jpg"))
