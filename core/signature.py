"""Signatures taken at a desk: drawn on the screen, signed on paper, or read aloud and agreed.

A drawn signature arrives as a `data:image/png;base64,...` URL from the signature pad's canvas
(`templates/includes/signature_pad.html`, `frontend/js/signature.js`). It is kept only if it is a real
PNG (Pillow decodes it fully), of a sensible size, and not blank: a signature box submitted empty must
not pass for a signature. Loans (lending) and handovers (matching) both sign this way.
"""

import base64
import binascii
import io

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError
from core.forms import GovukForm

MAX_BYTES = 200_000
MAX_SIDE = 2000
PREFIX = "data:image/png;base64,"
# Fewer inked pixels than this is a stray tap, not a signature.
MIN_INKED_PIXELS = 30


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", "Signed on screen"
    PAPER = "paper", "Signed on paper"
    READ_ALOUD = "read_aloud", "Read aloud and agreed"


def decode_signature(data_url: str) -> bytes:
    if not data_url.startswith(PREFIX):
        raise ValidationError(
            "The signature did not arrive as an image. Ask them to sign again.", code="signature_format"
        )
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationError("The signature image is too large.", code="signature_size")
    try:
        png = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            "The signature image is damaged. Ask them to sign again.", code="signature_format"
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
            "The signature image is damaged. Ask them to sign again.", code="signature_format"
        ) from None
    # Ink is whatever stays dark once the (possibly transparent) image is laid on white paper.
    paper = Image.new("RGBA", rgba.size, "white")
    inked = sum(Image.alpha_composite(paper, rgba).convert("L").histogram()[:160])
    if inked < MIN_INKED_PIXELS:
        raise ValidationError(
            "The signature box is empty. Ask them to sign, or choose \u201csigned on paper\u201d.",
            code="signature_empty",
        )


def signature_checked(method: str, png: bytes | None, *, who: str = "they") -> bytes | None:
    """What a service keeps of a signature: the PNG when drawn (checked again), nothing otherwise.

    DomainError `signature_missing` (no method, or "drawn" without a drawing) or `signature_invalid`.
    """
    if method not in SignatureMethod.values:
        raise DomainError("signature_missing", "Record how they agreed to the terms.")
    if method != SignatureMethod.DRAWN:
        return None
    if not png:
        raise DomainError(
            "signature_missing",
            f"The signature box is empty: {who} {'has' if who.startswith('the ') else 'have'} not signed. "
            "Ask them to sign, or choose \u201csigned on paper\u201d.",
        )
    try:
        check_png(png)
    except ValidationError as error:
        raise DomainError("signature_invalid", error.messages[0]) from None
    return png


class SignatureFields(GovukForm):
    """The signature part of a form: how they agreed, and the drawing (a hidden field the pad fills).

    `cleaned_data["signature_png"]` holds the checked PNG when drawn. Templates hide the "signed on
    screen" choice without JavaScript (`DRAWN`), so nobody can choose a pad that is not there.
    """

    DRAWN = SignatureMethod.DRAWN
    signature_method = forms.ChoiceField(
        label="How did they agree?",
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they agreed to the terms"},
    )
    signature_data = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature_method"].widget.attrs["data-signature-method"] = ""

    def clean(self):
        data = super().clean() or {}
        if data.get("signature_method") == SignatureMethod.DRAWN:
            raw = data.get("signature_data", "")
            if not raw:
                self.add_error(
                    "signature_method",
                    "The signature box is empty. Ask them to sign, or choose \u201csigned on paper\u201d",
                )
            else:
                try:
                    data["signature_png"] = decode_signature(raw)
                except forms.ValidationError as error:
                    self.add_error("signature_method", error)
        return data
