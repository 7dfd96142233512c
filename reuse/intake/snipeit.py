"""Snipe-IT asset exports (Admin > Assets > Export, or a custom report).

Snipe-IT has no fixed export layout: columns come and go with the report, so Relay looks for the
headings it needs by name and ignores the rest. What it takes:

| Snipe-IT | Relay |
|---|---|
| Asset Tag | council asset number (the council's own tag; Relay still gives each device its own) |
| Serial | serial number (often missing from exports: see below) |
| Category, then Model, then Name | device type, by keywords ("Laptops", "MacBook Pro", "iPhone"); otherwise Other |
| Manufacturer / Model (or Model name) | make / model |
| Department, or else Company | source department |
| Model Number, Name, Location, Purchase Date, Notes | kept in the device's notes |
| Security updates until (a custom field, if the export has it) | security updates until |

Never imported: the people columns (Full Name, Email, Username, Checked Out To: ...), costs,
suppliers, order numbers, warranty and Snipe-IT's status. Devices arrive in Relay as `received`.

A row without a serial is imported, matched on re-import by its asset tag, with a warning: the serial
is needed later to match the wipe tool's log, so record it when the device is in hand.
"""

import re

from reuse.intake import values as v
from reuse.intake.reader import EXCEL_MESSAGE, Problem, excel_mangled, normalise_heading
from reuse.intake.rows import RowPlan
from reuse.models import Device, DeviceKind

HEADINGS = {
    "asset_tag": ("asset tag",),
    "serial": ("serial", "serial number"),
    "category": ("category",),
    "manufacturer": ("manufacturer",),
    "model": ("model", "model name"),
    "model_number": ("model number", "model no"),
    "name": ("name", "asset name", "item name"),
    "department": ("department",),
    "company": ("company",),
    "location": ("location",),
    "notes": ("notes", "asset notes"),
    "purchase_date": ("purchase date",),
    # A custom field some councils add; blank or missing: filled from the security-support table.
    "updates_until": ("security updates until", "updates until"),
}
PERSONAL = re.compile(r"name|email|username|checked out|employee|phone", re.IGNORECASE)

# Checked in order against the category, then the model, then the asset name. Word matches only.
KIND_WORDS = [
    (DeviceKind.HOTSPOT, r"hotspots?|mifi|mobile broadband|dongles?"),
    (DeviceKind.TABLET, r"tablets?|ipads?|galaxy tab\w*|kindle"),
    (DeviceKind.PHONE, r"phones?|mobiles?|smartphones?|iphones?|handsets?|mobile phones?"),
    (DeviceKind.LAPTOP, r"laptops?|notebooks?|macbook\w*|chromebooks?|thinkpad|latitude|elitebook|probook|ultrabooks?"),
    (DeviceKind.DESKTOP, r"desktops?|workstations?|all-in-ones?|imac|optiplex|elitedesk|thinkcentre|mini pcs?|pcs?"),
]
KIND_PATTERNS = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in KIND_WORDS]

serial = v.identifier(Device, "serial")
asset_number = v.identifier(Device, "council_asset_number")


def heading_spec() -> dict[str, tuple[str, ...]]:
    return {key: tuple(normalise_heading(h) for h in headings) for key, headings in HEADINGS.items()}


def looks_like(normal_headings: set[str]) -> bool:
    return "asset tag" in normal_headings


def guess_kind(*texts: str) -> str | None:
    for text in texts:
        for kind, pattern in KIND_PATTERNS:
            if text and pattern.search(text):
                return kind
    return None


def read_rows(table, layout, *, dates) -> list[RowPlan]:
    rows = []
    for line, cells in table.rows:

        def cell(key, cells=cells):
            return cells[layout.index[key]].strip() if key in layout.index else ""

        row = RowPlan(line=line, fields={})
        _identity(row, cell, layout)
        _description(row, cell, layout)
        _notes(row, cell, layout, dates)
        rows.append(row)
    return rows


def _attempt(row, layout, key, parse, value):
    try:
        return parse(value)
    except ValueError as exc:
        row.errors.append(Problem(row.line, layout.label(key), str(exc)))
        return ""


def _identity(row, cell, layout):
    if cell("serial"):
        row.fields["serial"] = _attempt(row, layout, "serial", serial, cell("serial"))
    elif "serial" in layout.index:
        row.warnings.append("No serial number: record it when the device is in hand (wipe logs are matched by it).")
    if cell("asset_tag"):
        row.fields["council_asset_number"] = _attempt(row, layout, "asset_tag", asset_number, cell("asset_tag"))


def _description(row, cell, layout):
    for key, field in (("manufacturer", "make"), ("model", "model")):
        if not cell(key):
            column = layout.label(key) or key.title()
            row.errors.append(Problem(row.line, column, f"{key.title()} is blank; Relay needs the device's {field}"))
        else:
            row.fields[field] = _attempt(row, layout, key, v.device_text[field], cell(key))
    kind = guess_kind(cell("category"), cell("model"), cell("name"))
    if kind is None:
        kind = DeviceKind.OTHER
        row.warnings.append(f"Category “{cell('category')}” is not one Relay recognises: imported as Other.")
    row.fields["kind"] = kind
    department = cell("department") or cell("company")
    if department:
        row.fields["source_department"] = department[:100]


def _notes(row, cell, layout, dates):
    lines = []
    if model_number := cell("model_number"):
        if excel_mangled(model_number):
            row.errors.append(Problem(row.line, layout.label("model_number"), EXCEL_MESSAGE.format(model_number)))
        lines.append(f"Model number: {model_number}")
    if cell("name"):
        lines.append(f"Snipe-IT name: {cell('name')}")
    if cell("location"):
        lines.append(f"Snipe-IT location: {cell('location')}")
    if purchased := cell("purchase_date"):
        try:
            lines.append(f"Purchased: {dates.read(purchased, row.line, layout.label('purchase_date')):%d/%m/%Y}")
        except ValueError as exc:
            row.errors.append(Problem(row.line, layout.label("purchase_date"), str(exc)))
    if cell("notes"):
        lines.append(cell("notes"))
    if until := cell("updates_until"):
        try:
            row.fields["updates_until"] = dates.read(until, row.line, layout.label("updates_until"))
        except ValueError as exc:
            row.errors.append(Problem(row.line, layout.label("updates_until"), str(exc)))
    if lines:
        row.fields["notes"] = "\n".join(lines)


def ignored_note(layout) -> list[str]:
    return [name for name in layout.ignored if PERSONAL.search(name)]
