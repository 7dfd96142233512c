"""Builders for intake tests: native-template CSV files written the ways spreadsheets write them."""

import csv
import io
from pathlib import Path

from reuse.intake.native import COLUMNS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "snipeit"
HEADINGS = {c.key: c.heading for c in COLUMNS}


def laptop(n: int, **fields) -> dict:
    row = {
        "kind": "laptop",
        "make": "Dell",
        "model": "Latitude 5490",
        "serial": f"SN{n:05d}",
        "council_asset_number": f"IT-{n:05d}",
        "ram_gb": "8",
        "storage_gb": "256",
        "storage_type": "ssd",
        "drive1_kind": "ssd",
        "drive1_serial": f"DRV{n:05d}",
        "drive1_capacity_gb": "256",
    }
    row.update(fields)
    return row


def native_csv(rows: list[dict], *, keys=None, newline: str = "\r\n", bom: bool = False) -> bytes:
    """A CSV in Relay's template layout with the columns named by `keys` (default: those the rows use)."""
    keys = keys or list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow([HEADINGS[k] for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    data = out.getvalue().encode()
    return (b"\xef\xbb\xbf" if bom else b"") + data


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def problems(plan) -> set[tuple[int, str]]:
    return {(p.line, p.column) for p in plan.errors}
