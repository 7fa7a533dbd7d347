"""The mock provider's pictures: soft gradients with numbered tiles, the task's kind and its
prompt drawn on them."""

from __future__ import annotations

import colorsys
import io
import math
import random
from typing import Any, Protocol

from PIL import Image, ImageDraw, ImageFont

SIDE = 1024  # pixels of the longest side of a grid or of a single image
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
LATIN_END = 0x0250  # Pillow's own font draws Latin only
CYRILLIC_END = 0x0530  # DejaVu Sans: Latin, Greek and Cyrillic (and more, not relied on)


class Drawn(Protocol):
    """What a picture shows of its task."""

    id: str
    index: int
    seed: str
    shape: tuple[int, int]

    @property
    def single_image(self) -> bool: ...

    @property
    def tag(self) -> str: ...


def size_of(shape: tuple[int, int]) -> tuple[int, int]:
    """Pixels of a picture of this aspect ratio, SIDE on its longest side."""
    width, height = shape
    if width >= height:
        return SIDE, max(2, round(SIDE * height / width))
    return max(2, round(SIDE * width / height)), SIDE


def render(task: Drawn, n: int, prompt: str | None) -> bytes:
    """A PNG: the 2×2 grid (n = 0), one of its tiles (n = 1–4), or an upscale's image,
    which is its tile drawn large."""
    width, height = size_of(task.shape)
    tile = (width // 2, height // 2)
    if task.single_image:
        image = gradient((width, height), f"{task.seed}:{task.index}")
    elif n:
        image = numbered_tile(tile, task.seed, n)
    else:
        image = Image.new("RGB", (tile[0] * 2, tile[1] * 2))
        for number in range(1, 5):
            position = ((number - 1) % 2 * tile[0], (number - 1) // 2 * tile[1])
            image.paste(numbered_tile(tile, task.seed, number), position)
    caption(image, task.tag, prompt)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def numbered_tile(size: tuple[int, int], seed: str, n: int) -> Image.Image:
    image = gradient(size, f"{seed}:{n}")
    ImageDraw.Draw(image).text(
        (size[0] // 2, size[1] // 2),
        str(n),
        font=ImageFont.load_default(size=min(size) // 5),
        fill="white",
        anchor="mm",
        stroke_width=3,
        stroke_fill="black",
    )
    return image


def gradient(size: tuple[int, int], seed: str) -> Image.Image:
    """Three soft colours of neighbouring hues: a linear blend with a radial centre."""
    rng = random.Random(seed)
    hue = rng.random()

    def plane(shift: float) -> Image.Image:
        rgb = colorsys.hsv_to_rgb(
            (hue + shift) % 1.0, rng.uniform(0.35, 0.6), rng.uniform(0.8, 0.95)
        )
        return Image.new("RGB", size, tuple(int(c * 255) for c in rgb))

    linear = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    radial = Image.radial_gradient("L")  # black centre, white edge
    edge = Image.composite(plane(0.0), plane(rng.uniform(0.1, 0.3)), linear.resize(size))
    return Image.composite(edge, plane(-rng.uniform(0.1, 0.3)), radial.resize(size))


def caption_font(size: int) -> tuple[ImageFont.FreeTypeFont, int]:
    """DejaVu Sans where the system has it (Latin, Greek, Cyrillic), else Pillow's own font
    (Latin); with the first code point past what it draws."""
    try:
        return ImageFont.truetype(DEJAVU, size), CYRILLIC_END
    except OSError:
        return ImageFont.load_default(size=size), LATIN_END


def drawable(text: str, end: int) -> str:
    """The text without what the font has no glyph for (CJK, emoji, …)."""
    return " ".join("".join(ch for ch in text if ord(ch) < end).split())


def caption(image: Image.Image, tag: str, prompt: str | None) -> None:
    """The task's kind at the top left and the prompt, cut to fit, at the bottom."""
    draw = ImageDraw.Draw(image)
    font, end = caption_font(max(12, image.width // 40))
    style: dict[str, Any] = {
        "font": font,
        "fill": "white",
        "stroke_width": 2,
        "stroke_fill": "black",
    }
    margin = image.width // 50
    draw.text((margin, margin), f"mock · {tag}", **style)
    if prompt and drawable(prompt, end):
        text = fit(draw, drawable(prompt, end), font, image.width - 2 * margin)
        draw.text((margin, image.height - margin), text, anchor="ld", **style)


def fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """`text`, cut with an ellipsis to at most `width` pixels (binary search: prompts run long)."""
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)  # the longest fitting prefix has between low and high characters
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle] + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def animation(seed: str, frames: int = 12, side: int = 256) -> bytes:
    """A short looping GIF: a light circling over a gradient."""
    background = gradient((side, side), seed)
    pictures = []
    for frame in range(frames):
        picture = background.copy()
        angle = 2 * math.pi * frame / frames
        x = side / 2 + side / 4 * math.cos(angle)
        y = side / 2 + side / 4 * math.sin(angle)
        radius = side / 10
        ImageDraw.Draw(picture).ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill="white"
        )
        pictures.append(picture)
    out = io.BytesIO()
    pictures[0].save(out, "GIF", save_all=True, append_images=pictures[1:], duration=80, loop=0)
    return out.getvalue()
