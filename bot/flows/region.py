"""Vary (Region) without a brush: the image is cut into a grid of numbered cells, the person
taps the cells to repaint, and the mask is drawn from them.

The mask is a PNG the size of the image: white where Midjourney repaints, black where it
keeps (the convention every provider documents). Cells split the image by integer division,
so they cover it exactly, whatever its size.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

GRID = 4  # cells per side
PREVIEW_SIDE = 1024  # longest side of the gridded copy shown to the person


def cell_box(cell: int, size: tuple[int, int], grid: int = GRID) -> tuple[int, int, int, int]:
    """The pixels of cell `cell` (1 … grid², row by row) as (left, top, right, bottom),
    right and bottom exclusive."""
    width, height = size
    row, column = divmod(cell - 1, grid)
    return (
        column * width // grid,
        row * height // grid,
        (column + 1) * width // grid,
        (row + 1) * height // grid,
    )


def mask_png(size: tuple[int, int], cells: Iterable[int], grid: int = GRID) -> bytes:
    """White over the chosen cells, black elsewhere; one channel, the image's size."""
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for cell in cells:
        left, top, right, bottom = cell_box(cell, size, grid)
        draw.rectangle((left, top, right - 1, bottom - 1), fill=255)
    out = io.BytesIO()
    mask.save(out, "PNG")
    return out.getvalue()


def gridded(data: bytes, grid: int = GRID) -> tuple[bytes, tuple[int, int]]:
    """A JPEG copy of the image with the numbered grid drawn over it, and the image's own
    size (the mask's)."""
    with Image.open(io.BytesIO(data)) as original:
        size = original.size
        image = original.convert("RGB")
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(16, min(image.size) // (grid * 4)))
    line = max(2, min(image.size) // 300)
    for cell in range(1, grid * grid + 1):
        left, top, right, bottom = cell_box(cell, image.size, grid)
        draw.rectangle((left, top, right - 1, bottom - 1), outline="white", width=line)
        centre = ((left + right) // 2, (top + bottom) // 2)
        style = {"font": font, "fill": "white", "stroke_width": 3, "stroke_fill": "black"}
        draw.text(centre, str(cell), anchor="mm", **style)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue(), size
