"""Result images made fit to post as a Telegram photo, without trusting the bytes.

The image comes from whatever host the provider named. Its header is read first, and an
image with too many pixels is refused before a single pixel is decoded: a small PNG can
declare 10 000 × 10 000 pixels and cost hundreds of megabytes once decoded.
"""

from __future__ import annotations

import io
import struct

from PIL import Image

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDES = 10_000  # width + height
# Midjourney's largest output, a 4x upscale of a 1024 × 1024 image, is about 16.8 megapixels.
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")  # what providers serve; no other decoder is run
QUALITIES = (92, 85, 75, 60)
FALLBACK_SIDE = 2560

# What Pillow's decoders raise on bytes that are not a sound image of a known format.
DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


class ImageError(Exception):
    """The bytes are not an image that can be posted: undecodable, or too large."""


def fit_photo(data: bytes) -> bytes:
    """The image as Telegram takes a photo: the bytes as they are when they decode and are
    within 10 MB and 10 000 px of width plus height, else re-encoded to JPEG (and scaled
    down). ImageError for anything else. Blocking: run it in a thread."""
    try:
        return _fit(data)
    except DECODE_ERRORS as exc:
        raise ImageError(f"not a usable image: {exc}") from exc


def _fit(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data), formats=FORMATS) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageError(f"{width} × {height} pixels is more than {MAX_PIXELS}")
        scale = min(1.0, PHOTO_MAX_SIDES / (width + height))
        if len(data) <= PHOTO_MAX_BYTES and scale == 1.0:
            _check_sound(image)
            return data
        target = (max(1, int(width * scale)), max(1, int(height * scale)))
        image.draft("RGB", target)  # JPEG only: decode at 1/2, 1/4 or 1/8 when that suffices
        picture = image.convert("RGB")
    if picture.size != target:
        picture = picture.resize(target, Image.LANCZOS, reducing_gap=3.0)
    return _encode(picture)


def _check_sound(image: Image.Image) -> None:
    """Read the whole image to prove it is not cut or garbled, as cheaply as the format
    allows: a PNG's chunks are checked against their CRCs without inflating the pixels, a
    JPEG is decoded at an eighth of its size, anything else in full."""
    if image.format == "PNG":
        image.verify()
        return
    width, height = image.size
    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
    image.load()


def _encode(picture: Image.Image) -> bytes:
    for quality in QUALITIES:
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= PHOTO_MAX_BYTES:
            return buffer.getvalue()
    picture.thumbnail((FALLBACK_SIDE, FALLBACK_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
