"""The label sizes Relay ships with, and the function the data migration calls to add them.

Avery's published geometry for its A4 sheets (all 210 x 297 mm). L7160's margins and pitches are
Avery's own figures. For the others the pitches are Avery's standard ones (labels 2.5 mm apart
across, touching down the sheet) and the margins follow exactly from the page size, the counts and
the pitch, since each sheet is centred: top = (297 - rows x vertical pitch) / 2, left = (210 - the
width the columns span) / 2. Corner radii are gLabels' 5 pt (1.76 mm) for these products.

The Brother QL template is for 62 mm continuous tape (DK-22205) cut into 29 mm labels; the 58 mm
label width is the printer's printable width on that tape, centred.
"""

from decimal import Decimal as D

TEMPLATES = [
    # code, name, page w, page h (None: continuous roll), columns, rows, label w, label h,
    # top margin, left margin, horizontal pitch, vertical pitch, corner radius, show type/model
    (
        "L7160",
        "Avery L7160 (21 per sheet, 63.5 x 38.1 mm)",
        "210",
        "297",
        3,
        7,
        "63.5",
        "38.1",
        "15.15",
        "7.25",
        "66.04",
        "38.1",
        "1.76",
        True,
    ),
    (
        "L7163",
        "Avery L7163 (14 per sheet, 99.1 x 38.1 mm)",
        "210",
        "297",
        2,
        7,
        "99.1",
        "38.1",
        "15.15",
        "4.65",
        "101.6",
        "38.1",
        "1.76",
        True,
    ),
    (
        "L7162",
        "Avery L7162 (16 per sheet, 99.1 x 33.9 mm)",
        "210",
        "297",
        2,
        8,
        "99.1",
        "33.9",
        "12.9",
        "4.65",
        "101.6",
        "33.9",
        "1.76",
        True,
    ),
    (
        "L7651",
        "Avery L7651 (65 per sheet, 38.1 x 21.2 mm)",
        "210",
        "297",
        5,
        13,
        "38.1",
        "21.2",
        "10.7",
        "4.75",
        "40.6",
        "21.2",
        "1.76",
        False,
    ),
    (
        "QL62",
        "Brother QL, 62 mm continuous roll (29 mm labels)",
        "62",
        None,
        1,
        1,
        "58",
        "29",
        "0",
        "2",
        "58",
        "29",
        "0",
        True,
    ),
]


def seed_label_templates(model) -> int:
    """Add any shipped template missing from the table; never overwrite an administrator's edits.

    Takes the model class so a migration can pass its historical model. Returns how many it added.
    """
    added = 0
    for (
        code,
        name,
        page_w,
        page_h,
        columns,
        rows,
        label_w,
        label_h,
        top,
        left,
        hpitch,
        vpitch,
        radius,
        detail,
    ) in TEMPLATES:
        _, created = model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "page_width_mm": D(page_w),
                "page_height_mm": D(page_h) if page_h else None,
                "columns": columns,
                "rows": rows,
                "label_width_mm": D(label_w),
                "label_height_mm": D(label_h),
                "top_margin_mm": D(top),
                "left_margin_mm": D(left),
                "horizontal_pitch_mm": D(hpitch),
                "vertical_pitch_mm": D(vpitch),
                "corner_radius_mm": D(radius),
                "padding_mm": D("2"),
                "show_service_name": True,
                "show_tag": True,
                "show_type_model": detail,
            },
        )
        added += created
    return added
