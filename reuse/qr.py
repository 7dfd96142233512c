"""QR codes for labels and certificates: the only module that imports `qrcode`.

Codes are small 1-bit PNGs (one pixel a module, drawn with `image-rendering: pixelated`), which
WeasyPrint lays out several times faster than SVG. Error correction M survives a scuffed label; a
fixed mask skips the eight trial encodings qrcode would otherwise make.
"""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

FIXED_MASK = 2


def qr_matrix_png(data: str) -> bytes:
    """PNG bytes of the code for `data`, one pixel a module, with the 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4, mask_pattern=FIXED_MASK)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image().get_image().convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_data_uri(data: str) -> str:
    return png_data_uri(qr_matrix_png(data))
