"""Raster photos for email signatures and vCards, made at build time from a person's image.

Gmail and Outlook do not show SVG images in a message, and address books do not read an SVG
PHOTO, so the site's avatar (often an SVG with initials) is rendered once per person to a
square PNG (JPEG when the source is a JPEG photo): resvg for SVG, Pillow for everything else
and for the crop and resize. The file name carries a hash of the source and of the recipe:
Gmail's image proxy caches by URL, so a changed photo must get a new address.

Plain functions, no Pelican; a bad image is a ContentError naming the image file.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import resvg_py
from PIL import Image, ImageOps, UnidentifiedImageError

from plugins.problems import ContentError

SIGNATURE_CSS_PX = 96  # the photo's size in the signature, in CSS pixels
PHOTO_PX = 2 * SIGNATURE_CSS_PX  # the file is 2x, sharp on high-density screens
MAX_SOURCE_BYTES = 5 * 1024 * 1024  # an avatar, not a poster
MAX_SOURCE_PIXELS = 40_000_000  # below Pillow's decompression-bomb limit; ~ a 7000x5700 photo
RECIPE = "1"  # bump when the rendering changes, so every photo gets a new URL
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Photo:
    """One raster file for a person: where it goes in the output, and its bytes (the vCard
    embeds them)."""

    path: str  # relative to the output folder, e.g. people/maria.lopez/photo-1a2b3c4d5e.png
    data: bytes
    mediatype: str  # image/png or image/jpeg


def make_photo(source: Path, handle: str) -> Photo:
    """The person's image as a PHOTO_PX square, cropped to the centre; ContentError if the
    file is too large or not an image Pillow or resvg can read."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ContentError(str(source), None, f"cannot read the image: {exc.strerror}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise ContentError(
            str(source),
            None,
            f"the image is {len(raw) / 1e6:.1f} MB; use one under"
            f" {MAX_SOURCE_BYTES // (1024 * 1024)} MB for the signature photo",
        )
    if source.suffix.lower() in (".svg", ".svgz"):
        image, mediatype = _render_svg(source, raw), "image/png"
    else:
        image, mediatype = _open_raster(source, raw)
    square = image
    if image.size != (PHOTO_PX, PHOTO_PX):  # a square SVG is rendered at the size already
        square = ImageOps.fit(image, (PHOTO_PX, PHOTO_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if mediatype == "image/jpeg":
        square.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        square.save(out, "PNG")  # optimize=True: 5 % smaller, 10x slower
    digest = hashlib.sha256(raw + f"|{PHOTO_PX}|{RECIPE}".encode()).hexdigest()[:10]
    ext = "jpg" if mediatype == "image/jpeg" else "png"
    return Photo(f"people/{handle}/photo-{digest}.{ext}", out.getvalue(), mediatype)


def _render_svg(source: Path, raw: bytes) -> Image.Image:
    if source.suffix.lower() == ".svgz":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ContentError(str(source), None, f"not a gzip-compressed SVG: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(source), None, "the SVG is not UTF-8 text") from None
    try:
        # Rendered at the target size (not resized afterwards): text and edges stay sharp.
        # resvg keeps the aspect ratio, so the shorter side is brought to PHOTO_PX and the
        # crop below takes the centre. No resources_dir: the SVG cannot pull in other files.
        png = resvg_py.svg_to_bytes(svg_string=text, width=PHOTO_PX)
        if Image.open(io.BytesIO(bytes(png))).height < PHOTO_PX:  # wider than tall
            png = resvg_py.svg_to_bytes(svg_string=text, height=PHOTO_PX)
    except Exception as exc:  # resvg reports every parse failure as ValueError
        reason = " ".join(str(exc).split()) or type(exc).__name__
        at = re.search(r" at (\d+):(\d+)$", reason)  # resvg's XML errors end "at line:col"
        line = int(at.group(1)) if at else None
        raise ContentError(str(source), line, f"not a valid SVG image: {reason}") from None
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


def _open_raster(source: Path, raw: bytes) -> tuple[Image.Image, str]:
    try:
        image = Image.open(io.BytesIO(raw))
        width, height = image.size
        if width * height > MAX_SOURCE_PIXELS:
            raise ContentError(
                str(source),
                None,
                f"the image is {width}x{height} pixels; use one under"
                f" {MAX_SOURCE_PIXELS // 1_000_000} megapixels",
            )
        mediatype = "image/jpeg" if image.format == "JPEG" else "image/png"
        image = ImageOps.exif_transpose(image)  # a phone photo stands the right way up
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ContentError(
            str(source), None, "not an image Pillow can read (use PNG, JPEG or SVG)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:  # a truncated or corrupt file
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ContentError(str(source), None, f"the image is damaged: {reason}") from None
    return image.convert("RGB" if mediatype == "image/jpeg" else "RGBA"), mediatype
