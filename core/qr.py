"""QR codes for labels and certificates: the only module that imports `qrcode`.

Codes are small 1-bit PNGs (one pixel a module, drawn with `image-rendering: pixelated`), which
WeasyPrint lays out several times faster than SVG. Error correction M survives a scuffed label; a
fixed mask skips the eight trial encodings qrcode would otherwise make. The image is built straight
from the module matrix: qrcode's own PIL drawer paints each module as a rectangle, which took 40% of
the time for a label-sized code.
"""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

FIXED_MASK = 2


def qr_modules(data: str) -> list[list[bool]]:
    """The code for `data` as rows of modules (True: dark), the 4-module quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4, mask_pattern=FIXED_MASK)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_matrix_png(data: str, *, mode: str = "1") -> bytes:
    """PNG bytes of the code for `data`, one pixel a module, with the 4-module quiet zone.

    `mode="L"` gives an 8-bit grey PNG instead of a 1-bit one, for PDFs: WeasyPrint converts a 1-bit
    image to RGB and encodes it twice more, but embeds a grey one as it is (and DeviceGray black
    prints as black toner alone, not a mix of colours).
    """
    from PIL import Image  # only here: label sheets draw the modules themselves, and start quicker without it

    matrix = qr_modules(data)
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    if mode == "1":
        image = image.convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_data_uri(data: str) -> str:
    return png_data_uri(qr_matrix_png(data))
