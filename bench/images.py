"""What fitting a result image for Telegram costs in memory, before and after bot/images.py.

Each case runs in a fresh subprocess, which reports how far the call raised its peak RSS
(VmHWM, Linux) above the peak it had already reached with the image bytes loaded, and how
long the call took. Cases: a 10 000 × 10 000 PNG of a few kilobytes (a decompression bomb) and an
ordinary 2048 × 2048 grid. "before" is the old fit_photo in bot.delivery, while it exists.
Run: python bench/images.py
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from PIL import Image

# The peak RSS is read from VmHWM: ru_maxrss would carry the parent's peak over the exec.
CHILD = """
import importlib, sys, time
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
module, name, path = sys.argv[1:]
fit = getattr(importlib.import_module(module), name)
data = open(path, "rb").read()
peak = peak_kb()
start = time.perf_counter()
try:
    fit(data)
    outcome = "fitted"
except Exception as exc:
    outcome = type(exc).__name__
seconds = time.perf_counter() - start
grown = peak_kb() - peak
print(grown, seconds, outcome)
"""


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG of width × height black pixels, one bit each, built a row at a time."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def grid_png(side: int = 2048) -> bytes:
    """Four soft tiles with some grain, about as heavy as a Midjourney grid."""
    half = side // 2
    image = Image.new("RGB", (side, side))
    for n, colour in enumerate(("teal", "coral", "gold", "slateblue")):
        tile = Image.new("RGB", (half, half), colour)
        grain = Image.effect_noise((half, half), 24).convert("RGB")
        image.paste(Image.blend(tile, grain, 0.3), (n % 2 * half, n // 2 * half))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def implementations() -> list[tuple[str, str, str]]:
    """(label, module, function) of each fit_photo to measure."""
    import bot.delivery
    import bot.images

    found = [("after", "bot.images", "fit_photo")]
    old = getattr(bot.delivery, "fit_photo", None)
    if old is not None and old is not bot.images.fit_photo:
        found.insert(0, ("before", "bot.delivery", "fit_photo"))
    else:
        print("before: bot.delivery has no fit_photo of its own any more; row skipped")
    return found


def main() -> None:
    cases = {
        "10000×10000 PNG bomb": bomb_png(10_000, 10_000),
        "2048×2048 grid PNG": grid_png(),
    }
    root = Path(__file__).resolve().parent.parent
    measured = implementations()
    print(f"{'case':<24} {'bytes':>10}  {'code':<7} {'peak RSS +MB':>12} {'seconds':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for case, data in cases.items():
            path = Path(folder) / "image"
            path.write_bytes(data)
            for label, module, function in measured:
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, module, function, str(path)],
                    capture_output=True,
                    text=True,
                    cwd=root,
                    check=True,
                )
                grown, seconds, outcome = result.stdout.split()
                megabytes = int(grown) / 1024
                print(
                    f"{case:<24} {len(data):>10}  {label:<7} {megabytes:>12.1f} "
                    f"{float(seconds):>8.3f}  {outcome}"
                )


if __name__ == "__main__":
    main()
