"""Label sheets as PDF, drawn straight into the file with pydyf; the calibration page through WeasyPrint.

A sheet of 21 labels is about forty lines of text and 21 QR codes, so it is drawn directly rather than
laid out as HTML: each code is a path of filled rectangles (one per run of dark modules, in module
units) that was made once when its tag was issued (`qr_path`) and is placed with one scaling matrix;
text is set in the PDF standard fonts Helvetica and Helvetica-Bold (every reader has them, nothing is
embedded), measured with their Adobe metrics (`reuse.labels.metrics`), shrunk or wrapped to fit.
Everything in a label, code and text, is centred in the cell's inner box, both ways.

Nothing here touches the database or imports WeasyPrint unless a calibration page is asked for, so
`print_labels` starts quickly.
"""

import functools
import io
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reuse.labels.geometry import GAP_MM, PT_PER_MM, LabelLayout
from reuse.labels.metrics import HELVETICA, HELVETICA_BOLD

# Sheets drawn between progress reports (background jobs show progress as they go).
PART_SHEETS = 8
# Line heights, in ems: the tag, then every smaller line.
TAG_LEADING = 1.2
SMALL_LEADING = 1.25
# Helvetica's ascender and descender, in ems: a line's glyphs sit centred in its line height.
ASCENT, DESCENT = 0.718, 0.207
# Type never shrinks below this, in points: a model wraps onto more lines first.
MIN_PT = 4.5
MAX_MODEL_LINES = 3
QUIET_MODULES = 4  # the blank margin around a QR code, in modules (core.qr)


@dataclass(frozen=True)
class LabelItem:
    """What one label shows: the tag, the URL its code holds, and optionally the device's type/model."""

    tag: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool
    size: float  # points

    @property
    def height_mm(self) -> float:
        return self.size * (TAG_LEADING if self.bold else SMALL_LEADING) / PT_PER_MM


@functools.lru_cache(maxsize=8192)
def text_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    widths = HELVETICA_BOLD if bold else HELVETICA
    return sum(widths[byte] for byte in _encode(text)) / 1000 * size / PT_PER_MM


def _encode(text: str) -> bytes:
    # The standard fonts are drawn in WinAnsiEncoding; what it lacks is shown as "?".
    return text.encode("cp1252", errors="replace")


def wrap(text: str, width_mm: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` broken at spaces into lines no wider than `width_mm` (a single word too long keeps its line).

    Never at a no-break space (U+00A0), which holds a phone number together.
    """
    lines: list[str] = []
    for word in filter(None, text.split(" ")):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_mm(candidate, size, bold=bold) <= width_mm:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


@functools.lru_cache(maxsize=4096)
def _fitted(text: str, width_mm: float, size: float, *, bold: bool = False, max_lines: int = 1) -> tuple[Line, ...]:
    """`text` at `size`, shrunk (not below MIN_PT) and then wrapped onto at most `max_lines` lines to fit."""
    while True:
        lines = wrap(text, width_mm, size, bold=bold)
        widest = max((text_width_mm(line, size, bold=bold) for line in lines), default=0)
        if (len(lines) <= max_lines and widest <= width_mm) or size <= MIN_PT:
            break
        # One line: shrink it exactly to the width; several: a little at a time, so fewer lines fit.
        one_line = len(lines) == 1 and max_lines == 1
        size = max(MIN_PT, size * width_mm / widest if one_line else size - 0.25)
    if len(lines) > max_lines:  # at the smallest size and still too long: keep it all, on one more line each
        lines = wrap(text, width_mm, size, bold=bold)
    return tuple(Line(line, bold, size) for line in lines)


def label_lines(layout: LabelLayout, texts: dict[str, str], width_mm: float, height_mm: float) -> list[Line]:
    """The label's lines (`texts`: tag, service, council, detail, finder; empty ones left out), sized to
    fit `width_mm`, and smaller together until they fit `height_mm`."""
    small = layout.small_pt
    while True:
        lines: list[Line] = []
        if texts.get("tag"):
            lines += _fitted(texts["tag"], width_mm, layout.tag_pt, bold=True)
        for key in ("service", "council"):
            if texts.get(key):
                lines += _fitted(texts[key], width_mm, small, max_lines=2)
        if texts.get("detail"):
            lines += _fitted(texts["detail"], width_mm, small, max_lines=MAX_MODEL_LINES)
        if texts.get("finder"):
            lines += _fitted(texts["finder"], width_mm, small, max_lines=2)
        if sum(line.height_mm for line in lines) <= height_mm or small <= MIN_PT:
            return lines
        small = max(MIN_PT, small - 0.25)


def qr_path(matrix: Sequence[Sequence[bool]]) -> bytes:
    """A QR module matrix (quiet zone included) as PDF path operators in module units, y up from the
    bottom edge: one rectangle per run of dark modules, runs stacked in the same columns merged into
    one taller rectangle (fewer operators, and no hairline seams between rows). First line: the size."""
    size = len(matrix)
    runs: dict[tuple[int, int], int] = {}  # (x, width) -> first row of the run still open
    rects: list[tuple[int, int, int, int]] = []
    for y, row in enumerate([*matrix, [False] * size]):
        here: set[tuple[int, int]] = set()
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                here.add((start, x - start))
            x += 1
        for key in [key for key in runs if key not in here]:
            top = runs.pop(key)
            rects.append((key[0], size - y, key[1], y - top))
        for key in here:
            runs.setdefault(key, y)
    ops = " ".join(f"{x} {y} {w} {h} re" for x, y, w, h in sorted(rects))
    return f"{size}\n{ops}".encode("ascii")


def _hex(text: str) -> str:
    return "<" + _encode(text).hex() + ">"


def _f(value: float) -> str:
    return f"{value:.2f}"


def _draw_label(
    out: list[str], layout: LabelLayout, page_h: float, cell: tuple[float, float], code: bytes, lines: list[Line]
) -> None:
    """Append the operators for one label whose cell's top-left corner is `cell` (mm from the page's)."""
    x0, y0 = cell[0] + layout.padding, cell[1] + layout.padding
    inner_w, inner_h = layout.label_width - 2 * layout.padding, layout.label_height - 2 * layout.padding
    text_h = sum(line.height_mm for line in lines)
    widths = [text_width_mm(line.text, line.size, bold=line.bold) for line in lines]
    text_w = max(widths, default=0.0)
    size, ops = code.split(b"\n", 1)
    q = layout.qr
    quiet = QUIET_MODULES * q / int(size)  # the code's blank margin: it may reach into the cell's padding
    gap = GAP_MM if lines else 0.0
    if layout.beside:
        # What is printed (the code's modules, then the text) centred across the inner box.
        ink_left = x0 + (inner_w - (q - quiet + gap + text_w)) / 2
        qr_x = max(x0 - layout.padding, ink_left - quiet)
        qr_y = y0 + (inner_h - q) / 2
        text_x, text_y, centred = qr_x + q + gap, y0 + (inner_h - text_h) / 2, False
    else:
        ink_top = y0 + (inner_h - (q - quiet + gap / 2 + text_h)) / 2
        qr_x, qr_y = x0 + (inner_w - q) / 2, max(y0 - layout.padding, ink_top - quiet)
        text_x, text_y, centred = x0, qr_y + q + gap / 2, True
    scale = q * PT_PER_MM / int(size)
    out.append(
        f"q {scale:.4f} 0 0 {scale:.4f} {_f(qr_x * PT_PER_MM)} {_f((page_h - qr_y - q) * PT_PER_MM)} cm "
        f"{ops.decode('ascii')} f Q"
    )
    if not lines:
        return
    out.append("BT")
    y = text_y
    for line, width in zip(lines, widths, strict=True):
        height = line.height_mm
        # The glyphs (ascender to descender) centred in the line's height.
        baseline = y + (height - (ASCENT + DESCENT) * line.size / PT_PER_MM) / 2 + ASCENT * line.size / PT_PER_MM
        x = x0 + (inner_w - width) / 2 if centred else text_x
        font = "/B" if line.bold else "/R"
        out.append(
            f"{font} {line.size:.2f} Tf 1 0 0 1 {_f(x * PT_PER_MM)} {_f((page_h - baseline) * PT_PER_MM)} Tm "
            f"{_hex(line.text)} Tj"
        )
        y += height
    out.append("ET")


def label_texts(layout: LabelLayout, item: LabelItem, *, service: str, council: str, finder: str) -> dict[str, str]:
    return {
        "tag": item.tag if layout.show_tag else "",
        "service": service if layout.show_service else "",
        "council": council if layout.show_service else "",
        "detail": item.detail if layout.show_detail else "",
        "finder": finder,
    }


def _draw_sheet(
    layout: LabelLayout,
    items: Sequence[LabelItem],
    start: int,
    codes: dict[str, bytes],
    text_room: tuple[float, float],
    **fixed: str,
) -> bytes:
    """The compressed content stream of one sheet, whose first position holds `items[start]`."""
    out = ["0 g"]
    for position in range(layout.per_sheet):
        index = start + position
        if not 0 <= index < len(items):
            continue
        item = items[index]
        lines = label_lines(layout, label_texts(layout, item, **fixed), *text_room)
        x, y, _w, _h = layout.cell(position)
        _draw_label(out, layout, layout.page_height, (x, y), codes[item.url], lines)
    return zlib.compress("\n".join(out).encode("ascii"), 6)


def sheet_count(template, count: int, skip: int = 0) -> int:
    return math.ceil((skip + count) / template.per_sheet)


def draw_labels(
    *,
    layout: LabelLayout,
    items: Sequence[LabelItem],
    codes: dict[str, bytes],
    skip: int = 0,
    service: str = "",
    council: str = "",
    finder: str = "",
    title: str = "Asset labels",
    on_progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """PDF of `items` on `layout`'s sheets, the first `skip` positions left blank. Returns (pdf, sheets).

    `codes` holds each item's QR code as made by `qr_path`, by URL (every item's must be there).
    """
    import pydyf

    document = pydyf.PDF()
    document.info["Title"] = pydyf.String(title)
    document.info["Producer"] = pydyf.String("Relay")
    fonts = pydyf.Dictionary(
        {
            key: pydyf.Dictionary(
                {"Type": "/Font", "Subtype": "/Type1", "BaseFont": base, "Encoding": "/WinAnsiEncoding"}
            )
            for key, base in (("R", "/Helvetica"), ("B", "/Helvetica-Bold"))
        }
    )
    for font in fonts.values():
        document.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({k: v.reference for k, v in fonts.items()})})
    document.add_object(resources)
    inner_w, inner_h = layout.label_width - 2 * layout.padding, layout.label_height - 2 * layout.padding
    # The room the text has: beside the code, or under it.
    text_room = (layout.text_width, inner_h) if layout.beside else (inner_w, inner_h - layout.qr - GAP_MM / 2)
    sheets = sheet_count(layout, len(items), skip)
    for sheet in range(sheets):
        start = sheet * layout.per_sheet - skip
        content = _draw_sheet(layout, items, start, codes, text_room, service=service, council=council, finder=finder)
        stream = pydyf.Stream([content], extra={"Filter": "/FlateDecode"})
        document.add_object(stream)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": document.pages.reference,
                "MediaBox": pydyf.Array(
                    [0, 0, round(layout.page_width * PT_PER_MM, 3), round(layout.page_height * PT_PER_MM, 3)]
                ),
                "Contents": stream.reference,
                "Resources": resources.reference,
            }
        )
        document.add_page(page)
        if on_progress and (sheet + 1) % PART_SHEETS == 0:
            on_progress(min(len(items), (sheet + 1) * layout.per_sheet - skip))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue(), sheets


def _mm(value: float) -> str:
    return f"{value:.3f}mm"


def _css(layout: LabelLayout) -> str:
    """The calibration page's stylesheet: every length pre-formatted, so locale settings cannot touch them."""
    from django.template.loader import render_to_string

    return render_to_string(
        "reuse/labels/pdf_sheet.css",
        {
            "mm": {
                "page_width": _mm(layout.page_width),
                "page_height": _mm(layout.page_height),
                # A hair short of the page, so rounding never spills a sheet onto a blank page.
                "sheet_height": _mm(layout.page_height - 0.1),
                "left": _mm(layout.left),
                "top": _mm(layout.top),
                "vpitch": _mm(layout.vpitch),
                "row_width": _mm(layout.columns * max(layout.hpitch, layout.label_width) + 1),
                "label_width": _mm(layout.label_width),
                "label_height": _mm(layout.label_height),
                "gutter": _mm(max(0.0, layout.hpitch - layout.label_width)),
            },
        },
    )


def render_calibration(*, template, printer=None) -> bytes:
    """One sheet with every label's outline and a crosshair at its centre, shifted by the printer's offsets.

    Printed on plain paper and held against a sheet of labels up to the light, it shows how far the
    printer is out; the offsets to type in are on the page.
    """
    from django.template.loader import render_to_string

    from core.pdf import html_to_pdf

    layout = template.layout(printer)
    # The crosshair's lines are placed from inside the 0.2 mm outline, and are 0.2 mm thick themselves.
    inset = 0.2 + 0.1
    cells = [
        {"number": n + 1, "cx": layout.label_width / 2 - inset, "cy": layout.label_height / 2 - inset}
        for n in range(layout.per_sheet)
    ]
    rows = [cells[start : start + layout.columns] for start in range(0, layout.per_sheet, layout.columns)]
    html = render_to_string(
        "reuse/labels/pdf_calibration.html",
        {
            "template": template,
            "printer": printer,
            "layout": layout,
            "css": _css(layout),
            "rows": rows,
            "header_inside": layout.top < 9,
            "header_top": max(2.0, layout.top / 2 - 3),
        },
    )
    return html_to_pdf(html)
