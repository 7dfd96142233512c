"""Label sheet geometry: where every label sits on the page, and what fits inside it.

Pure arithmetic on a template (anything with the LabelTemplate fields) and a printer's offsets, so
the model's validation, the PDF renderer, the calibration page and the tests all agree on one set
of numbers. Measurements are millimetres from the top-left corner of the page.
"""

from dataclasses import dataclass
from decimal import Decimal

PT_PER_MM = 72 / 25.4
# Codes narrower than this (quiet zone included) have modules under ~0.27 mm: phone cameras and
# handheld scanners start to miss them.
MIN_QR_MM = 10.0
# Average advance of an asset tag's characters in DejaVu Sans Condensed Bold, in ems (digits are
# 0.63, capitals up to 0.71); sizing the tag from it keeps "RLY-000123" on one line.
TAG_EM = 0.66
SMALL_EM = 0.52
TAG_PT = (6.0, 18.0)
SMALL_PT = (5.0, 9.0)
GAP_MM = 1.5


def _mm(value) -> float:
    return float(value) if value is not None else 0.0


def geometry_problems(template) -> list[tuple[str, str]]:
    """Why `template`'s labels would not print where they should, as (field, message) pairs.

    Uses exact decimal arithmetic, so a sheet that fits to the hundredth of a millimetre passes.
    """
    t = template
    needed = (
        "page_width_mm",
        "columns",
        "rows",
        "label_width_mm",
        "label_height_mm",
        "top_margin_mm",
        "left_margin_mm",
        "horizontal_pitch_mm",
        "vertical_pitch_mm",
        "corner_radius_mm",
        "padding_mm",
    )
    if any(getattr(t, name) is None for name in needed):
        return [("__all__", "Fill in every measurement.")]
    problems = []
    for name in ("page_width_mm", "label_width_mm", "label_height_mm"):
        if Decimal(getattr(t, name)) <= 0:
            problems.append((name, "Must be more than 0 mm."))
    if t.page_height_mm is not None and Decimal(t.page_height_mm) <= 0:
        problems.append(("page_height_mm", "Must be more than 0 mm, or empty for a continuous roll."))
    for name in ("top_margin_mm", "left_margin_mm", "corner_radius_mm", "padding_mm"):
        if Decimal(getattr(t, name)) < 0:
            problems.append((name, "Cannot be negative."))
    if t.columns < 1 or t.rows < 1:
        problems.append(("columns" if t.columns < 1 else "rows", "A sheet needs at least one column and one row."))
    if problems:
        return problems

    width, height = Decimal(t.label_width_mm), Decimal(t.label_height_mm)
    if t.columns > 1 and Decimal(t.horizontal_pitch_mm) < width:
        problems.append(
            (
                "horizontal_pitch_mm",
                f"Labels in a row would overlap: the horizontal pitch "
                f"({t.horizontal_pitch_mm} mm) is less than the label width ({width} mm).",
            )
        )
    if t.rows > 1 and Decimal(t.vertical_pitch_mm) < height:
        problems.append(
            (
                "vertical_pitch_mm",
                f"Labels in a column would overlap: the vertical pitch "
                f"({t.vertical_pitch_mm} mm) is less than the label height ({height} mm).",
            )
        )
    right = Decimal(t.left_margin_mm) + (t.columns - 1) * Decimal(t.horizontal_pitch_mm) + width
    if right > Decimal(t.page_width_mm):
        problems.append(
            (
                "__all__",
                f"The last column ends {right} mm from the left edge, past the {t.page_width_mm} mm page width.",
            )
        )
    if t.page_height_mm is not None:
        bottom = Decimal(t.top_margin_mm) + (t.rows - 1) * Decimal(t.vertical_pitch_mm) + height
        if bottom > Decimal(t.page_height_mm):
            problems.append(
                (
                    "__all__",
                    f"The last row ends {bottom} mm from the top edge, past the {t.page_height_mm} mm page height.",
                )
            )
    if Decimal(t.corner_radius_mm) * 2 > min(width, height):
        problems.append(("corner_radius_mm", "The corner radius is more than half the label's shorter side."))
    if Decimal(t.padding_mm) * 2 >= min(width, height):
        problems.append(("padding_mm", "The inner margin leaves no room inside the label."))
    if not problems:
        qr = label_layout(t).qr
        if qr < MIN_QR_MM:
            problems.append(
                (
                    "__all__",
                    f"The QR code would be {qr:.1f} mm wide; codes under {MIN_QR_MM:.0f} mm "
                    f"do not scan reliably. Use a bigger label or show fewer lines of text.",
                )
            )
    return problems


@dataclass(frozen=True)
class LabelLayout:
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    top: float  # top margin plus the printer's vertical offset
    left: float
    hpitch: float
    vpitch: float
    radius: float
    padding: float
    qr: float
    beside: bool  # text to the right of the code; otherwise under it
    text_width: float
    tag_pt: float
    small_pt: float
    show_tag: bool
    show_service: bool
    show_detail: bool

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def cell(self, position: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the label at `position` (0-based, row by row) on its sheet."""
        row, column = divmod(position % self.per_sheet, self.columns)
        return (self.left + column * self.hpitch, self.top + row * self.vpitch, self.label_width, self.label_height)

    def qr_box(self, position: int) -> tuple[float, float, float, float]:
        """Where the code's image (quiet zone included) is drawn for the label at `position`."""
        x, y, w, _h = self.cell(position)
        qr_x = x + self.padding if self.beside else x + (w - self.qr) / 2
        return (qr_x, y + self.padding, self.qr, self.qr)

    @property
    def tag_line_mm(self) -> float:
        return self.tag_pt / PT_PER_MM * 1.2

    @property
    def small_line_mm(self) -> float:
        return self.small_pt / PT_PER_MM * 1.25


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return max(bounds[0], min(bounds[1], value))


def label_layout(template, *, offset_x=0, offset_y=0, tag_length: int = 10) -> LabelLayout:
    """Geometry and type sizes for `template`, shifted by a printer's offsets.

    The code sits beside the text (taking at most half the width) unless putting it above the text
    gives a code at least 15% bigger, or leaves the text less than 15 mm. Type is sized so that a
    `tag_length`-character tag fits on one line.
    """
    t = template
    width, height, padding = _mm(t.label_width_mm), _mm(t.label_height_mm), _mm(t.padding_mm)
    inner_w, inner_h = width - 2 * padding, height - 2 * padding
    # The service and council, the type and model, and the finder's line ("Found this? Call ...").
    small_lines = (2 if t.show_service_name else 0) + (1 if t.show_type_model else 0) + 1
    has_text = True

    def tag_size(text_width: float) -> float:
        return _clamp(text_width / (tag_length * TAG_EM) * PT_PER_MM, TAG_PT) if t.show_tag else 0.0

    def small_size(tag_pt: float) -> float:
        return _clamp(tag_pt * 0.55 if t.show_tag else 7.0, SMALL_PT)

    # Beside: the code fills the height, up to half the width; the text takes the rest.
    qr_beside = min(inner_h, inner_w / 2) if has_text else min(inner_w, inner_h)
    text_beside = inner_w - qr_beside - GAP_MM
    # Under: the text spans the width; the code takes the height the text leaves (the tag no bigger than
    # 12 pt there, so four small lines under it still leave the code most of the label).
    tag_under = min(tag_size(inner_w), 12.0)
    small_under = small_size(tag_under)
    text_h = tag_under / PT_PER_MM * 1.2 + small_lines * small_under / PT_PER_MM * 1.25
    qr_under = min(inner_w, inner_h - text_h - GAP_MM / 2)
    beside = not has_text or (text_beside >= 15 and qr_under < qr_beside * 1.15)

    if beside:
        qr, text_width = qr_beside, text_beside
        tag_pt = tag_size(text_width)
        small_pt = small_size(tag_pt)
        room = inner_h - tag_pt / PT_PER_MM * 1.2
        if small_lines:
            # Shrink the small lines (not below 5 pt) until they fit under the tag.
            small_pt = max(SMALL_PT[0], min(small_pt, room / small_lines / 1.25 * PT_PER_MM))
    else:
        qr, text_width, tag_pt, small_pt = qr_under, inner_w, tag_under, small_under
    page_height = (
        _mm(t.page_height_mm)
        if t.page_height_mm is not None
        else (2 * _mm(t.top_margin_mm) + (t.rows - 1) * _mm(t.vertical_pitch_mm) + height)
    )
    return LabelLayout(
        page_width=_mm(t.page_width_mm),
        page_height=page_height,
        columns=t.columns,
        rows=t.rows,
        label_width=width,
        label_height=height,
        top=_mm(t.top_margin_mm) + _mm(offset_y),
        left=_mm(t.left_margin_mm) + _mm(offset_x),
        hpitch=_mm(t.horizontal_pitch_mm),
        vpitch=_mm(t.vertical_pitch_mm),
        radius=_mm(t.corner_radius_mm),
        padding=padding,
        qr=qr,
        beside=beside,
        text_width=text_width,
        tag_pt=tag_pt,
        small_pt=small_pt,
        show_tag=bool(t.show_tag),
        show_service=bool(t.show_service_name),
        show_detail=bool(t.show_type_model),
    )
