"""Product photos for demo data, drawn with Pillow: no downloads, no stock photos, no logos.

`product_photo("phone", seed=7, colour="#2a2a2d", view=0)` returns JPEG bytes of a phone lying on a
soft background, its screen on; `view=1` shows the back (or a side, a sole, a close-up: what a
seller would photograph second). The same arguments always give the same bytes, and different
seeds give visibly different photos (background, props, angle, position, details), so that two
listings of the same model never share a picture.

Each drawing works in canvas units: (0, 0) is the centre, the canvas spans -0.5..0.5, and `Pen`
turns units into pixels, so a drawing can be placed smaller (a piece of jewellery in its box).
"""

import io
import math
import random
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)

BACKGROUNDS: tuple[tuple[str, str], ...] = (
    ("#f3efe9", "#ddd5ca"),
    ("#eef1f4", "#cfd6de"),
    ("#f4eee8", "#e2cfc0"),
    ("#edf2ec", "#cfdccd"),
    ("#f2f2f2", "#d6d6d6"),
    ("#f1ece3", "#c9b99f"),
    ("#e9eef3", "#b9c6d3"),
    ("#f5efef", "#dfc8c8"),
)

BRIGHT: tuple[str, ...] = (
    "#ff6b6b",
    "#ffa94d",
    "#ffd43b",
    "#69db7c",
    "#38d9a9",
    "#4dabf7",
    "#748ffc",
    "#da77f2",
    "#f783ac",
    "#a9e34b",
)

GOLD = (212, 175, 95)
STEEL = (200, 202, 206)
BLACK = (24, 24, 26)
WHITE = (246, 246, 244)


def rgb(value: str | Sequence[int]) -> RGB:
    if isinstance(value, str):
        value = value.lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    return (int(value[0]), int(value[1]), int(value[2]))


def shade(colour: RGB, factor: float) -> RGB:
    """Darker below 1, towards white above 1."""
    if factor <= 1:
        return tuple(max(0, round(c * factor)) for c in colour)  # type: ignore[return-value]
    return tuple(min(255, round(c + (255 - c) * (factor - 1))) for c in colour)  # type: ignore[return-value]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def brightness(colour: RGB) -> float:
    return (0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]) / 255


def contrast(colour: RGB) -> RGB:
    return BLACK if brightness(colour) > 0.6 else WHITE


def gradient(size: tuple[int, int], top: RGB, bottom: RGB, *, horizontal: bool = False) -> Image.Image:
    """A smooth two-colour gradient: one strip of pixels, stretched along the other axis (fast)."""
    width, height = max(size[0], 1), max(size[1], 1)
    steps = width if horizontal else height
    strip = Image.new("RGB", (steps, 1) if horizontal else (1, steps))
    strip.putdata([mix(top, bottom, i / max(steps - 1, 1)) for i in range(steps)])
    return strip.resize((width, height), Image.Resampling.NEAREST)


@cache
def font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def can_write_chinese() -> bool:
    return (font_path() or "").endswith(".ttc")


class Pen:
    """Draws in canvas units on an RGBA layer: x and y run from -0.5 to 0.5 around (cx, cy)."""

    def __init__(self, image: Image.Image, *, cx: float = 0.0, cy: float = 0.0, scale: float = 1.0) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.size = image.width
        self.cx, self.cy, self.scale = cx, cy, scale

    def inner(self, *, cx: float, cy: float, scale: float) -> "Pen":
        """A pen for a smaller drawing placed at (cx, cy) of this one."""
        return Pen(
            self.image, cx=self.cx + cx * self.scale, cy=self.cy + cy * self.scale, scale=self.scale * scale
        )

    def pt(self, x: float, y: float) -> tuple[float, float]:
        unit = self.size * self.scale
        return (
            self.size / 2 + self.cx * self.size + x * unit,
            self.size / 2 + self.cy * self.size + y * unit,
        )

    def length(self, value: float) -> int:
        return max(1, round(value * self.size * self.scale))

    def box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        (a, b), (c, d) = self.pt(x0, y0), self.pt(x1, y1)
        return [min(a, c), min(b, d), max(a, c), max(b, d)]

    def rect(self, x0, y0, x1, y1, fill=None, *, radius=0.0, outline=None, width=0.0) -> None:
        self.draw.rounded_rectangle(
            self.box(x0, y0, x1, y1),
            radius=self.length(radius) if radius else 0,
            fill=fill,
            outline=outline,
            width=self.length(width) if width else 0,
        )

    def ellipse(self, x, y, rx, ry, fill=None, *, outline=None, width=0.0) -> None:
        self.draw.ellipse(
            self.box(x - rx, y - ry, x + rx, y + ry),
            fill=fill,
            outline=outline,
            width=self.length(width) if width else 0,
        )

    def circle(self, x, y, r, fill=None, *, outline=None, width=0.0) -> None:
        self.ellipse(x, y, r, r, fill, outline=outline, width=width)

    def poly(self, points: Sequence[tuple[float, float]], fill=None, *, outline=None, width=0.0) -> None:
        self.draw.polygon(
            [self.pt(x, y) for x, y in points],
            fill=fill,
            outline=outline,
            width=self.length(width) if width else 0,
        )

    def line(self, points: Sequence[tuple[float, float]], fill, width: float) -> None:
        self.draw.line([self.pt(x, y) for x, y in points], fill=fill, width=self.length(width), joint="curve")

    def arc(self, x, y, rx, ry, start, end, fill, width: float) -> None:
        self.draw.arc(
            self.box(x - rx, y - ry, x + rx, y + ry), start, end, fill=fill, width=self.length(width)
        )

    def text(self, x: float, y: float, text: str, size: float, fill, *, anchor: str = "mm") -> None:
        self.draw.text(self.pt(x, y), text, font=font(self.length(size)), fill=fill, anchor=anchor)

    def paste(self, image: Image.Image, x0: float, y0: float, x1: float, y1: float, *, radius=0.0) -> None:
        """Paste an image into a (rounded) box, e.g. a gradient as a screen's wallpaper."""
        left, top, right, bottom = (round(v) for v in self.box(x0, y0, x1, y1))
        size = (max(right - left, 1), max(bottom - top, 1))
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            [0, 0, size[0] - 1, size[1] - 1], radius=self.length(radius) if radius else 0, fill=255
        )
        self.image.paste(image.resize(size).convert("RGBA"), (left, top), mask)

    def glaze(self, points: Sequence[tuple[float, float]], alpha: int) -> None:
        """A translucent white sheen (glass, gloss) over what is already drawn, never past its edges."""
        pixels = [self.pt(x, y) for x, y in points]
        left = max(0, math.floor(min(x for x, _y in pixels)))
        top = max(0, math.floor(min(y for _x, y in pixels)))
        right = min(self.image.width, math.ceil(max(x for x, _y in pixels)) + 1)
        bottom = min(self.image.height, math.ceil(max(y for _x, y in pixels)) + 1)
        if right <= left or bottom <= top:
            return
        sheen = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(sheen).polygon([(x - left, y - top) for x, y in pixels], fill=alpha)
        region = self.image.crop((left, top, right, bottom))
        mask = Image.composite(sheen, Image.new("L", sheen.size, 0), region.getchannel("A"))
        region.paste((255, 255, 255), (0, 0), mask)
        region.putalpha(self.image.crop((left, top, right, bottom)).getchannel("A"))
        self.image.paste(region, (left, top))


Drawing = Callable[[Pen, random.Random, RGB, int, str], None]


# --- Electronics -------------------------------------------------------------------------------------


def _wallpaper(pen: Pen, rng: random.Random, box: tuple[float, float, float, float], radius: float) -> None:
    a, b = rgb(rng.choice(BRIGHT)), rgb(rng.choice(BRIGHT))
    pen.paste(gradient((64, 64), shade(a, 0.8), shade(b, 0.6)), *box, radius=radius)


def _app_icons(pen: Pen, rng: random.Random, box, columns: int, rows: int, icon: float) -> None:
    x0, y0, x1, y1 = box
    for row in range(rows):
        for column in range(columns):
            if rng.random() < 0.12:
                continue
            x = x0 + (column + 0.5) * (x1 - x0) / columns
            y = y0 + (row + 0.5) * (y1 - y0) / rows
            colour = rgb(rng.choice(BRIGHT))
            pen.rect(x - icon / 2, y - icon / 2, x + icon / 2, y + icon / 2, colour, radius=icon * 0.25)
            pen.circle(x, y, icon * 0.18, shade(colour, 1.5))


def phone(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    w, h, r = 0.18, 0.37, 0.045
    frame = shade(colour, 0.85)
    pen.rect(-w - 0.006, -h * 0.55, -w + 0.004, -h * 0.40, shade(frame, 0.8), radius=0.003)
    pen.rect(w - 0.004, -h * 0.45, w + 0.006, -h * 0.25, shade(frame, 0.8), radius=0.003)
    pen.rect(-w, -h, w, h, frame, radius=r)
    if view == 0:
        pen.rect(-w + 0.008, -h + 0.008, w - 0.008, h - 0.008, BLACK, radius=r - 0.006)
        screen = (-w + 0.018, -h + 0.018, w - 0.018, h - 0.018)
        _wallpaper(pen, rng, screen, r - 0.014)
        pen.rect(-0.045, -h + 0.03, 0.045, -h + 0.052, BLACK, radius=0.011)
        pen.text(-w + 0.06, -h + 0.041, f"{rng.randint(8, 11)}:{rng.randint(10, 59)}", 0.02, WHITE)
        _app_icons(pen, rng, (-w + 0.03, -h + 0.09, w - 0.03, h * 0.45), 4, 5, 0.05)
        pen.rect(-w + 0.03, h - 0.1, w - 0.03, h - 0.035, shade(BLACK, 1.35), radius=0.03)
        _app_icons(pen, rng, (-w + 0.04, h - 0.1, w - 0.04, h - 0.035), 4, 1, 0.045)
        pen.glaze([(-w, -h), (w * 0.2, -h), (-w, h * 0.1)], 40)
        return
    # Back: camera bump at the top left, flash, a plain mark in the middle.
    pen.rect(-w + 0.006, -h + 0.006, w - 0.006, h - 0.006, colour, radius=r - 0.005)
    bump = shade(colour, 0.9)
    pen.rect(
        -w + 0.02,
        -h + 0.02,
        -w + 0.17,
        -h + 0.17,
        bump,
        radius=0.035,
        outline=shade(colour, 0.75),
        width=0.003,
    )
    lenses = [(-w + 0.06, -h + 0.06), (-w + 0.06, -h + 0.13), (-w + 0.13, -h + 0.095)]
    for x, y in lenses[: rng.choice((2, 3, 3))]:
        pen.circle(x, y, 0.03, shade(frame, 0.6))
        pen.circle(x, y, 0.022, BLACK)
        pen.circle(x, y, 0.011, (36, 44, 70))
        pen.circle(x - 0.007, y - 0.007, 0.004, (200, 210, 230))
    pen.circle(-w + 0.135, -h + 0.045, 0.01, (250, 240, 200))
    pen.circle(0, -0.02, 0.028, shade(colour, 1.15) if brightness(colour) < 0.5 else shade(colour, 0.9))
    pen.glaze([(-w, h * 0.2), (w, -h * 0.6), (w, -h * 0.3), (-w, h * 0.5)], 30)


def tablet(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    w, h, r = 0.28, 0.38, 0.03
    pen.rect(-w, -h, w, h, shade(colour, 0.85), radius=r)
    if view == 0:
        pen.rect(-w + 0.006, -h + 0.006, w - 0.006, h - 0.006, BLACK, radius=r - 0.004)
        screen = (-w + 0.025, -h + 0.025, w - 0.025, h - 0.025)
        _wallpaper(pen, rng, screen, 0.015)
        pen.text(0, -h + 0.1, f"{rng.randint(8, 11)}:{rng.randint(10, 59)}", 0.06, WHITE)
        _app_icons(pen, rng, (-w + 0.05, -h + 0.17, w - 0.05, h * 0.5), 5, 4, 0.055)
        pen.rect(-w + 0.08, h - 0.11, w - 0.08, h - 0.04, shade(BLACK, 1.4), radius=0.025)
        _app_icons(pen, rng, (-w + 0.1, h - 0.11, w - 0.1, h - 0.04), 6, 1, 0.045)
        pen.glaze([(-w, -h), (0, -h), (-w, 0)], 35)
        if "Pencil" in label or rng.random() < 0.3:
            pen.rect(
                w + 0.03,
                -h * 0.7,
                w + 0.05,
                h * 0.5,
                WHITE,
                radius=0.01,
                outline=shade(WHITE, 0.8),
                width=0.002,
            )
            pen.poly([(w + 0.03, h * 0.5), (w + 0.05, h * 0.5), (w + 0.04, h * 0.5 + 0.04)], (230, 225, 215))
        return
    pen.rect(-w + 0.004, -h + 0.004, w - 0.004, h - 0.004, colour, radius=r)
    pen.rect(-w + 0.02, -h + 0.02, -w + 0.08, -h + 0.08, shade(colour, 0.9), radius=0.02)
    pen.circle(-w + 0.05, -h + 0.05, 0.018, BLACK)
    pen.circle(-w + 0.05, -h + 0.05, 0.008, (40, 50, 80))
    pen.circle(0, 0, 0.04, shade(colour, 1.2) if brightness(colour) < 0.5 else shade(colour, 0.88))
    for i in range(3):
        pen.circle(-0.02 + i * 0.02, h - 0.015, 0.004, shade(colour, 0.6))


def laptop(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if view == 1:
        # Closed, seen from above.
        pen.rect(-0.36, -0.25, 0.36, 0.25, shade(colour, 0.8), radius=0.025)
        pen.rect(-0.355, -0.245, 0.355, 0.24, colour, radius=0.022)
        pen.circle(0, 0, 0.035, shade(colour, 1.2) if brightness(colour) < 0.5 else shade(colour, 0.88))
        pen.rect(-0.12, 0.24, 0.12, 0.25, shade(colour, 0.65))
        pen.glaze([(-0.36, 0.1), (0.2, -0.25), (0.3, -0.25), (-0.36, 0.2)], 28)
        return
    # Open: upright lid, keyboard deck in perspective below it.
    pen.rect(-0.33, -0.33, 0.33, 0.09, shade(colour, 0.7), radius=0.02)
    pen.rect(-0.325, -0.325, 0.325, 0.085, BLACK, radius=0.017)
    _wallpaper(pen, rng, (-0.305, -0.305, 0.305, 0.07), 0.004)
    for _ in range(rng.randint(1, 3)):
        x, y = rng.uniform(-0.28, 0.02), rng.uniform(-0.28, -0.12)
        pen.rect(x, y, x + 0.24, y + 0.16, (245, 246, 248), radius=0.008)
        pen.rect(x, y, x + 0.24, y + 0.022, (222, 225, 230), radius=0.008)
        for i, dot in enumerate(("#ff5f57", "#febc2e", "#28c840")):
            pen.circle(x + 0.014 + i * 0.016, y + 0.011, 0.005, rgb(dot))
        for line in range(4):
            pen.rect(
                x + 0.02,
                y + 0.04 + line * 0.025,
                x + 0.02 + rng.uniform(0.08, 0.2),
                y + 0.05 + line * 0.025,
                (200, 204, 212),
            )
    pen.rect(-0.3, 0.04, 0.3, 0.07, (240, 240, 245, 255), radius=0.006)
    for i in range(8):
        pen.rect(-0.14 + i * 0.036, 0.045, -0.116 + i * 0.036, 0.065, rgb(BRIGHT[i]), radius=0.005)
    deck_top, deck_bottom = 0.09, 0.3
    pen.poly([(-0.33, deck_top), (0.33, deck_top), (0.42, deck_bottom), (-0.42, deck_bottom)], colour)
    pen.poly(
        [
            (-0.42, deck_bottom),
            (0.42, deck_bottom),
            (0.42, deck_bottom + 0.015),
            (-0.42, deck_bottom + 0.015),
        ],
        shade(colour, 0.7),
    )
    key = shade(BLACK, 1.3) if brightness(colour) < 0.85 else shade(colour, 0.7)
    rows = 5
    for row in range(rows):
        t0 = 0.06 + row * 0.115
        t1 = t0 + 0.09
        y0 = deck_top + (deck_bottom - deck_top) * t0 * 0.62
        y1 = deck_top + (deck_bottom - deck_top) * t1 * 0.62
        half0, half1 = 0.28 + 0.075 * t0 * 0.62 * 1.2, 0.28 + 0.075 * t1 * 0.62 * 1.2
        for column in range(13):
            c0, c1 = column / 13, (column + 0.86) / 13
            pen.poly(
                [
                    (-half0 + 2 * half0 * c0, y0),
                    (-half0 + 2 * half0 * c1, y0),
                    (-half1 + 2 * half1 * c1, y1),
                    (-half1 + 2 * half1 * c0, y1),
                ],
                key,
            )
    pen.poly([(-0.09, 0.24), (0.09, 0.24), (0.1, 0.29), (-0.1, 0.29)], shade(colour, 0.93))


def camera(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    body = colour
    dark = shade(BLACK, 1.2)
    compact = any(word in label for word in ("RX100", "X100", "Pocket"))
    if "Pocket" in label:
        pen.rect(-0.06, -0.15, 0.06, 0.32, dark, radius=0.04)
        pen.rect(-0.05, 0.02, 0.05, 0.16, (30, 36, 50), radius=0.01)
        pen.circle(0, -0.14, 0.1, shade(dark, 1.3))
        pen.circle(0, -0.14, 0.055, BLACK)
        pen.circle(-0.015, -0.155, 0.014, (90, 110, 160))
        return
    w, h = (0.3, 0.17) if compact else (0.32, 0.2)
    if view == 1:
        pen.rect(-w, -h, w, h, body, radius=0.04)
        pen.rect(-w + 0.04, -h + 0.07, w - 0.16, h - 0.03, BLACK, radius=0.01)
        pen.paste(gradient((32, 32), (60, 80, 110), (30, 30, 40)), -w + 0.05, -h + 0.08, w - 0.17, h - 0.04)
        pen.rect(-w + 0.04, -h - 0.07, -w + 0.16, -h + 0.04, dark, radius=0.02)
        for i in range(5):
            pen.circle(w - 0.08, -h + 0.06 + i * 0.06, 0.018, shade(body, 0.7))
        pen.circle(w - 0.08, h - 0.06, 0.035, shade(body, 0.6), outline=shade(body, 1.3), width=0.003)
        return
    pen.rect(-w, -h, w, h, body, radius=0.04)
    if not compact:
        pen.poly([(-0.12, -h), (0.08, -h), (0.05, -h - 0.09), (-0.09, -h - 0.09)], body)
        pen.rect(-0.04, -h - 0.075, 0.0, -h - 0.055, shade(body, 1.5), radius=0.004)
        pen.rect(w - 0.11, -h + 0.005, w - 0.005, h - 0.005, shade(body, 0.7), radius=0.035)
        for i in range(60):
            x = w - 0.1 + (i % 6) * 0.017
            y = -h + 0.02 + (i // 6) * 0.037
            pen.circle(x, y, 0.003, shade(body, 0.55))
    pen.rect(w - 0.1, -h - 0.025, w - 0.04, -h, shade(body, 0.8), radius=0.008)
    pen.rect(-w + 0.03, -h - 0.03, -w + 0.11, -h, shade(body, 0.8), radius=0.008)
    lens_x = -0.04 if not compact else 0.02
    outer = 0.17 if not compact else 0.13
    pen.circle(lens_x, 0.02, outer, shade(dark, 1.4))
    for i in range(48):
        angle = i * math.tau / 48
        pen.line(
            [
                (lens_x + math.cos(angle) * outer * 0.88, 0.02 + math.sin(angle) * outer * 0.88),
                (lens_x + math.cos(angle) * outer, 0.02 + math.sin(angle) * outer),
            ],
            shade(dark, 0.8),
            0.003,
        )
    pen.circle(lens_x, 0.02, outer * 0.8, dark, outline=shade(dark, 1.8), width=0.003)
    pen.circle(lens_x, 0.02, outer * 0.6, BLACK)
    pen.circle(lens_x, 0.02, outer * 0.45, (24, 28, 44))
    pen.arc(lens_x, 0.02, outer * 0.42, outer * 0.42, 200, 260, (110, 90, 170), 0.01)
    pen.arc(lens_x, 0.02, outer * 0.3, outer * 0.3, 20, 70, (70, 140, 120), 0.008)
    pen.circle(lens_x - outer * 0.2, 0.02 - outer * 0.2, outer * 0.06, (220, 225, 240))


def console(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if "PlayStation" in label:
        white, core = WHITE, BLACK
        if view == 0:
            pen.poly([(-0.12, -0.42), (0.02, -0.4), (0.03, 0.36), (-0.1, 0.4), (-0.16, 0.0)], white)
            pen.rect(0.02, -0.34, 0.08, 0.34, core, radius=0.01)
            pen.poly([(0.08, -0.4), (0.2, -0.42), (0.24, 0.0), (0.2, 0.4), (0.08, 0.36)], shade(white, 0.93))
            pen.rect(-0.09, 0.18, 0.01, 0.2, shade(white, 0.8), radius=0.005)
        else:
            pen.poly(
                [(-0.18, -0.42), (0.18, -0.4), (0.22, 0.0), (0.18, 0.4), (-0.18, 0.42), (-0.22, 0.0)], white
            )
            for i in range(14):
                pen.rect(-0.14, -0.32 + i * 0.045, 0.14, -0.31 + i * 0.045, shade(white, 0.85), radius=0.003)
        pen.poly([(0.12, 0.42), (0.32, 0.4), (0.36, 0.46), (0.1, 0.47)], shade(white, 0.9))
        pen.circle(0.17, 0.44, 0.012, core)
        pen.circle(0.28, 0.43, 0.012, core)
        return
    lite = "Lite" in label
    left = colour
    right = rgb("#1aa0e6") if colour == rgb("#e8453c") else colour
    screen_w = 0.24 if not lite else 0.2
    if view == 1:
        pen.rect(-screen_w, -0.14, screen_w, 0.14, shade(BLACK, 1.5), radius=0.02)
        for i in range(10):
            pen.rect(-0.16 + i * 0.035, -0.12, -0.15 + i * 0.035, -0.08, shade(BLACK, 1.2))
        pen.rect(-0.08, 0.02, 0.08, 0.12, shade(BLACK, 1.8), radius=0.01)
        pen.rect(-screen_w - 0.1, -0.14, -screen_w, 0.14, left, radius=0.05)
        pen.rect(screen_w, -0.14, screen_w + 0.1, 0.14, right, radius=0.05)
        return
    pen.rect(-screen_w, -0.15, screen_w, 0.15, BLACK, radius=0.02)
    _wallpaper(pen, rng, (-screen_w + 0.02, -0.13, screen_w - 0.02, 0.13), 0.004)
    for side, body in ((-1, left), (1, right)):
        x0 = -screen_w - 0.11 if side < 0 else screen_w
        x1 = -screen_w if side < 0 else screen_w + 0.11
        pen.rect(x0, -0.15, x1, 0.15, body, radius=0.055)
        mid = (x0 + x1) / 2
        pen.circle(mid, -0.06 if side < 0 else 0.05, 0.025, shade(BLACK, 1.4))
        pen.circle(mid, -0.06 if side < 0 else 0.05, 0.017, shade(BLACK, 1.7))
        for dx, dy in ((0, -0.03), (0, 0.03), (-0.03, 0), (0.03, 0)):
            pen.circle(mid + dx, (0.06 if side < 0 else -0.06) + dy, 0.011, shade(BLACK, 1.5))
    pen.glaze([(-screen_w, -0.15), (0, -0.15), (-screen_w, 0.05)], 30)


# --- Luxury --------------------------------------------------------------------------------------------


def _bag_outline(top: float, bottom: float, height: float, y: float, r: float) -> list[tuple[float, float]]:
    """A bag body: narrower at the top, rounded at the bottom corners."""
    points = [(-top, y), (top, y)]
    for i in range(9):
        angle = i * (math.pi / 2) / 8
        points.append((bottom - r + r * math.cos(angle), y + height - r + r * math.sin(angle)))
    for i in range(9):
        angle = math.pi / 2 + i * (math.pi / 2) / 8
        points.append((-bottom + r + r * math.cos(angle), y + height - r + r * math.sin(angle)))
    return points


def bag(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    quilted = any(word in label for word in ("Flap", "matelassé", "Chanel 22"))
    monogram = "Monogram" in label
    flap = quilted or any(word in label for word in ("Jackie", "Tabby", "Picotin"))
    top, bottom, height, y = 0.24, 0.3, 0.36, -0.12
    trim = rgb("#c98f5a") if monogram else shade(colour, 0.7)
    handle_colour = trim if not quilted else GOLD
    if quilted:
        # A chain strap.
        for i in range(40):
            angle = math.pi + i * math.pi / 39
            x, yy = math.cos(angle) * 0.22, y + math.sin(angle) * 0.3
            pen.ellipse(x, yy, 0.012, 0.008, None, outline=GOLD, width=0.004)
    else:
        pen.arc(-0.1, y, 0.09, 0.16, 180, 360, handle_colour, 0.022)
        pen.arc(0.1, y, 0.09, 0.16, 180, 360, handle_colour, 0.022)
    outline = _bag_outline(top, bottom, height, y, 0.06)
    pen.poly(outline, colour)
    mask_layer = Image.new("L", pen.image.size, 0)
    ImageDraw.Draw(mask_layer).polygon([pen.pt(x, yy) for x, yy in outline], fill=255)
    pattern = Image.new("RGBA", pen.image.size, (0, 0, 0, 0))
    pattern_pen = Pen(pattern, cx=pen.cx, cy=pen.cy, scale=pen.scale)
    if monogram:
        motif = shade(rgb("#e0b878"), 0.95)
        for row in range(9):
            for column in range(12):
                x = -0.33 + column * 0.06 + (0.03 if row % 2 else 0)
                yy = y + 0.02 + row * 0.045
                if (row + column) % 3 == 0:
                    pattern_pen.circle(x, yy, 0.011, None, outline=motif, width=0.003)
                else:
                    pattern_pen.poly(
                        [(x, yy - 0.013), (x + 0.006, yy), (x, yy + 0.013), (x - 0.006, yy)], motif
                    )
    elif quilted:
        line = shade(colour, 0.7) if brightness(colour) > 0.2 else shade(colour, 2.2)
        for i in range(-10, 11):
            x = i * 0.06
            pattern_pen.line([(x - 0.4, y), (x + 0.4, y + height)], line, 0.003)
            pattern_pen.line([(x + 0.4, y), (x - 0.4, y + height)], line, 0.003)
    else:
        for i in range(30):
            x = -top + 0.02 + i * (2 * top - 0.04) / 29
            pattern_pen.circle(x, y + 0.025, 0.0025, shade(colour, 1.5))
    pen.image.paste(
        pattern, (0, 0), Image.composite(pattern.getchannel("A"), Image.new("L", pattern.size, 0), mask_layer)
    )
    if view == 0 and flap:
        flap_points = [
            (-top - 0.005, y),
            (top + 0.005, y),
            (top + 0.02, y + 0.17),
            (0, y + 0.21),
            (-top - 0.02, y + 0.17),
        ]
        pen.poly(flap_points, shade(colour, 0.92), outline=shade(colour, 0.75), width=0.003)
        pen.rect(-0.03, y + 0.15, 0.03, y + 0.2, GOLD, radius=0.01)
        pen.circle(0, y + 0.175, 0.012, shade(GOLD, 0.8))
    elif view == 0:
        pen.rect(-top + 0.02, y + 0.01, top - 0.02, y + 0.02, shade(trim, 0.9))
        pen.rect(-0.025, y + 0.02, 0.025, y + 0.07, GOLD, radius=0.008)
        for side in (-1, 1):
            pen.rect(
                side * (top - 0.01) - 0.02, y + 0.02, side * (top - 0.01) + 0.02, y + 0.05, trim, radius=0.01
            )
    else:
        pen.line([(-top + 0.03, y + 0.12), (top - 0.03, y + 0.12)], shade(colour, 0.7), 0.004)
    pen.poly([(x, yy) for x, yy in outline[2:]], None, outline=shade(colour, 0.6), width=0.003)


def watch(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    square = any(word in label for word in ("Tank", "Santos"))
    bracelet = not square and rng.random() < 0.75
    strap = STEEL if bracelet else rgb(rng.choice(("#3b2a1e", "#1b1b1b", "#6b4a2e")))
    for sign in (-1, 1):
        y0, y1 = sign * 0.19, sign * 0.48
        pen.rect(-0.095, min(y0, y1), 0.095, max(y0, y1), strap, radius=0.02)
        if bracelet:
            for k in range(7):
                y = sign * (0.21 + k * 0.04)
                pen.line([(-0.095, y), (0.095, y)], shade(STEEL, 0.7), 0.003)
            pen.rect(-0.03, min(y0, y1), 0.03, max(y0, y1), shade(STEEL, 1.3))
        else:
            for k in range(14):
                y = sign * (0.21 + k * 0.019)
                pen.circle(-0.08, y, 0.002, shade(strap, 1.8))
                pen.circle(0.08, y, 0.002, shade(strap, 1.8))
    if view == 1:
        # Case back: fluted edge, engraved rings, a line of small text.
        pen.circle(0, 0, 0.2, STEEL, outline=shade(STEEL, 0.6), width=0.004)
        for i in range(90):
            angle = i * math.tau / 90
            pen.line(
                [
                    (math.cos(angle) * 0.18, math.sin(angle) * 0.18),
                    (math.cos(angle) * 0.2, math.sin(angle) * 0.2),
                ],
                shade(STEEL, 0.75),
                0.002,
            )
        pen.circle(0, 0, 0.15, shade(STEEL, 1.1), outline=shade(STEEL, 0.7), width=0.003)
        pen.circle(0, 0, 0.1, None, outline=shade(STEEL, 0.75), width=0.002)
        pen.text(0, 0.0, "STAINLESS STEEL", 0.018, shade(STEEL, 0.5))
        pen.text(0, 0.04, f"No. {rng.randint(100000, 999999)}", 0.014, shade(STEEL, 0.5))
        pen.glaze([(-0.2, 0.05), (0.1, -0.2), (0.18, -0.1), (-0.12, 0.16)], 45)
        return
    pen.rect(0.19, -0.03, 0.235, 0.03, shade(STEEL, 0.85), radius=0.008)
    if square:
        pen.rect(
            -0.17, -0.2, 0.17, 0.2, GOLD if "Tank" in label and rng.random() < 0.5 else STEEL, radius=0.03
        )
        pen.rect(-0.14, -0.17, 0.14, 0.17, (244, 241, 232), radius=0.01)
        pen.rect(-0.11, -0.14, 0.11, 0.14, None, outline=(40, 40, 40), width=0.002)
        for i, numeral in enumerate(("XII", "III", "VI", "IX")):
            x, y = ((0, -0.115), (0.09, 0), (0, 0.115), (-0.09, 0))[i]
            pen.text(x, y, numeral, 0.03, (30, 30, 30))
        dial = (244, 241, 232)
        hand = (40, 60, 140)
    else:
        pen.circle(0, 0, 0.2, STEEL, outline=shade(STEEL, 0.6), width=0.004)
        bezel = colour if brightness(colour) < 0.5 else BLACK
        if "BLRO" in label:
            pen.draw.pieslice(pen.box(-0.185, -0.185, 0.185, 0.185), 180, 360, fill=(28, 60, 140))
            pen.draw.pieslice(pen.box(-0.185, -0.185, 0.185, 0.185), 0, 180, fill=(150, 30, 40))
        else:
            pen.circle(0, 0, 0.185, bezel)
        for i in range(60):
            angle = i * math.tau / 60 - math.pi / 2
            inner = 0.16 if i % 5 == 0 else 0.17
            pen.line(
                [
                    (math.cos(angle) * inner, math.sin(angle) * inner),
                    (math.cos(angle) * 0.18, math.sin(angle) * 0.18),
                ],
                (235, 235, 235),
                0.003 if i % 5 == 0 else 0.0015,
            )
        dial = colour
        pen.circle(0, 0, 0.15, dial, outline=shade(STEEL, 0.8), width=0.003)
        marker = (240, 240, 230) if brightness(dial) < 0.6 else (30, 30, 30)
        for hour in range(12):
            angle = hour * math.tau / 12 - math.pi / 2
            x, y = math.cos(angle) * 0.125, math.sin(angle) * 0.125
            if hour == 0:
                pen.poly([(-0.014, -0.14), (0.014, -0.14), (0, -0.11)], marker)
            elif hour in (3, 6, 9):
                pen.rect(x - 0.006, y - 0.016, x + 0.006, y + 0.016, marker) if hour == 6 else pen.circle(
                    x, y, 0.012, marker
                )
            else:
                pen.circle(x, y, 0.01, marker)
        if "Date" in label or rng.random() < 0.5:
            pen.rect(0.075, -0.012, 0.105, 0.012, WHITE)
            pen.text(0.09, 0.0, str(rng.randint(1, 31)), 0.018, BLACK)
        hand = marker
    hours, minutes = rng.randint(0, 11), rng.randint(0, 59)
    minute_angle = minutes * math.tau / 60 - math.pi / 2
    hour_angle = (hours + minutes / 60) * math.tau / 12 - math.pi / 2
    pen.line([(0, 0), (math.cos(hour_angle) * 0.075, math.sin(hour_angle) * 0.075)], hand, 0.012)
    pen.line([(0, 0), (math.cos(minute_angle) * 0.12, math.sin(minute_angle) * 0.12)], hand, 0.008)
    second = rng.uniform(0, math.tau)
    pen.line(
        [
            (-math.cos(second) * 0.03, -math.sin(second) * 0.03),
            (math.cos(second) * 0.13, math.sin(second) * 0.13),
        ],
        (200, 40, 40),
        0.003,
    )
    pen.circle(0, 0, 0.01, STEEL)
    pen.glaze([(-0.15, -0.05), (0.02, -0.15), (0.08, -0.13), (-0.12, 0.02)], 50)


def jewelry(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if view == 1:
        box_colour = (
            rgb("#81d8d0") if "Tiffany" in label else rgb(rng.choice(("#8b1a1a", "#1f1f1f", "#2d3b55")))
        )
        pen.rect(-0.32, -0.34, 0.32, 0.3, shade(box_colour, 0.8), radius=0.03)
        pen.rect(-0.3, -0.05, 0.3, 0.28, box_colour, radius=0.02)
        pen.rect(-0.26, -0.3, 0.26, -0.06, (238, 232, 222), radius=0.015)
        pen.rect(-0.24, 0.0, 0.24, 0.24, (238, 232, 222), radius=0.015)
        jewelry(pen.inner(cx=0, cy=0.12, scale=0.5), rng, colour, 0, label)
        return
    metal = colour
    if "pendant" in label or "Pendant" in label:
        for i in range(60):
            t = i / 59
            x = -0.3 + 0.6 * t
            y = -0.38 + 0.5 * (1 - (2 * t - 1) ** 2)
            pen.circle(x, y, 0.006, shade(metal, 0.9 if i % 2 else 1.1))
        if "Alhambra" in label:
            pen.circle(0, 0.22, 0.1, metal)
            for dx, dy in ((0, -0.05), (0, 0.05), (-0.05, 0), (0.05, 0)):
                pen.circle(dx, 0.22 + dy, 0.045, (250, 248, 244))
            pen.rect(-0.04, 0.18, 0.04, 0.26, (250, 248, 244))
            pen.circle(0, 0.22, 0.006, metal)
        else:
            heart = []
            for i in range(40):
                t = i * math.tau / 40
                heart.append(
                    (
                        0.0085 * 16 * math.sin(t) ** 3,
                        0.2
                        - 0.0085
                        * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)),
                    )
                )
            pen.poly(heart, shade(metal, 0.95), outline=shade(metal, 0.7), width=0.003)
            pen.text(0, 0.19, "RETURN TO", 0.014, shade(metal, 0.55))
        return
    pen.ellipse(0, 0, 0.3, 0.2, metal)
    pen.ellipse(0, 0, 0.3, 0.2, None, outline=shade(metal, 0.7), width=0.003)
    pen.ellipse(0, 0.015, 0.24, 0.14, (0, 0, 0, 0))
    pen.ellipse(0, 0.015, 0.24, 0.14, None, outline=shade(metal, 0.6), width=0.006)
    if "Clou" in label:
        pen.poly([(0.26, -0.05), (0.36, -0.04), (0.36, -0.02), (0.26, -0.01)], shade(metal, 1.15))
        pen.rect(-0.33, -0.08, -0.3, 0.0, shade(metal, 1.1), radius=0.005)
    elif "Love" in label:
        for i in range(10):
            angle = i * math.tau / 10
            x, y = math.cos(angle) * 0.27, math.sin(angle) * 0.17
            pen.circle(x, y, 0.014, shade(metal, 1.25), outline=shade(metal, 0.65), width=0.002)
            pen.line([(x - 0.008, y - 0.004), (x + 0.008, y + 0.004)], shade(metal, 0.6), 0.002)
    pen.glaze([(-0.3, -0.05), (-0.1, -0.2), (0.0, -0.2), (-0.25, 0.02)], 60)


# --- Fashion -------------------------------------------------------------------------------------------


def sneaker(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    sole_colour = rgb("#f2efe6") if "Samba" not in label else rgb("#b5834d")
    accent = contrast(colour) if brightness(colour) > 0.85 else WHITE
    if view == 1:
        # The outsole, toe up.
        outline = []
        for i in range(40):
            t = i * math.tau / 40
            width = 0.13 + 0.03 * math.cos(t) - 0.02 * math.cos(2 * t)
            outline.append((math.sin(t) * width, -math.cos(t) * 0.4))
        pen.poly(outline, shade(sole_colour, 0.9))
        tread = shade(sole_colour, 0.7)
        for i in range(22):
            y = -0.36 + i * 0.034
            t = math.acos(max(-1.0, min(1.0, -y / 0.4)))
            half = math.sin(t) * (0.13 + 0.03 * math.cos(t) - 0.02 * math.cos(2 * t)) * 0.8
            pen.line([(-half, y), (0.0, y + 0.015), (half, y)], tread, 0.005)
        pen.circle(0, -0.2, 0.04, None, outline=tread, width=0.005)
        pen.poly(outline, None, outline=shade(sole_colour, 0.55), width=0.004)
        return
    high = "High" in label
    collar = -0.3 if high else -0.14
    upper = [
        (-0.44, 0.09),
        (-0.43, 0.02),
        (-0.34, -0.03),
        (-0.16, -0.07),
        (-0.02, collar + 0.03),
        (0.05, collar),
        (0.25, collar - 0.01),
        (0.36, collar + 0.02),
        (0.4, 0.0),
        (0.41, 0.09),
    ]
    pen.poly(
        [(0.0, collar + 0.02), (0.06, collar - 0.07), (0.12, collar - 0.06), (0.1, collar + 0.04)],
        shade(colour, 0.9),
    )
    pen.poly(upper, colour, outline=shade(colour, 0.7), width=0.003)
    toe = [(-0.44, 0.09), (-0.43, 0.02), (-0.34, -0.03), (-0.26, -0.045), (-0.22, 0.09)]
    heel = [(0.26, 0.09), (0.27, collar + 0.06), (0.36, collar + 0.02), (0.4, 0.0), (0.41, 0.09)]
    overlay = shade(colour, 0.7) if brightness(colour) > 0.3 else shade(colour, 2.2)
    if brightness(colour) > 0.9:
        overlay = rgb(rng.choice(("#1d1d1d", "#c8202f", "#263657", "#9a9a9c")))
    pen.poly(toe, overlay)
    pen.poly(heel, overlay)
    stripe = [(-0.18, 0.06), (0.0, -0.02), (0.24, -0.08), (0.1, 0.0), (-0.1, 0.07)]
    pen.poly(stripe, accent if accent != colour else overlay, outline=shade(colour, 0.6), width=0.002)
    for i in range(6 if not high else 9):
        t = i / (5 if not high else 8)
        x = -0.14 + t * (0.12 if not high else 0.14)
        y = -0.06 + t * (collar + 0.08)
        pen.circle(x + 0.02, y + 0.01, 0.008, shade(colour, 0.5))
        pen.line([(x - 0.01, y - 0.004), (x + 0.05, y + 0.02)], accent if accent != colour else WHITE, 0.007)
    pen.rect(-0.45, 0.08, 0.42, 0.14, sole_colour, radius=0.03)
    pen.rect(-0.45, 0.125, 0.42, 0.15, shade(sole_colour, 0.75), radius=0.01)
    for i in range(30):
        x = -0.42 + i * 0.028
        pen.circle(x, 0.1, 0.0025, shade(sole_colour, 0.7))


def clothing(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    kind = "tshirt"
    if any(word in label for word in ("jacket", "hoody", "Nuptse", "Down")):
        kind = "jacket"
    elif "sweater" in label:
        kind = "sweater"
    elif label and rng.random() < 0.5:
        kind = rng.choice(("jacket", "sweater"))
    long_sleeves = kind != "tshirt"
    shoulder, hem, width = -0.3, 0.36 if kind != "tshirt" else 0.32, 0.2
    sleeve_end = 0.3 if long_sleeves else -0.08
    sleeve_x = 0.36 if long_sleeves else 0.38
    body = [
        (-0.07, shoulder - 0.02),
        (-width, shoulder + 0.02),
        (-sleeve_x, sleeve_end),
        (-sleeve_x + 0.1, sleeve_end + 0.03),
        (-width + 0.01, shoulder + 0.2),
        (-width, hem),
        (width, hem),
        (width - 0.01, shoulder + 0.2),
        (sleeve_x - 0.1, sleeve_end + 0.03),
        (sleeve_x, sleeve_end),
        (width, shoulder + 0.02),
        (0.07, shoulder - 0.02),
    ]
    hood = "hoody" in label or (kind == "jacket" and rng.random() < 0.4)
    if hood:
        pen.ellipse(0, shoulder - 0.07, 0.12, 0.1, shade(colour, 0.85))
    pen.poly(body, colour, outline=shade(colour, 0.7), width=0.003)
    if view == 0:
        pen.arc(0, shoulder - 0.02, 0.075, 0.05, 0, 180, shade(colour, 0.6), 0.012)
    if kind == "jacket" and (any(word in label for word in ("Down", "Nuptse")) or rng.random() < 0.3):
        for i in range(1, 8):
            y = shoulder + i * (hem - shoulder) / 8
            pen.line([(-width + 0.01, y), (width - 0.01, y)], shade(colour, 0.75), 0.004)
        # Across each sleeve, from its outer edge to its inner edge.
        for i in range(1, 7):
            t = i / 7
            outer = (-width + (width - sleeve_x) * t, shoulder + 0.02 + (sleeve_end - shoulder - 0.02) * t)
            inner = (
                -width + 0.01 + (width - 0.01 - sleeve_x + 0.1) * t,
                shoulder + 0.2 + (sleeve_end + 0.03 - shoulder - 0.2) * t,
            )
            for sign in (-1, 1):
                pen.line(
                    [(sign * -outer[0], outer[1]), (sign * -inner[0], inner[1])], shade(colour, 0.75), 0.003
                )
    if kind in ("jacket", "sweater"):
        for x0, x1 in ((-sleeve_x, -sleeve_x + 0.1), (sleeve_x - 0.1, sleeve_x)):
            pen.line([(x0, sleeve_end - 0.02), (x1, sleeve_end + 0.01)], shade(colour, 0.7), 0.012)
        pen.rect(-width, hem - 0.03, width, hem, shade(colour, 0.85))
    if view == 0 and kind == "jacket":
        pen.line([(0, shoulder - 0.01), (0, hem)], shade(colour, 0.5), 0.006)
        pen.line([(0, shoulder - 0.01), (0, hem)], STEEL, 0.002)
        pen.line([(-0.15, 0.12), (-0.09, 0.2)], shade(colour, 0.55), 0.005)
        pen.line([(0.15, 0.12), (0.09, 0.2)], shade(colour, 0.55), 0.005)
    patch = contrast(colour)
    if view == 0:
        pen.rect(-0.13, shoulder + 0.08, -0.09, shoulder + 0.11, patch, radius=0.005)
    else:
        pen.rect(-0.04, shoulder + 0.02, 0.04, shoulder + 0.045, (235, 235, 230), radius=0.003)
        pen.text(0, shoulder + 0.033, rng.choice(("S", "M", "L", "XL")), 0.015, BLACK)


# --- Home ----------------------------------------------------------------------------------------------


def appliance(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    kind = "kettle"
    for word, name in (
        ("V12", "vacuum"),
        ("Vacuum X10", "robot"),
        ("hair dryer", "hairdryer"),
        ("Airwrap", "hairdryer"),
        ("Purifier", "purifier"),
        ("air fryer", "airfryer"),
        ("air conditioner", "aircon"),
        ("washer", "washer"),
        ("refrigerator", "fridge"),
    ):
        if word in label:
            kind = name
    APPLIANCES[kind](pen, rng, colour, view, label)


def _vacuum(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    accent = rgb("#b05cc4") if rng.random() < 0.5 else rgb("#c0772f")
    pen.rect(-0.2, 0.33, 0.16, 0.41, shade(STEEL, 0.5), radius=0.03)
    pen.rect(-0.19, 0.38, 0.15, 0.4, accent, radius=0.01)
    pen.rect(-0.02, -0.12, 0.02, 0.34, accent)
    pen.rect(-0.07, -0.4, 0.07, -0.1, (200, 205, 210, 255), radius=0.04)
    pen.rect(-0.055, -0.38, 0.055, -0.13, (170, 178, 185), radius=0.035)
    pen.poly([(-0.03, -0.36), (0.03, -0.36), (0.01, -0.16), (-0.01, -0.16)], STEEL)
    pen.rect(0.07, -0.42, 0.2, -0.3, colour, radius=0.04)
    pen.arc(0.16, -0.3, 0.08, 0.12, 270, 90, shade(colour, 0.7), 0.025)
    pen.rect(0.13, -0.3, 0.16, -0.22, accent, radius=0.01)
    pen.rect(0.08, -0.44, 0.17, -0.41, BLACK, radius=0.01)


def _hairdryer(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if "Airwrap" in label:
        pen.rect(-0.05, -0.4, 0.05, 0.3, colour, radius=0.05)
        for i in range(18):
            pen.line([(-0.045, -0.38 + i * 0.02), (0.045, -0.38 + i * 0.02)], shade(colour, 0.7), 0.003)
        pen.rect(-0.055, -0.02, 0.055, 0.3, shade(colour, 0.85), radius=0.05)
        pen.line([(0.0, 0.3), (0.06, 0.38), (0.2, 0.36), (0.3, 0.44)], BLACK, 0.01)
        for x in (-0.25, 0.25):
            pen.rect(x - 0.03, -0.1, x + 0.03, 0.2, shade(colour, 1.1), radius=0.03)
        return
    pen.rect(-0.045, -0.05, 0.045, 0.32, colour, radius=0.04)
    for i in range(12):
        for j in range(3):
            pen.circle(-0.02 + j * 0.02, 0.13 + i * 0.014, 0.003, shade(colour, 0.6))
    pen.circle(0, -0.17, 0.16, shade(colour, 0.9))
    pen.circle(0, -0.17, 0.09, (0, 0, 0, 0))
    pen.circle(0, -0.17, 0.09, None, outline=shade(colour, 0.6), width=0.006)
    pen.rect(-0.046, 0.0, 0.046, 0.02, rgb("#b05cc4"))
    pen.line([(0.0, 0.32), (0.04, 0.4), (0.18, 0.38), (0.3, 0.45)], BLACK, 0.01)


def _purifier(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.ellipse(0, -0.2, 0.13, 0.2, shade(colour, 0.85))
    pen.ellipse(0, -0.2, 0.08, 0.15, (0, 0, 0, 0))
    pen.rect(-0.12, 0.0, 0.12, 0.4, colour, radius=0.04)
    for i in range(14):
        for j in range(9):
            pen.circle(-0.09 + j * 0.0225, 0.05 + i * 0.024, 0.005, shade(colour, 0.6))
    pen.rect(-0.03, 0.01, 0.03, 0.03, BLACK, radius=0.005)


def _robot(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if view == 1:
        pen.rect(-0.2, -0.35, 0.2, 0.05, colour, radius=0.04)
        pen.rect(-0.15, -0.3, 0.15, -0.05, shade(colour, 0.85), radius=0.03)
        pen.ellipse(0, 0.15, 0.3, 0.14, colour)
        pen.ellipse(0, 0.12, 0.28, 0.12, shade(colour, 1.05))
        pen.circle(0.0, 0.09, 0.04, shade(colour, 0.8))
        return
    pen.circle(0, 0, 0.33, shade(colour, 0.85))
    pen.circle(0, 0, 0.31, colour)
    pen.arc(0, 0, 0.31, 0.31, 200, 340, shade(colour, 0.6), 0.02)
    pen.circle(0, -0.1, 0.07, shade(colour, 0.8))
    pen.circle(0, -0.1, 0.05, shade(colour, 1.1))
    pen.rect(-0.06, 0.1, 0.06, 0.13, shade(colour, 0.75), radius=0.012)
    pen.circle(-0.02, 0.115, 0.006, rgb("#4dabf7"))


def _airfryer(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.2, -0.3, 0.2, 0.32, colour, radius=0.08)
    pen.rect(-0.18, -0.02, 0.18, 0.3, shade(colour, 0.9), radius=0.05)
    pen.rect(-0.06, 0.06, 0.06, 0.2, shade(colour, 0.6), radius=0.03)
    pen.rect(-0.09, -0.22, 0.09, -0.1, BLACK, radius=0.02)
    pen.text(0, -0.16, f"{rng.choice((160, 180, 200))}°C", 0.035, rgb("#ffa94d"))
    pen.line([(-0.18, -0.05), (0.18, -0.05)], shade(colour, 0.7), 0.004)


def _aircon(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.4, -0.14, 0.4, 0.1, WHITE, radius=0.05)
    pen.rect(-0.38, 0.04, 0.38, 0.08, shade(WHITE, 0.85), radius=0.02)
    for i in range(5):
        pen.line([(-0.36, 0.05 + i * 0.007), (0.36, 0.05 + i * 0.007)], shade(WHITE, 0.75), 0.002)
    pen.rect(0.2, -0.08, 0.3, -0.04, BLACK, radius=0.01)
    pen.text(0.25, -0.06, str(rng.randint(22, 27)), 0.025, rgb("#4dabf7"))
    pen.rect(-0.05, 0.22, 0.05, 0.42, WHITE, radius=0.02)
    for i in range(4):
        pen.circle(0.0, 0.28 + i * 0.035, 0.01, shade(WHITE, 0.7))


def _washer(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.26, -0.34, 0.26, 0.36, colour, radius=0.03)
    pen.rect(-0.26, -0.34, 0.26, -0.22, shade(colour, 0.93), radius=0.03)
    pen.rect(-0.05, -0.31, 0.12, -0.25, BLACK, radius=0.01)
    pen.circle(0.19, -0.28, 0.035, shade(colour, 0.8), outline=shade(colour, 0.6), width=0.004)
    pen.circle(0, 0.07, 0.19, shade(STEEL, 0.85))
    pen.circle(0, 0.07, 0.16, (60, 70, 80))
    pen.circle(0, 0.07, 0.13, (90, 110, 130))
    pen.arc(0, 0.07, 0.11, 0.11, 200, 260, (200, 220, 235), 0.01)


def _fridge(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.24, -0.44, 0.24, 0.44, colour, radius=0.02)
    pen.line([(0, -0.44), (0, 0.1)], shade(colour, 0.7), 0.004)
    pen.line([(-0.24, 0.1), (0.24, 0.1)], shade(colour, 0.7), 0.004)
    pen.line([(-0.24, 0.27), (0.24, 0.27)], shade(colour, 0.7), 0.004)
    pen.rect(-0.03, -0.3, -0.015, -0.05, shade(colour, 0.75), radius=0.006)
    pen.rect(0.015, -0.3, 0.03, -0.05, shade(colour, 0.75), radius=0.006)
    pen.rect(-0.08, 0.12, 0.08, 0.135, shade(colour, 0.75), radius=0.006)
    pen.rect(-0.08, 0.29, 0.08, 0.305, shade(colour, 0.75), radius=0.006)
    pen.rect(-0.19, -0.36, -0.09, -0.3, BLACK, radius=0.008)


def _kettle(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.2, 0.3, 0.2, 0.36, shade(colour, 0.7), radius=0.02)
    pen.poly([(-0.16, 0.3), (0.16, 0.3), (0.13, -0.2), (-0.13, -0.2)], colour)
    pen.arc(0.16, 0.03, 0.1, 0.18, 270, 90, shade(colour, 0.7), 0.03)
    pen.poly([(-0.13, -0.16), (-0.24, -0.2), (-0.14, -0.1)], colour)
    pen.rect(-0.1, -0.24, 0.1, -0.2, shade(colour, 0.8), radius=0.01)


APPLIANCES: dict[str, Drawing] = {
    "vacuum": _vacuum,
    "hairdryer": _hairdryer,
    "purifier": _purifier,
    "robot": _robot,
    "airfryer": _airfryer,
    "aircon": _aircon,
    "washer": _washer,
    "fridge": _fridge,
    "kettle": _kettle,
}


def furniture(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    kind = "table"
    for word, name in (
        ("POÄNG", "lounge"),
        ("armchair", "lounge"),
        ("Aeron", "office"),
        ("drawers", "drawers"),
        ("KALLAX", "cubes"),
        ("stacking shelf", "cubes"),
        ("BILLY", "bookcase"),
        ("desk", "desk"),
    ):
        if word in label:
            kind = name
    FURNITURE[kind](pen, rng, colour, view, label)


def _lounge(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    wood = colour if colour != rgb("#efece6") else rgb("#d9bd8f")
    cushion = rgb(rng.choice(("#c9b8a0", "#3d3d3d", "#7c8b6f", "#a44c3b", "#e8e2d6")))
    pen.arc(-0.02, 0.05, 0.36, 0.35, 100, 200, wood, 0.025)
    pen.line([(-0.3, 0.22), (0.3, 0.36), (0.36, 0.3), (0.12, 0.05)], wood, 0.03)
    pen.poly([(-0.3, -0.36), (-0.18, -0.38), (-0.02, 0.1), (0.3, 0.14), (0.3, 0.22), (-0.06, 0.22)], cushion)
    for i in range(4):
        pen.line(
            [(-0.26 + i * 0.05, -0.3 + i * 0.12), (-0.14 + i * 0.05, -0.3 + i * 0.12)],
            shade(cushion, 0.8),
            0.004,
        )


def _office(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    frame = shade(BLACK, 1.6)
    pen.rect(-0.15, -0.42, 0.15, -0.02, frame, radius=0.06)
    for i in range(16):
        pen.line([(-0.13 + i * 0.0175, -0.4), (-0.13 + i * 0.0175, -0.04)], shade(frame, 1.4), 0.002)
    for i in range(20):
        pen.line([(-0.13, -0.4 + i * 0.018), (0.13, -0.4 + i * 0.018)], shade(frame, 1.4), 0.002)
    pen.rect(-0.2, 0.0, 0.2, 0.07, frame, radius=0.03)
    pen.rect(-0.02, 0.07, 0.02, 0.28, STEEL)
    for angle in range(5):
        a = angle * math.tau / 5 + 0.3
        end = (math.cos(a) * 0.25, 0.3 + math.sin(a) * 0.08)
        pen.line([(0, 0.29), end], frame, 0.02)
        pen.circle(end[0], end[1] + 0.03, 0.022, BLACK)
    for side in (-1, 1):
        pen.line([(side * 0.17, -0.02), (side * 0.25, -0.06), (side * 0.24, 0.05)], frame, 0.018)


def _drawers(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.3, -0.3, 0.3, 0.34, shade(colour, 0.85), radius=0.005)
    for column in range(2):
        for row in range(3):
            x0, y0 = -0.29 + column * 0.29, -0.29 + row * 0.205
            pen.rect(x0, y0, x0 + 0.285, y0 + 0.2, colour, radius=0.004)
            pen.line([(x0, y0 + 0.2), (x0 + 0.285, y0 + 0.2)], shade(colour, 0.7), 0.004)
    for leg in (-0.28, 0.26):
        pen.rect(leg, 0.34, leg + 0.02, 0.37, shade(colour, 0.6))


def _cubes(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    cells = 4 if "4x4" in label else 3
    rows = cells if cells == 4 else 2
    size = 0.18
    width, height = cells * size, rows * size
    x0, y0 = -width / 2, -height / 2
    pen.rect(x0 - 0.02, y0 - 0.02, x0 + width + 0.02, y0 + height + 0.02, colour)
    for row in range(rows):
        for column in range(cells):
            cx, cy = x0 + column * size, y0 + row * size
            pen.rect(cx + 0.012, cy + 0.012, cx + size - 0.012, cy + size - 0.012, shade(colour, 0.6))
            _shelf_contents(pen, rng, cx + 0.012, cy + 0.012, cx + size - 0.012, cy + size - 0.012)


def _shelf_contents(pen: Pen, rng: random.Random, x0: float, y0: float, x1: float, y1: float) -> None:
    roll = rng.random()
    if roll < 0.45:
        x = x0 + 0.01
        while x < x1 - 0.03:
            w = rng.uniform(0.012, 0.025)
            top = y0 + rng.uniform(0.01, 0.05)
            pen.rect(x, top, x + w, y1, rgb(rng.choice(BRIGHT)))
            x += w + 0.002
    elif roll < 0.65:
        pen.rect(
            x0 + 0.01,
            y0 + 0.02,
            x1 - 0.01,
            y1,
            rgb(rng.choice(("#d8c3a5", "#9aa5b1", "#f2f2f2"))),
            radius=0.005,
        )
        pen.rect(
            (x0 + x1) / 2 - 0.02, y0 + 0.04, (x0 + x1) / 2 + 0.02, y0 + 0.055, shade(BLACK, 1.5), radius=0.006
        )
    elif roll < 0.8:
        mid = (x0 + x1) / 2
        pen.poly(
            [(mid - 0.035, y1), (mid + 0.035, y1), (mid + 0.045, y1 - 0.05), (mid - 0.045, y1 - 0.05)],
            rgb("#c56a46"),
        )
        for dx, dy in ((-0.03, -0.08), (0.03, -0.08), (0, -0.1), (-0.015, -0.06), (0.02, -0.06)):
            pen.ellipse(mid + dx, y1 + dy, 0.02, 0.035, rgb("#4f8a4b"))


def _bookcase(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.rect(-0.18, -0.45, 0.18, 0.45, colour)
    for shelf in range(5):
        y0 = -0.43 + shelf * 0.175
        pen.rect(-0.16, y0, 0.16, y0 + 0.16, shade(colour, 0.75))
        _shelf_contents(pen, rng, -0.16, y0, 0.16, y0 + 0.16)


def _desk(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    pen.poly([(-0.4, -0.02), (0.4, -0.02), (0.34, -0.12), (-0.34, -0.12)], shade(colour, 1.1))
    pen.rect(-0.4, -0.02, 0.4, 0.02, shade(colour, 0.8))
    for x in (-0.38, 0.35):
        pen.rect(x, 0.02, x + 0.03, 0.38, shade(colour, 0.75))
    for x in (-0.32, 0.3):
        pen.rect(x, -0.1, x + 0.02, 0.3, shade(colour, 0.6))
    if rng.random() < 0.6:
        pen.poly([(-0.1, -0.06), (0.1, -0.06), (0.12, -0.09), (-0.12, -0.09)], STEEL)
        pen.poly([(-0.1, -0.06), (-0.08, -0.24), (0.08, -0.24), (0.1, -0.06)], shade(STEEL, 0.7))
    if rng.random() < 0.5:
        pen.line([(0.25, -0.06), (0.27, -0.25), (0.2, -0.3)], BLACK, 0.008)
        pen.poly([(0.17, -0.28), (0.23, -0.33), (0.22, -0.25)], BLACK)


def _table(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    if "Rattan" in label:
        rattan = rgb("#c8a36b")
        pen.rect(-0.22, -0.32, 0.22, 0.05, rattan, radius=0.12)
        for i in range(12):
            pen.line([(-0.2 + i * 0.036, -0.3), (-0.2 + i * 0.036, 0.04)], shade(rattan, 0.8), 0.003)
        pen.rect(-0.26, 0.0, 0.26, 0.12, shade(rattan, 0.9), radius=0.04)
        for x in (-0.22, 0.2):
            pen.rect(x, 0.12, x + 0.025, 0.38, shade(rattan, 0.7))
        return
    pen.ellipse(0, -0.12, 0.28, 0.07, shade(colour, 1.05))
    pen.rect(-0.28, -0.12, 0.28, -0.09, shade(colour, 0.8))
    for x0, x1 in ((-0.2, -0.24), (0.0, 0.0), (0.2, 0.24)):
        pen.line([(x0, -0.09), (x1, 0.36)], shade(colour, 0.7), 0.02)


FURNITURE: dict[str, Drawing] = {
    "lounge": _lounge,
    "office": _office,
    "drawers": _drawers,
    "cubes": _cubes,
    "bookcase": _bookcase,
    "desk": _desk,
    "table": _table,
}


def book(pen: Pen, rng: random.Random, colour: RGB, view: int, label: str) -> None:
    title = label or "Book"
    if view == 0 and any(word in title for word in ("set", "trilogy", "全", "volumes", "套", "册")):
        count = rng.randint(3, 7)
        width = 0.6 / count
        for i in range(count):
            x0 = -0.3 + i * width
            spine = shade(colour, 0.85 + 0.3 * (i % 2))
            pen.rect(x0, -0.34, x0 + width - 0.006, 0.34, spine, radius=0.004)
            pen.rect(x0 + 0.01, -0.3, x0 + width - 0.016, -0.27, GOLD)
            pen.text(x0 + width / 2, 0.22, str(i + 1), 0.04, contrast(spine))
        return
    pen.rect(-0.24, -0.32, 0.28, 0.38, (238, 233, 220), radius=0.006)
    for i in range(6):
        pen.line([(0.265, -0.31 + i * 0.004), (0.265, 0.37)], shade((238, 233, 220), 0.9), 0.002)
    pen.rect(-0.26, -0.34, 0.26, 0.36, colour, radius=0.006)
    pen.rect(-0.26, -0.34, -0.23, 0.36, shade(colour, 0.75))
    ink = contrast(colour)
    if view == 1:
        for i in range(9):
            pen.rect(
                -0.18,
                -0.24 + i * 0.035,
                -0.18 + rng.uniform(0.25, 0.38),
                -0.225 + i * 0.035,
                mix(colour, ink, 0.6),
            )
        pen.rect(-0.02, 0.18, 0.2, 0.3, WHITE)
        x = 0.0
        while x < 0.18:
            step = rng.choice((0.002, 0.004, 0.006))
            pen.rect(x, 0.19, x + step, 0.27, BLACK)
            x += step + rng.choice((0.002, 0.004))
        pen.text(0.09, 0.285, f"{rng.randint(10, 99)}.00", 0.012, BLACK)
        return
    motif = rgb(rng.choice(BRIGHT))
    for _motif in range(rng.randint(3, 7)):
        pen.circle(
            rng.uniform(-0.15, 0.18),
            rng.uniform(0.0, 0.25),
            rng.uniform(0.03, 0.1),
            None,
            outline=motif,
            width=0.004,
        )
    words = title.split(" ")
    lines, current = [], ""
    for word in words:
        if len(current) + len(word) > 16 and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    for i, line in enumerate(lines[:4]):
        pen.text(0.01, -0.24 + i * 0.055, line, 0.04, ink)
    pen.line([(-0.16, -0.24 + len(lines[:4]) * 0.055), (0.18, -0.24 + len(lines[:4]) * 0.055)], ink, 0.003)


DRAWINGS: dict[str, Drawing] = {
    "phone": phone,
    "tablet": tablet,
    "laptop": laptop,
    "camera": camera,
    "console": console,
    "bag": bag,
    "watch": watch,
    "jewelry": jewelry,
    "sneaker": sneaker,
    "clothing": clothing,
    "jacket": clothing,
    "tshirt": clothing,
    "sweater": clothing,
    "appliance": appliance,
    "furniture": furniture,
    "book": book,
    **APPLIANCES,
    "chair": furniture,
    "shelf": furniture,
    "drawers": furniture,
    "desk": furniture,
}

# Drawings whose second photo is a close-up of the same view, as a seller shows wear up close.
CLOSE_UP_SECOND = frozenset(
    {"appliance", "furniture", "chair", "shelf", "drawers", "desk", *APPLIANCES} - {"robot"}
)


# --- Composition ---------------------------------------------------------------------------------------


def _background(rng: random.Random, size: int) -> Image.Image:
    top, bottom = (rgb(c) for c in rng.choice(BACKGROUNDS))
    if rng.random() < 0.5:
        top, bottom = bottom, top
    horizon = rng.uniform(0.55, 0.75)
    wall = gradient((size, round(size * horizon)), shade(top, 1.05), top)
    table = gradient((size, size - wall.height), shade(bottom, 1.02), shade(bottom, 0.92))
    image = Image.new("RGB", (size, size))
    image.paste(wall, (0, 0))
    image.paste(table, (0, wall.height))
    return image


def _prop(pen: Pen, rng: random.Random) -> None:
    """Something else on the table, half behind the item: a plant, a mug or a small box."""
    x = rng.choice((-0.36, 0.36)) + rng.uniform(-0.04, 0.04)
    y = rng.uniform(-0.3, -0.15)
    kind = rng.choice(("plant", "mug", "box"))
    if kind == "plant":
        pot = rgb(rng.choice(("#c56a46", "#e8e2d6", "#6c757d")))
        pen.poly([(x - 0.05, y + 0.12), (x + 0.05, y + 0.12), (x + 0.065, y), (x - 0.065, y)], pot)
        for dx, dy, rx in (
            (-0.05, -0.06, 0.03),
            (0.04, -0.07, 0.03),
            (0, -0.11, 0.035),
            (-0.02, -0.04, 0.03),
            (0.03, -0.03, 0.03),
        ):
            pen.ellipse(x + dx, y + dy, rx, rx * 1.6, rgb(rng.choice(("#4f8a4b", "#5f9d55", "#3d6e3a"))))
    elif kind == "mug":
        mug = rgb(rng.choice(("#ffffff", "#2f3e46", "#e9c46a", "#84a59d")))
        pen.arc(x + 0.055, y + 0.06, 0.035, 0.035, 270, 90, shade(mug, 0.85), 0.012)
        pen.rect(x - 0.055, y, x + 0.055, y + 0.12, mug, radius=0.01)
        pen.ellipse(x, y, 0.055, 0.012, shade(mug, 0.75))
    else:
        box = rgb(rng.choice(("#d8c3a5", "#f2f2f2", "#2b2d42", "#a8dadc")))
        pen.rect(x - 0.08, y, x + 0.08, y + 0.1, box, radius=0.004)
        pen.rect(x - 0.08, y, x + 0.08, y + 0.015, shade(box, 0.85), radius=0.004)


def _shadow(item: Image.Image) -> tuple[Image.Image, int]:
    """A soft shadow mask from the item's silhouette and the margin it spreads past the item's box.

    Blurred at an eighth of the size (cheap at any size), on a padded canvas so that the blur fades
    out instead of stopping at the item's bounding box.
    """
    factor, pad = 8, 5
    small_size = (max(item.width // factor, 1), max(item.height // factor, 1))
    small = Image.new("L", (small_size[0] + 2 * pad, small_size[1] + 2 * pad), 0)
    small.paste(item.getchannel("A").resize(small_size, Image.Resampling.BILINEAR), (pad, pad))
    small = small.filter(ImageFilter.GaussianBlur(3)).point(lambda value: value * 0.35)
    margin = pad * factor
    return small.resize(
        (item.width + 2 * margin, item.height + 2 * margin), Image.Resampling.BILINEAR
    ), margin


def product_photo(
    drawing: str,
    *,
    seed: int,
    colour: str = "#777777",
    view: int = 0,
    size: int = 1200,
    label: str = "",
    quality: int = 86,
) -> bytes:
    """A JPEG of `drawing` (see DRAWINGS) in `colour`, as photo number `view` of a listing.

    `label` (the model name or title) picks details where a drawing has variants: a quilted or a
    monogram bag, a high or a low sneaker, a square or a round watch. Deterministic from `seed`.
    """
    rng = random.Random(f"{drawing}:{seed}:{view}")
    image = _background(rng, size)
    if rng.random() < 0.6:
        _prop(Pen(image), rng)

    close_up = view == 1 and drawing in CLOSE_UP_SECOND
    scale = rng.uniform(0.82, 1.0) if not close_up else rng.uniform(1.5, 1.8)
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = Pen(layer, scale=scale)
    if close_up:
        pen = Pen(layer, cx=rng.uniform(-0.25, 0.25), cy=rng.uniform(-0.25, 0.25), scale=scale)
    DRAWINGS[drawing](pen, rng, rgb(colour), 0 if close_up else view, label)

    # Rotate only the item's bounding box: rotating the whole canvas costs several times more.
    angle = rng.uniform(-12, 12)
    left, top, right, bottom = layer.getbbox() or (0, 0, size, size)
    item = layer.crop((left, top, right, bottom)).rotate(
        angle, resample=Image.Resampling.BILINEAR, expand=True
    )
    x = round((left + right) / 2 + rng.uniform(-0.05, 0.05) * size - item.width / 2)
    y = round((top + bottom) / 2 + rng.uniform(-0.04, 0.05) * size - item.height / 2)
    shadow, margin = _shadow(item)
    image.paste((40, 36, 32), (x - margin + round(size * 0.015), y - margin + round(size * 0.025)), shadow)
    image.paste(item, (x, y), item)

    output = io.BytesIO()
    image.save(output, format="JPEG", quality=quality)
    return output.getvalue()
