"""Test helper: turn a born-digital PDF into a "scan" (image-only PDF), as a scanner would.

    from scans import scan_pdf
    scan_pdf(tmp_path / "protokoll.pdf", tmp_path / "skannad.pdf", dpi=170, angle=0.7, seed=1)

Each page is rendered in grey at ``dpi``, turned by ``angle`` degrees (a sheet fed slightly
askew), given grain (Gaussian noise of ``noise`` grey levels) and a few specks, stored as JPEG
and packed into a PDF that has no text layer at all (Pillow's PDF writer).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


def _grain(image: Image.Image, noise: float, seed: int) -> Image.Image:
    """Gaussian grain of ``noise`` grey levels plus a sprinkle of dark specks."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels + rng.normal(0.0, noise, pixels.shape)
    specks = rng.random(pixels.shape) < 0.0003
    pixels[specks] = rng.uniform(0, 90, int(specks.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def scan_pdf(
    src: Path,
    dst: Path,
    *,
    dpi: int = 170,
    angle: float = 0.7,
    noise: float = 12.0,
    seed: int = 0,
    pages: list[int] | None = None,
) -> Path:
    """Write an image-only PDF of ``src`` (all pages, or the 1-based ``pages``) to ``dst``."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(src))
    images: list[Image.Image] = []
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        for number in numbers:
            image = pdf[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            tilt = angle * rng.choice([-1, 1])
            image = image.rotate(tilt, resample=Image.BICUBIC, expand=False, fillcolor=255)
            image = _grain(image, noise, seed + number).filter(ImageFilter.GaussianBlur(0.4))
            images.append(image)
    finally:
        pdf.close()
    first, rest = images[0], images[1:]
    first.save(dst, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=70)
    return dst
