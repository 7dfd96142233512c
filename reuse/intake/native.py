"""Relay's own intake template: one row per device, with up to two drives.

Only Type, Make and Model are required; any other column may be left out of the file altogether.
A column Relay does not know stops the import, because a misspelt heading ("Serial no") would
otherwise drop a whole column of data without anyone noticing.
"""

from dataclasses import dataclass
from typing import Any

from reuse.intake import values as v
from reuse.intake.reader import Problem, normalise_heading
from reuse.intake.rows import RowPlan
from reuse.models import Device, StorageMedium

DRIVES = 2


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    parse: Any
    example: str
    required: bool = False
    aliases: tuple[str, ...] = ()


DEVICE_COLUMNS = [
    Column("kind", "Type", v.parse_kind, "laptop", True, ("device type",)),
    Column("make", "Make", v.device_text["make"], "Dell", True, ("manufacturer",)),
    Column("model", "Model", v.device_text["model"], "Latitude 5490", True),
    Column("serial", "Serial number", v.identifier(Device, "serial"), "5CG7301JQ4", aliases=("serial", "serial no")),
    Column("imei", "IMEI", v.parse_imei, ""),
    Column(
        "council_asset_number",
        "Council asset number",
        v.identifier(Device, "council_asset_number"),
        "IT-004512",
        aliases=("asset number",),
    ),
    Column("cpu", "CPU", v.device_text["cpu"], "Intel Core i5-8350U", aliases=("processor",)),
    Column("ram_gb", "RAM (GB)", v.gigabytes(4096), "8", aliases=("ram", "memory gb")),
    Column("storage_gb", "Storage (GB)", v.gigabytes(1_000_000), "256", aliases=("storage",)),
    Column("storage_type", "Storage type", v.parse_storage_type, "ssd"),
    Column("os_name", "Operating system", v.device_text["os_name"], "Windows", aliases=("os",)),
    Column("os_version", "OS version", v.device_text["os_version"], "11 Pro"),
    Column("tpm_version", "TPM version", v.device_text["tpm_version"], "2.0", aliases=("tpm",)),
    Column("battery_health_pct", "Battery health (%)", v.parse_percent, "87", aliases=("battery health",)),
    Column("webcam", "Webcam", v.parse_bool, "yes"),
    # Parsed with the chosen date format by the row reader. Blank: filled from the security-support table.
    Column("updates_until", "Security updates until", None, "12/10/2027", aliases=("updates until",)),
    Column("has_charger", "Charger", v.parse_bool, "yes"),
    Column("has_case", "Case", v.parse_bool, "no"),
    Column("grade", "Grade", v.parse_grade, "B"),
    Column(
        "source_department",
        "Source department",
        v.device_text["source_department"],
        "Adult Social Care",
        aliases=("department",),
    ),
    Column("lot", "Lot", v.device_text["lot"], "LOT-2025-03", aliases=("lot batch", "batch")),
    # Parsed with the chosen date format by the row reader, not here (and not in the future).
    Column("received_at", "Received date", None, "14/03/2025", aliases=("received",)),
    Column("notes", "Notes", v.notes, "Small dent on the lid"),
]

DRIVE_FIELDS = [
    ("kind", "type", v.parse_storage_type, "ssd"),
    ("make", "make", v.medium_text["make"], "Samsung"),
    ("model", "model", v.medium_text["model"], "PM981"),
    ("serial", "serial", v.identifier(StorageMedium, "serial"), "S4DXNX0M812345"),
    ("capacity_gb", "capacity (GB)", v.gigabytes(1_000_000), "256"),
]
DRIVE_COLUMNS = [
    Column(f"drive{n}_{name}", f"Drive {n} {label}", parse, example if n == 1 else "")
    for n in range(1, DRIVES + 1)
    for name, label, parse, example in DRIVE_FIELDS
]
COLUMNS = DEVICE_COLUMNS + DRIVE_COLUMNS
REQUIRED = [c.key for c in COLUMNS if c.required]


def template_rows() -> list[list[str]]:
    """The downloadable template: the heading row and one example device."""
    return [[c.heading for c in COLUMNS], [c.example for c in COLUMNS]]


def heading_spec() -> dict[str, tuple[str, ...]]:
    return {c.key: tuple(normalise_heading(h) for h in (c.heading, *c.aliases)) for c in COLUMNS}


def unknown_column_problems(layout) -> list:
    return [
        Problem(
            1, name, "is not a column of Relay's template: correct its heading (see the template) or delete the column"
        )
        for name in layout.ignored
    ]


def read_rows(table, layout, *, dates) -> list:
    """Parse each data row into a RowPlan. `dates` reads (and counts ambiguous) date cells.

    Written for speed: this loop runs once per cell, 200,000 times for a 10,000-row file.
    """
    present = [
        (c.key, layout.index[c.key], c.parse, layout.label(c.key), c.required, c.heading)
        for c in COLUMNS
        if c.key in layout.index
    ]
    rows = []
    for line, cells in table.rows:
        fields, errors = {}, []
        for key, index, parse, label, required, heading in present:
            raw = cells[index].strip()
            if not raw:
                if required:
                    errors.append(Problem(line, label, f"{heading} is required"))
                continue
            try:
                if parse is not None:
                    fields[key] = parse(raw)
                elif key == "received_at":
                    fields[key] = dates.received(raw, line, label)
                else:
                    fields[key] = dates.read(raw, line, label)
            except ValueError as exc:
                errors.append(Problem(line, label, str(exc)))
        row = RowPlan(line=line, fields=fields, errors=errors)
        row.media = _drives(row, layout)
        rows.append(row)
    return rows


DRIVE_KEYS = [[(f"drive{n}_{name}", name) for name, *_ in DRIVE_FIELDS] for n in range(1, DRIVES + 1)]


def _drives(row, layout) -> list[dict]:
    media = []
    for n, keys in enumerate(DRIVE_KEYS, start=1):
        prefix = f"drive{n}_"
        drive = {name: row.fields.pop(key) for key, name in keys if key in row.fields}
        if not drive:
            continue
        if "kind" not in drive:
            if row.fields.get("storage_type"):
                drive["kind"] = row.fields["storage_type"]
            else:
                column = layout.label(f"{prefix}kind") or f"Drive {n} type"
                row.errors.append(Problem(row.line, column, f"Drive {n} needs a type (hdd, ssd, nvme, emmc or other)"))
                continue
        media.append(drive)
    return media
