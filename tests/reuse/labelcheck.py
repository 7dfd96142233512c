"""Read label PDFs back the way a scanner would: rasterise each page and decode every QR code.

Cell positions are computed here from the template's own fields, independently of the renderer's
layout code, so a drift in either shows up.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

import pypdfium2
import zxingcpp
from pypdf import PdfReader

MM_PER_PT = 25.4 / 72


@dataclass
class Code:
    page: int
    text: str
    left: float  # mm from the page's left edge
    top: float
    right: float
    bottom: float


def decode_pdf(pdf: bytes, dpi: int = 300) -> list[Code]:
    codes = []
    document = pypdfium2.PdfDocument(pdf)
    scale = dpi / 72
    for number in range(len(document)):
        image = document[number].render(scale=scale, grayscale=True).to_pil()
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            p = result.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            mm = MM_PER_PT / scale
            codes.append(Code(number, result.text, min(xs) * mm, min(ys) * mm, max(xs) * mm, max(ys) * mm))
    return codes


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(page.mediabox.width) * MM_PER_PT, float(page.mediabox.height) * MM_PER_PT)
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cell_rect(template, position: int, offset_x=Decimal(0), offset_y=Decimal(0)) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in mm of the label at `position` (0-based, across then down) on its sheet."""
    row, column = divmod(position % (template.columns * template.rows), template.columns)
    left = Decimal(template.left_margin_mm) + Decimal(offset_x) + column * Decimal(template.horizontal_pitch_mm)
    top = Decimal(template.top_margin_mm) + Decimal(offset_y) + row * Decimal(template.vertical_pitch_mm)
    return (
        float(left),
        float(top),
        float(left + Decimal(template.label_width_mm)),
        float(top + Decimal(template.label_height_mm)),
    )


def assert_codes_in_cells(pdf: bytes, template, urls: list[str], *, skip: int = 0, offset_x=0, offset_y=0):
    """Every URL decodes exactly once, on the right page, inside the label cell it was meant for."""
    per_sheet = template.columns * template.rows
    codes = decode_pdf(pdf)
    assert sorted(code.text for code in codes) == sorted(urls), "every label's code decodes, and nothing else"
    by_text = {code.text: code for code in codes}
    for index, url in enumerate(urls):
        position = skip + index
        code = by_text[url]
        assert code.page == position // per_sheet, f"{url} is on page {code.page + 1}"
        left, top, right, bottom = cell_rect(template, position, offset_x, offset_y)
        assert left < code.left < code.right < right, f"{url} sits across its cell ({left:.2f}-{right:.2f} mm)"
        assert top < code.top < code.bottom < bottom, f"{url} sits down its cell ({top:.2f}-{bottom:.2f} mm)"
    return codes
