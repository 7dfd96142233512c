"""Label sheets and calibration pages as PDF.

Measured on a 2-core machine (WeasyPrint 70, 1,000 labels on L7160, profiled with cProfile): the
cost is WeasyPrint's work per box and per line of text, so each label is three boxes: a float, the
code's image, and one `white-space: pre` block of text whose first line (the tag) is styled with
`::first-line` (a block per line took ~10% longer; per-line `overflow: hidden` boxes more). The codes
are 8-bit grey PNGs handed over in memory: WeasyPrint re-encodes 1-bit images as RGB, and reads
`data:` URIs through its HTML tokenizer (each ~10%). Sheets are positioned by floats in fixed-height
rows, never absolutely. A batch is split into runs of whole sheets, rendered side by side on every
core and joined (most of the remaining time is WeasyPrint itself, about 4 ms of CPU a label).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from core.parallel import process_map
from core.pdf import MEMORY_PREFIX, html_to_pdf, join_pdfs
from core.qr import qr_matrix_png
from reuse.labels.geometry import GAP_MM, LabelLayout

# Sheets per rendered part when parts are rendered one after another (background jobs report
# progress after each part), and the most in any part (bounds a worker's memory).
PART_SHEETS = 8
MAX_PART_SHEETS = 40


@dataclass(frozen=True)
class LabelItem:
    """What one label shows: the tag, the URL its code holds, and optionally the device's type/model."""

    tag: str
    url: str
    detail: str = ""


@dataclass
class SheetPart:
    """One run of whole sheets, ready to render anywhere: no database needed.

    `images` maps each `memory:` URL in `html` to its QR PNG; `encode` lists those not cached yet
    (memory URL -> the label URL to encode), so the worker rendering the part encodes them too.
    """

    html: str
    images: dict[str, bytes]
    encode: dict[str, str]


def render_part(part: SheetPart) -> tuple[bytes, dict[str, bytes]]:
    """(PDF of the part, the QR codes encoded for it on the way, by label URL)."""
    fresh = {url: qr_matrix_png(url, mode="L") for url in dict.fromkeys(part.encode.values())}
    images = {**part.images, **{key: fresh[url] for key, url in part.encode.items()}}
    return html_to_pdf(part.html, images), fresh


def _mm(value: float) -> str:
    return f"{value:.3f}mm"


def _css(layout: LabelLayout) -> str:
    """The stylesheet for `layout`: every length pre-formatted, so locale settings cannot touch them."""
    return render_to_string(
        "reuse/labels/pdf_sheet.css",
        {
            "l": layout,
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
                "padding": _mm(layout.padding),
                "radius": _mm(layout.radius),
                "qr": _mm(layout.qr),
                "gap": _mm(GAP_MM),
                # 0.1 mm to spare, so rounding never wraps the text under the code.
                "text_width": _mm(layout.text_width - 0.1),
                "tag_size": f"{layout.tag_pt:.2f}pt",
                "small_size": f"{layout.small_pt:.2f}pt",
                "under_gap": _mm(GAP_MM / 2),
            },
        },
    )


def _sheet_html(layout: LabelLayout, sheets: list[list[dict | None]], css: str, title: str) -> str:
    rows = [
        [sheet[start : start + layout.columns] for start in range(0, layout.per_sheet, layout.columns)]
        for sheet in sheets
    ]
    return render_to_string(
        "reuse/labels/pdf_sheet.html",
        {
            "title": title,
            "css": css,
            "sheets": rows,
            "layout": layout,
        },
    )


def sheet_count(template, count: int, skip: int = 0) -> int:
    return math.ceil((skip + count) / template.per_sheet)


def label_sheet_parts(
    *,
    template,
    items: Sequence[LabelItem],
    codes: dict[str, bytes],
    skip: int = 0,
    printer=None,
    part_sheets: int = PART_SHEETS,
) -> tuple[list[SheetPart], int]:
    """`items` on `template`'s sheets, as runs of at most `part_sheets` sheets. Returns (parts, sheets).

    The first `skip` positions stay blank. `codes` holds the QR PNGs already encoded, by URL.
    """
    layout = template.layout(printer, tag_length=max([10, *(len(item.tag) for item in items)]))
    fixed = [settings.SERVICE_NAME, settings.COUNCIL_NAME] if layout.show_service else []
    cells: list[dict | None] = [None] * skip + [
        {
            "src": f"{MEMORY_PREFIX}qr/{index}",
            "url": item.url,
            # One `white-space: pre` block per label, its first line the tag: one box to lay out, not four.
            "text": "\n".join(
                ([item.tag] if layout.show_tag else [])
                + fixed
                + ([item.detail] if item.detail and layout.show_detail else [])
            ),
        }
        for index, item in enumerate(items)
    ]
    sheets = [cells[start : start + layout.per_sheet] for start in range(0, len(cells), layout.per_sheet)]
    sheets[-1] += [None] * (layout.per_sheet - len(sheets[-1]))
    css = _css(layout)
    title = f"Asset labels on {template.code}"
    parts = []
    for start in range(0, len(sheets), part_sheets):
        run = sheets[start : start + part_sheets]
        labels = [cell for sheet in run for cell in sheet if cell]
        parts.append(
            SheetPart(
                html=_sheet_html(layout, run, css, title),
                images={cell["src"]: codes[cell["url"]] for cell in labels if cell["url"] in codes},
                encode={cell["src"]: cell["url"] for cell in labels if cell["url"] not in codes},
            )
        )
    return parts, len(sheets)


def render_labels(
    *,
    template,
    items: Sequence[LabelItem],
    codes: dict[str, bytes],
    skip: int = 0,
    printer=None,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int, dict[str, bytes]]:
    """PDF of `items` on `template`'s sheets, leaving the first `skip` positions blank.

    Returns (pdf, pages, the QR codes encoded on the way by URL, for the caller to keep).

    Callers check the template and the skip first (`reuse.services.labels`). With `workers` > 1 the
    sheets are rendered in parallel; otherwise part by part, calling `on_progress(labels_done)`.
    QR codes not in `codes` are encoded by whichever process renders their sheet.
    """
    sheets_total = sheet_count(template, len(items), skip)
    size = min(MAX_PART_SHEETS, math.ceil(sheets_total / workers)) if workers > 1 else PART_SHEETS
    parts, sheets = label_sheet_parts(
        template=template, items=items, codes=codes, skip=skip, printer=printer, part_sheets=size
    )
    if workers > 1:
        results = process_map(render_part, parts, workers=workers)
    else:
        results = []
        for index, part in enumerate(parts):
            results.append(render_part(part))
            if on_progress:
                on_progress(min(len(items), (index + 1) * size * template.per_sheet - skip))
    fresh = {url: png for _pdf, encoded in results for url, png in encoded.items()}
    return join_pdfs([pdf for pdf, _encoded in results]), sheets, fresh


def render_calibration(*, template, printer=None) -> bytes:
    """One sheet with every label's outline and a crosshair at its centre, shifted by the printer's offsets.

    Printed on plain paper and held against a sheet of labels up to the light, it shows how far the
    printer is out; the offsets to type in are on the page.
    """
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
