"""A signature drawn on the desk screen arrives as a `data:image/png;base64,...` URL from the canvas.

It is kept only if it is a real PNG (Pillow decodes it fully), of a sensible size, and not blank: a
signature box submitted empty must not pass for a signature.
"""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 200_000
MAX_SIDE = 2000
PREFIX = "data:image/png;base64,"
# Fewer inked pixels than this is a stray tap, not a signature.
MIN_INKED_PIXELS = 30


def decode_signature(data_url: str) -> bytes:
    if not data_url.startswith(PREFIX):
        raise ValidationError(
            "The signature did not arrive as an image. Ask the borrower to sign again.", code="signature_format"
        )
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationError("The signature image is too large.", code="signature_size")
    try:
        png = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            "The signature image is damaged. Ask the borrower to sign again.", code="signature_format"
        ) from None
    check_png(png)
    return png


def check_png(png: bytes) -> None:
    if len(png) > MAX_BYTES:
        raise ValidationError("The signature image is too large.", code="signature_size")
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise ValidationError("The signature must be a PNG image.", code="signature_format")
            if image.width > MAX_SIDE or image.height > MAX_SIDE:
                raise ValidationError("The signature image is too large.", code="signature_size")
            image.load()
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(
            "The signature image is damaged. Ask the borrower to sign again.", code="signature_format"
        ) from None
    # Ink is whatever stays dark once the (possibly transparent) image is laid on white paper.
    paper = Image.new("RGBA", rgba.size, "white")
    inked = sum(Image.alpha_composite(paper, rgba).convert("L").histogram()[:160])
    if inked < MIN_INKED_PIXELS:
        raise ValidationError(
            "The signature box is empty. Ask the borrower to sign, or choose \u201csigned on paper\u201d.",
            code="signature_empty",
        )
