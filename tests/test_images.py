"""fit_photo: what Telegram takes as a photo, and nothing that cannot be decoded safely."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from bot.images import MAX_PIXELS, PHOTO_MAX_BYTES, ImageError, fit_photo


def encoded(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png(width: int, height: int, noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), "teal")
    return encoded(image, compress_level=1)


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG of width × height black pixels, one bit each, built a row at a time
    (Pillow would need the whole image in memory to write it): a few kilobytes."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)

    row = b"\0" * (1 + (width + 7) // 8)  # filter type 0, then the packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


# --- what is refused ----------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_small_file_with_too_many_pixels_is_refused_before_decoding() -> None:
    data = bomb_png(10_000, 10_000)
    assert len(data) < 20_000
    with pytest.raises(ImageError, match="10000 × 10000"):
        fit_photo(data)


def test_the_bomb_builder_makes_a_real_png() -> None:
    with Image.open(io.BytesIO(bomb_png(300, 200))) as image:
        image.load()
        assert (image.format, image.size, image.mode) == ("PNG", (300, 200), "1")


def test_a_declared_size_beyond_pillows_own_limit_is_refused() -> None:
    with pytest.raises(ImageError):
        fit_photo(bomb_png(20_000, 20_000))  # Pillow raises DecompressionBombError at open


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage, not an image",
        png(300, 200)[:200],  # truncated: the header is fine, the pixels are cut
        png(400, 300, noise=True)[:-13],  # cut in the last chunk of pixels
        encoded(Image.new("RGB", (300, 200), "red"), "JPEG")[:400],
        encoded(Image.new("RGB", (300, 200), "red"), "BMP"),  # not a format providers serve
    ],
    ids=["empty", "garbage", "truncated-png", "cut-png", "truncated-jpeg", "bmp"],
)
def test_what_does_not_decode_is_an_image_error(data: bytes) -> None:
    with pytest.raises(ImageError):
        fit_photo(data)


def test_the_pixel_limit_leaves_room_for_midjourneys_largest_output() -> None:
    assert MAX_PIXELS > 4096 * 4096  # a 4x upscale


# --- what is kept, re-encoded or scaled ---------------------------------------------------


def test_small_photo_is_sent_as_it_is() -> None:
    data = png(1024, 1024)
    assert fit_photo(data) is data


def test_a_small_jpeg_is_sent_as_it_is() -> None:
    data = encoded(Image.new("RGB", (2048, 2048), "teal"), "JPEG")
    assert fit_photo(data) is data


def test_heavy_photo_is_reencoded_under_10_mb() -> None:
    data = png(2200, 2200, noise=True)
    assert len(data) > PHOTO_MAX_BYTES
    fitted = fit_photo(data)
    assert len(fitted) <= PHOTO_MAX_BYTES
    with Image.open(io.BytesIO(fitted)) as image:
        assert image.format == "JPEG"
        assert image.size == (2200, 2200)


def test_oversized_dimensions_are_scaled_down() -> None:
    fitted = fit_photo(png(9000, 3000))
    with Image.open(io.BytesIO(fitted)) as image:
        assert sum(image.size) <= 10_000
        assert abs(image.size[0] / image.size[1] - 3) < 0.01


def test_an_oversized_jpeg_is_scaled_down() -> None:
    fitted = fit_photo(encoded(Image.new("RGB", (8000, 4000), "teal"), "JPEG"))
    with Image.open(io.BytesIO(fitted)) as image:
        assert image.format == "JPEG"
        assert sum(image.size) <= 10_000
        assert abs(image.size[0] / image.size[1] - 2) < 0.01


def test_transparency_is_flattened_for_jpeg() -> None:
    fitted = fit_photo(encoded(Image.new("RGBA", (8000, 3000), (0, 128, 128, 100))))
    with Image.open(io.BytesIO(fitted)) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB")
