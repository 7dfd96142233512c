"""An import plan kept between upload and confirmation, so a file is parsed once, not on every preview.

`dump_plan` turns the plan of the file alone (`parse_import`) into compressed JSON (JSON, not pickle: a
row in the database must never be able to run code when it is read back); `load_plan` reads it back for
the import, which checks it against the database again. `preview` is the small summary the preview page
shows: the counts, the problems, and the rows worth showing, so a view reads a few kilobytes instead of
re-reading a 20 MB file.
"""

import datetime
import json
import zlib

from reuse.intake.plan import ImportPlan
from reuse.intake.reader import Problem
from reuse.intake.rows import RowPlan

PREVIEW_ROWS = 500
PREVIEW_ERROR_GROUPS = 30
_DATETIME = "__datetime__"


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in an import plan")


def _decode(obj: dict):
    if _DATETIME in obj and len(obj) == 1:
        return datetime.datetime.fromisoformat(obj[_DATETIME])
    return obj


def _problems(problems: list[Problem]) -> list[list]:
    return [[p.line, p.column, p.message] for p in problems]


def dump_plan(plan: ImportPlan) -> bytes:
    data = {
        "format": plan.format,
        "date_format": plan.date_format,
        "file_problems": _problems(plan.file_problems),
        "warnings": _problems(plan.warnings),
        "ignored_columns": plan.ignored_columns,
        "personal_columns": plan.personal_columns,
        "wrong_date_format": plan.wrong_date_format,
        "identity_labels": plan.identity_labels,
        "rows": [[r.line, r.fields, r.media, _problems(r.errors), r.warnings, r.existing] for r in plan.rows],
    }
    return zlib.compress(json.dumps(data, default=_encode, separators=(",", ":")).encode(), level=6)


def load_plan(stored: bytes) -> ImportPlan:
    data = json.loads(zlib.decompress(bytes(stored)), object_hook=_decode)
    return ImportPlan(
        format=data["format"],
        date_format=data["date_format"],
        file_problems=[Problem(*p) for p in data["file_problems"]],
        warnings=[Problem(*p) for p in data["warnings"]],
        ignored_columns=data["ignored_columns"],
        personal_columns=data["personal_columns"],
        wrong_date_format=data["wrong_date_format"],
        identity_labels=data["identity_labels"],
        rows=[
            RowPlan(line=line, fields=fields, media=media, errors=[Problem(*e) for e in errors], warnings=warnings)
            for line, fields, media, errors, warnings, _existing in data["rows"]
        ],
    )


def _row(row: RowPlan) -> dict:
    return {
        "line": row.line,
        "state": row.state,
        "existing": row.existing,
        "make": row.get("make"),
        "model": row.get("model"),
        "kind_label": row.kind_label,
        "serial_or_imei": row.serial_or_imei,
        "council_asset_number": row.get("council_asset_number"),
        "drives": len(row.media),
        "errors": [{"column": e.column, "message": e.message} for e in row.errors],
        "warnings": row.warnings,
    }


def preview(plan: ImportPlan) -> dict:
    """What the preview page shows of a checked plan: the first rows, then only rows with problems."""
    rows = plan.rows[:PREVIEW_ROWS] + [r for r in plan.rows[PREVIEW_ROWS:] if r.errors][:PREVIEW_ROWS]
    errors = plan.errors
    groups = plan.error_groups
    return {
        "format_label": plan.format_label,
        "row_count": len(plan.rows),
        "to_create": len(plan.to_create),
        "already_imported": len(plan.already_imported),
        "personal_columns": plan.personal_columns,
        "warnings": [str(w) for w in plan.warnings],
        "wrong_date_format": plan.wrong_date_format,
        "ok": plan.ok,
        "error_count": len(errors),
        "error_groups": [{"line": g.first.line, "text": str(g)} for g in groups[:PREVIEW_ERROR_GROUPS]],
        "more_error_groups": max(0, len(groups) - PREVIEW_ERROR_GROUPS),
        "rows": [_row(r) for r in rows],
        "row_lines": [r.line for r in rows],
        "more_rows": len(plan.rows) - len(rows),
    }
