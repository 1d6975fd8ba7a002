"""Photos drawn on the fly for the pre-valuation tests, and stored the way intake stores them."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

from listings.photos import CheckedPhoto, new_key, store_private
from recycling.models import Submission, SubmissionPhoto


def jpeg(image: Image.Image, quality: int = 88) -> bytes:
    output = io.BytesIO()
    image.convert("RGB").save(output, format="JPEG", quality=quality)
    return output.getvalue()


def checkerboard(
    size: tuple[int, int] = (1200, 900), *, cell: int = 12, light: int = 230, dark: int = 30
) -> Image.Image:
    """Fine black-and-white squares: edges everywhere."""
    image = Image.new("L", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(0, height, cell):
        for x in range((y // cell) % 2 * cell, width, 2 * cell):
            draw.rectangle((x, y, x + cell - 1, y + cell - 1), fill=dark)
    return image.convert("RGB")


def scene(size: tuple[int, int] = (1200, 900), *, seed: int = 1) -> Image.Image:
    """Something like a product photo: a device on a textured table, different for every seed."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (rng.randint(150, 200), rng.randint(140, 190), rng.randint(120, 170)))
    draw = ImageDraw.Draw(image)
    for _i in range(40):
        x, y = rng.randint(0, width), rng.randint(0, height)
        radius = rng.randint(width // 60, width // 8)
        colour = tuple(rng.randint(0, 255) for _c in range(3))
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), outline=colour, width=max(2, width // 300)
        )
    left, top = rng.uniform(0.15, 0.35) * width, rng.uniform(0.1, 0.25) * height
    draw.rounded_rectangle(
        (left, top, left + width * 0.35, top + height * 0.65), radius=width // 40, fill=(35, 35, 40)
    )
    draw.rounded_rectangle(
        (left + width * 0.02, top + height * 0.04, left + width * 0.33, top + height * 0.58),
        radius=width // 80,
        fill=(rng.randint(40, 90), rng.randint(80, 140), rng.randint(130, 200)),
    )
    noise = Image.effect_noise(size, 20).convert("RGB")
    return Image.blend(image, noise, 0.1)


def blurred(image: Image.Image, radius: float = 6) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def store_submission_photo(submission: Submission, view: str, data: bytes) -> SubmissionPhoto:
    """A photo as intake leaves it: the JPEG in private storage under a new key, and its row."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    key = new_key()
    store_private(key, CheckedPhoto(data=data, width=width, height=height))
    return SubmissionPhoto.objects.create(
        submission=submission, view=view, key=key, width=width, height=height
    )
