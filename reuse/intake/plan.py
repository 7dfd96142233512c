"""Turn an uploaded CSV into an import plan: every row checked, against the file and the database.

The plan is read-only. It lists what would be created, what was already imported (and so is skipped),
and every problem with its line and column. `reuse.services.intake.devices_import` writes a plan that
has no errors, all rows or none.

Re-importing: a row whose serial (or, without one, council asset number or IMEI) belongs to a device
already in Relay is "already imported" when nothing else the row says about the device's identity
(type, make, model, serial, IMEI, council asset number) contradicts it, and is skipped. Specs, grade and
notes are not compared, because technicians correct those in Relay after intake. A contradiction is an
error: it is either a different device with a clashing serial or a typo, and a person must decide.
"""

import datetime
import types
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from reuse.intake import lookups, native, snipeit  # noqa: F401 (lookups registers __any)
from reuse.intake.reader import (
    DATE_FORMATS,
    Problem,
    ProblemGroup,
    WrongDateFormat,
    group_problems,
    normalise_heading,
    parse_date,
    read_table,
)
from reuse.intake.rows import Layout, RowPlan, resolve_layout
from reuse.models import Device

FORMAT_LABELS = {"native": "Relay intake template", "snipeit": "Snipe-IT asset export"}
IDENTITY = ("serial", "imei", "council_asset_number")
IDENTITY_LABELS = {
    "serial": "serial number",
    "imei": "IMEI",
    "council_asset_number": "council asset number",
    "kind": "type",
    "make": "make",
    "model": "model",
}
SOURCE_KEYS = {  # the file's column for each identity field, per format
    "native": {"serial": "serial", "imei": "imei", "council_asset_number": "council_asset_number"},
    "snipeit": {"serial": "serial", "imei": "imei", "council_asset_number": "asset_tag"},
}
CHUNK = 10_000  # values per field per query: three fields stay under SQLite's 32,766 parameters


@dataclass
class ImportPlan:
    format: str
    date_format: str
    rows: list[RowPlan] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    personal_columns: list[str] = field(default_factory=list)
    wrong_date_format: bool = False
    # The file's own heading for each identity field, for problems found against the database.
    identity_labels: dict[str, str] = field(default_factory=dict)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, "Unknown")

    @property
    def errors(self) -> list[Problem]:
        return sorted(self.file_problems + [p for row in self.rows for p in row.errors])

    @property
    def error_groups(self) -> list[ProblemGroup]:
        return group_problems(self.errors)

    @property
    def ok(self) -> bool:
        return not self.file_problems and not any(row.errors for row in self.rows)

    @property
    def to_create(self) -> list[RowPlan]:
        return [row for row in self.rows if row.state == "new"]

    @property
    def already_imported(self) -> list[RowPlan]:
        return [row for row in self.rows if row.state == "existing"]


class DateReader:
    """Reads every date in one file the same way and remembers the ones that could be read both ways."""

    def __init__(self, date_format: str):
        self.date_format = date_format
        self.ambiguous: list[tuple[int, str, str, datetime.date]] = []
        self.clear_example = ""  # a date that could only be read the chosen way, e.g. 23/01/2025
        self.wrong_format = False  # some date only makes sense in another format
        self.today = timezone.localdate()
        self._noon: dict[datetime.date, datetime.datetime] = {}

    def read(self, text: str, line: int, column: str) -> datetime.date:
        try:
            day, ambiguous = parse_date(text, self.date_format)
        except WrongDateFormat:
            self.wrong_format = True
            raise
        if ambiguous:
            self.ambiguous.append((line, column, text, day))
        elif not self.clear_example and day.day > 12 and "/" in text:
            self.clear_example = text
        return day

    def received(self, text: str, line: int, column: str) -> datetime.datetime:
        day = self.read(text, line, column)
        if day > self.today:
            raise ValueError(f"“{text}” is in the future")
        if day not in self._noon:  # a file has few distinct dates; make_aware is slow enough to matter at 10,000
            self._noon[day] = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        return self._noon[day]

    def warning(self) -> Problem | None:
        if not self.ambiguous:
            return None
        line, column, text, day = self.ambiguous[0]
        count = len(self.ambiguous)
        other = "US" if self.date_format == "uk" else "UK"
        way = DATE_FORMATS[self.date_format][0]
        said = (
            f"{count} date{'s' if count > 1 else ''} in this file, such as “{text}”, could be read either way. "
            f"Relay read {'them' if count > 1 else 'it'} as {way} ({day.day} {day:%B %Y})"
        )
        if self.clear_example:
            return Problem(
                line, column, f"{said}, like “{self.clear_example}” elsewhere in the file, which can only be {way}."
            )
        return Problem(line, column, f"{said}; if the file uses {other} dates, choose the {other} date format.")


def plan_import(data: bytes, *, date_format: str = "uk", lot: str = "") -> ImportPlan:
    """Read and check a whole file. Never writes; safe to call again at confirmation time."""
    plan = parse_import(data, date_format=date_format, lot=lot)
    check_against_database(plan)
    return plan


def parse_import(data: bytes, *, date_format: str = "uk", lot: str = "") -> ImportPlan:
    """Everything `plan_import` checks that depends on the file alone: the costly part, done once an upload
    (`reuse.intake.stored` keeps the result). `check_against_database` then adds what Relay already has."""
    if date_format not in DATE_FORMATS:
        raise ValueError(f"date_format must be one of {', '.join(DATE_FORMATS)}")
    table = read_table(data)
    plan = ImportPlan(format="", date_format=date_format, file_problems=list(table.problems))
    if not table.header:
        return plan
    normal = {normalise_heading(h) for h in table.header}
    module: types.ModuleType
    if snipeit.looks_like(normal):
        plan.format, module = "snipeit", snipeit
    elif {"type", "make", "model"} <= normal:
        plan.format, module = "native", native
    else:
        plan.file_problems.append(
            Problem(
                table.header_line,
                "",
                (
                    "The heading row is neither Relay's intake template (it needs the columns Type, Make and Model) "
                    "nor a Snipe-IT asset export (it has an Asset Tag column). "
                    "Download the template from the Intake page."
                ),
            )
        )
        return plan
    layout = resolve_layout(table, module.heading_spec())
    plan.file_problems += layout.problems
    if plan.format == "native":
        plan.file_problems += native.unknown_column_problems(layout)
    else:
        plan.ignored_columns = layout.ignored
        plan.personal_columns = snipeit.ignored_note(layout)
        if "serial" not in layout.index:
            plan.warnings.append(
                Problem(
                    table.header_line,
                    "",
                    (
                        "This export has no Serial column. Devices are matched by their Snipe-IT asset tag "
                        "(kept as the council asset number); record each serial number when the device is in hand, "
                        "because wipe logs are matched by serial."
                    ),
                )
            )
    dates = DateReader(date_format)
    plan.rows = module.read_rows(table, layout, dates=dates)
    plan.wrong_date_format = dates.wrong_format
    if (warning := dates.warning()) is not None:
        plan.warnings.append(warning)
    for row in plan.rows:
        if lot and not row.fields.get("lot"):
            row.fields["lot"] = lot
    plan.identity_labels = {f: layout.label(SOURCE_KEYS[plan.format][f]) or IDENTITY_LABELS[f] for f in IDENTITY}
    _check_identity(plan, layout)
    return plan


def _label(plan: ImportPlan, layout: Layout | None, field_name: str) -> str:
    return plan.identity_labels.get(field_name) or IDENTITY_LABELS[field_name]


def _check_identity(plan: ImportPlan, layout: Layout):
    for row in plan.rows:
        if not any(row.get(f) for f in IDENTITY) and not row.errors:
            row.errors.append(
                Problem(
                    row.line,
                    _label(plan, layout, "serial"),
                    (
                        "the row has no serial number, IMEI or council asset number, so importing the file again "
                        "could not recognise the device; add one"
                    ),
                )
            )
    _check_within_file(plan, layout)


def _check_within_file(plan: ImportPlan, layout: Layout):
    for field_name in IDENTITY:
        first_line: dict[str, int] = {}
        for row in plan.rows:
            value = row.get(field_name)
            if not value:
                continue
            if value in first_line:
                row.errors.append(
                    Problem(
                        row.line,
                        _label(plan, layout, field_name),
                        f"{IDENTITY_LABELS[field_name]} {value} is also on line {first_line[value]}",
                    )
                )
            else:
                first_line[value] = row.line
    drive_lines: dict[str, int] = {}
    for row in plan.rows:
        for n, medium in enumerate(row.media, start=1):
            value = medium.get("serial")
            if not value:
                continue
            if value in drive_lines:
                row.errors.append(
                    Problem(
                        row.line,
                        layout.label(f"drive{n}_serial"),
                        f"drive serial {value} is also on line {drive_lines[value]}",
                    )
                )
            else:
                drive_lines[value] = row.line


def _existing(values: dict[str, list[str]]) -> list[dict]:
    """Devices having any of the values, in a few queries: one per CHUNK values of each field.

    Long IN lists make PostgreSQL scan the table once per query instead of probing the index per value,
    so fewer, larger queries win; CHUNK keeps SQLite under its limit on query parameters.
    """
    found, longest = {}, max(len(v) for v in values.values())
    for start in range(0, longest, CHUNK):
        condition = Q()
        for field_name, wanted in values.items():
            if wanted[start : start + CHUNK]:
                condition |= Q(**{f"{field_name}__any": wanted[start : start + CHUNK]})
        for device in Device.objects.filter(condition).values("pk", "asset_tag", "kind", "make", "model", *IDENTITY):
            found[device["pk"]] = device
    return list(found.values())


def _same(a: str, b: str) -> bool:
    return " ".join(str(a).lower().split()) == " ".join(str(b).lower().split())


def check_against_database(plan: ImportPlan) -> ImportPlan:
    """Mark the rows Relay already has (skipped on import) and those clashing with a device it has."""
    if plan.format:
        _check_database(plan, None)
    return plan


def _check_database(plan: ImportPlan, layout: Layout | None):
    values = {f: sorted({row.get(f) for row in plan.rows if row.get(f)}) for f in IDENTITY}
    values = {f: v for f, v in values.items() if v}
    if not values:
        return
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for device in _existing(values):
        for field_name in IDENTITY:
            if device[field_name]:
                index[(field_name, device[field_name])].append(device)
    if not index:
        return
    for row in plan.rows:
        matches: dict[int, tuple[dict, str]] = {}
        for field_name in IDENTITY:
            for device in index.get((field_name, row.get(field_name)), []):
                matches.setdefault(device["pk"], (device, field_name))
        if not matches:
            continue
        if len(matches) > 1:
            found = ", ".join(f"{d['asset_tag']} (by {IDENTITY_LABELS[f]})" for d, f in matches.values())
            row.errors.append(
                Problem(
                    row.line,
                    _label(plan, layout, next(iter(matches.values()))[1]),
                    f"matches more than one device already in Relay: {found}",
                )
            )
            continue
        device, by = next(iter(matches.values()))
        clashes = [
            f
            for f in ("kind", "make", "model", *IDENTITY)
            if row.get(f) and device[f] and not _same(row.get(f), device[f])
        ]
        if clashes:
            differences = "; ".join(f"{IDENTITY_LABELS[f]} “{device[f]}” there, “{row.get(f)}” here" for f in clashes)
            row.errors.append(
                Problem(
                    row.line,
                    _label(plan, layout, by),
                    (
                        f"{IDENTITY_LABELS[by]} {row.get(by)} already belongs to {device['asset_tag']} "
                        f"({device['make']} {device['model']}), which differs: {differences}"
                    ),
                )
            )
        else:
            row.existing = device["asset_tag"]
