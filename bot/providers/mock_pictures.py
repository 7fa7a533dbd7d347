"""The mock provider's pictures: soft gradients with numbered tiles, the task's kind and its
prompt drawn on them."""

from __future__ import annotations

import colorsys
import io
import math
import random
from typing import Any, Protocol

from PIL import Image, ImageDraw, ImageFont

SIDE = 1024  # pixels of a grid or of a single image


class Drawn(Protocol):
    """What a picture shows of its task."""

    id: str
    index: int

    @property
    def single_image(self) -> bool: ...

    @property
    def tag(self) -> str: ...


def render(task: Drawn, n: int, prompt: str | None) -> bytes:
    """A PNG: the 2×2 grid (n = 0), one of its tiles (n = 1–4), or an upscale's image."""
    if task.single_image:
        image = gradient(SIDE, task.id)
    elif n:
        image = numbered_tile(SIDE // 2, task.id, n)
    else:
        image = Image.new("RGB", (SIDE, SIDE))
        half = SIDE // 2
        for tile in range(1, 5):
            position = ((tile - 1) % 2 * half, (tile - 1) // 2 * half)
            image.paste(numbered_tile(half, task.id, tile), position)
    caption(image, task.tag, prompt)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def numbered_tile(side: int, task_id: str, n: int) -> Image.Image:
    image = gradient(side, f"{task_id}:{n}")
    ImageDraw.Draw(image).text(
        (side // 2, side // 2),
        str(n),
        font=ImageFont.load_default(size=side // 5),
        fill="white",
        anchor="mm",
        stroke_width=3,
        stroke_fill="black",
    )
    return image


def gradient(side: int, seed: str) -> Image.Image:
    """Three soft colours of neighbouring hues: a linear blend with a radial centre."""
    rng = random.Random(seed)
    hue = rng.random()

    def plane(shift: float) -> Image.Image:
        rgb = colorsys.hsv_to_rgb(
            (hue + shift) % 1.0, rng.uniform(0.35, 0.6), rng.uniform(0.8, 0.95)
        )
        return Image.new("RGB", (side, side), tuple(int(c * 255) for c in rgb))

    linear = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    radial = Image.radial_gradient("L")  # black centre, white edge
    edge = Image.composite(plane(0.0), plane(rng.uniform(0.1, 0.3)), linear.resize((side, side)))
    return Image.composite(edge, plane(-rng.uniform(0.1, 0.3)), radial.resize((side, side)))


def caption(image: Image.Image, tag: str, prompt: str | None) -> None:
    """The task's kind at the top left and the prompt, cut to fit, at the bottom."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(12, image.width // 40))
    style: dict[str, Any] = {
        "font": font,
        "fill": "white",
        "stroke_width": 2,
        "stroke_fill": "black",
    }
    margin = image.width // 50
    draw.text((margin, margin), f"mock · {tag}", **style)
    if prompt:
        text = fit(draw, " ".join(prompt.split()), font, image.width - 2 * margin)
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
    background = gradient(side, seed)
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
