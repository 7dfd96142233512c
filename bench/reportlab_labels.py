"""bench_labels' yardstick: the same label sheet drawn with reportlab, as a new process of its own.

`python bench/reportlab_labels.py JOB.json OUT.pdf`. JOB holds the sheet's geometry, each label's lines
and its QR code as the rectangles Relay keeps (module units), so both sides start from encoded codes.
Each label is laid out the same way: the tag shrunk to fit, the other lines wrapped (reportlab's
`simpleSplit`), code and text centred in the cell. No Django, no database: a lean lower bound.
"""

import json
import sys

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas


def main(job_path: str, out: str) -> None:
    with open(job_path) as handle:
        job = json.load(handle)
    g = job["layout"]
    canvas = Canvas(out, pagesize=(g["page_width"] * mm, g["page_height"] * mm))
    page_h = g["page_height"] * mm
    inner_w, inner_h = (g["label_width"] - 2 * g["padding"]) * mm, (g["label_height"] - 2 * g["padding"]) * mm
    text_w, qr = g["text_width"] * mm, g["qr"] * mm
    per_sheet = g["columns"] * g["rows"]
    for index, label in enumerate(job["labels"]):
        position = index % per_sheet
        if index and not position:
            canvas.showPage()
        row, column = divmod(position, g["columns"])
        x0 = (g["left"] + column * g["hpitch"] + g["padding"]) * mm
        top = page_h - (g["top"] + row * g["vpitch"] + g["padding"]) * mm
        lines = []
        tag_size = g["tag_pt"]
        width = stringWidth(label["tag"], "Helvetica-Bold", tag_size)
        if width > text_w:
            tag_size *= text_w / width
        lines.append(("Helvetica-Bold", tag_size, label["tag"]))
        for text in label["lines"]:
            lines += [
                ("Helvetica", g["small_pt"], part) for part in simpleSplit(text, "Helvetica", g["small_pt"], text_w)
            ]
        text_h = sum(size * 1.25 for _font, size, _text in lines)
        widest = max(stringWidth(text, font, size) for font, size, text in lines)
        left = x0 + (inner_w - (qr + 1.5 * mm + widest)) / 2
        size, rects = label["code"]
        scale = qr / size
        path = canvas.beginPath()
        for x, y, w, h in rects:
            path.rect(x, y, w, h)
        canvas.saveState()
        canvas.transform(scale, 0, 0, scale, left, top - inner_h / 2 - qr / 2)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
        y = top - (inner_h - text_h) / 2
        for font, size_pt, text in lines:
            y -= size_pt * 1.25
            canvas.setFont(font, size_pt)
            canvas.drawString(left + qr + 1.5 * mm, y + size_pt * 0.25, text)
    canvas.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
