"""The open datasets: what each one holds, its columns (types, units, descriptions) and its rows, in
CSV, JSON and a Frictionless Tabular Data Package (`datapackage.json`).

Rows come from `insights.selectors` over `Scope()`, the same functions the dashboard calls, so a
download and the dashboard agree by construction. Aggregate, non-personal figures only: any figure
that counts residents or requests by area is suppressed below SUPPRESS_BELOW, shown as "<5".
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from insights import selectors
from insights.impact import FACTORS, SOURCE_NAME
from insights.selectors import Scope

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, yearmonth
    title: str
    description: str
    unit: str = ""
    values: tuple[str, ...] = ()  # the values a string column takes, when they are a fixed list
    suppressed: bool = False  # counts of residents or requests by area: below SUPPRESS_BELOW shown as "<5"

    def schema(self) -> dict:
        field: dict = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "yearmonth":
            field["format"] = "default"
        if self.unit:
            field["unit"] = self.unit
        if self.values:
            field["constraints"] = {"enum": list(self.values)}
        if self.type in ("integer", "number") and not self.suppressed:
            field.setdefault("constraints", {})["minimum"] = 0
        return field


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], list[dict]]

    @property
    def has_suppression(self) -> bool:
        return any(column.suppressed for column in self.columns)

    def records(self) -> list[dict]:
        """The rows as published: months as YYYY-MM, decimals as text with their places, small counts "<5"."""
        return [{column.name: _published(column, row[column.name]) for column in self.columns} for row in self.rows()]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([column.name for column in self.columns])
        for record in self.records():
            writer.writerow([record[column.name] for column in self.columns])
        return buffer.getvalue()

    def schema(self) -> dict:
        schema: dict = {"fields": [column.schema() for column in self.columns], "missingValues": [""]}
        if self.has_suppression:
            schema["missingValues"].append(SUPPRESSED)
        return schema

    def resource(self, updated: datetime.datetime | None) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": f"{self.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "licenses": [LICENCE],
            "last_updated": _iso(updated),
            "schema": self.schema(),
        }

    def document(self, updated: datetime.datetime | None) -> dict:
        """The JSON download: the resource's description, then its rows."""
        return {**self.resource(updated), "path": f"{self.name}.json", "format": "json", "data": self.records()}


def _published(column: Column, value):
    if column.type == "yearmonth":
        return f"{value:%Y-%m}"
    if column.suppressed and value < SUPPRESS_BELOW:
        return SUPPRESSED
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


MONTH = Column("month", "yearmonth", "Month", "The calendar month (council time), as YYYY-MM.")
DEVICE_TYPE = Column(
    "device_type",
    "string",
    "Device type",
    "laptop, desktop, tablet, phone, hotspot or other.",
    values=("laptop", "desktop", "tablet", "phone", "hotspot", "other"),
)


def _devices_by_month() -> list[dict]:
    rows = selectors.status_entries(Scope(), "month", "kind", "category")
    return [{"month": r["month"], "device_type": r["kind"], "status": r["category"], "devices": r["n"]} for r in rows]


def _reuse_by_route() -> list[dict]:
    return selectors.routes(Scope())


def _impact_by_month() -> list[dict]:
    return [
        {
            "month": row["month"],
            "device_type": row["kind"],
            "devices_reused": row["impact"].devices,
            "ewaste_kg": row["impact"].ewaste_kg,
            "co2e_avoided_kg": row["impact"].co2e_kg,
        }
        for row in selectors.impact_rows(Scope())
    ]


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "devices-by-month",
            "Devices by type, status and month",
            "How many devices entered each status each month. 'received' counts devices new to the service; "
            "a device coming back (from a loan, or with a fault) is counted again only in the statuses it "
            "then enters, so a device lent twice counts twice under 'on_loan'.",
            (
                MONTH,
                DEVICE_TYPE,
                Column(
                    "status",
                    "string",
                    "Status entered",
                    "The status the devices entered: received, sanitised, ready, repair, reserved, on_loan, "
                    "quarantined, lost, gifted, recycled or destroyed.",
                    values=(
                        "received",
                        "sanitised",
                        "repair",
                        "ready",
                        "reserved",
                        "on_loan",
                        "quarantined",
                        "lost",
                        "gifted",
                        "recycled",
                        "destroyed",
                    ),
                ),
                Column("devices", "integer", "Devices", "How many times a device entered this status.", "devices"),
            ),
            _devices_by_month,
        ),
        Dataset(
            "reuse-by-route",
            "Reuse by route",
            "Where devices went each month: lent to residents at a library (each loan counts), gifted to a "
            "community group, or, when they could not be reused, recycled or destroyed.",
            (
                MONTH,
                Column(
                    "route",
                    "string",
                    "Route",
                    "lent, gifted, recycled or destroyed.",
                    values=("lent", "gifted", "recycled", "destroyed"),
                ),
                Column("devices", "integer", "Devices", "How many devices went this way that month.", "devices"),
            ),
            _reuse_by_route,
        ),
        Dataset(
            "impact-by-month",
            "Environmental impact by month",
            f"Devices reused for the first time each month (lent or gifted), with the e-waste kept out of the "
            f"waste stream and the emissions avoided, from {SOURCE_NAME}'s per-category weights and "
            "footprints with its 0.5 displacement factor. Device types without a factor are not counted. "
            "Method: /open-data/method/.",
            (
                MONTH,
                Column(
                    "device_type",
                    "string",
                    "Device type",
                    "laptop, desktop, tablet or phone (the types with a factor).",
                    values=tuple(FACTORS),
                ),
                Column(
                    "devices_reused",
                    "integer",
                    "Devices reused",
                    "Devices lent or gifted for the first time.",
                    "devices",
                ),
                Column("ewaste_kg", "number", "E-waste kept out", "Devices reused times the category weight.", "kg"),
                Column(
                    "co2e_avoided_kg",
                    "number",
                    "Emissions avoided",
                    "Devices reused times the category footprint times 0.5.",
                    "kgCO2e",
                ),
            ),
            _impact_by_month,
        ),
    )
}


def datapackage(updated: datetime.datetime | None) -> dict:
    """The Frictionless Tabular Data Package describing every dataset, with the licence and last update."""
    return {
        "profile": "tabular-data-package",
        "name": "relay-open-data",
        "title": f"{settings.SERVICE_NAME}: device reuse figures from {settings.COUNCIL_NAME}",
        "description": (
            "Aggregate, non-personal figures about council devices given a second life: received, wiped, "
            "lent, gifted, recycled; and their environmental impact. Counts of residents or requests by "
            f'area below {SUPPRESS_BELOW} are shown as "{SUPPRESSED}".'
        ),
        "homepage": f"{settings.SITE_URL}/open-data/",
        "licenses": [LICENCE],
        "contributors": [{"title": settings.COUNCIL_NAME, "role": "publisher", "email": settings.COUNCIL_EMAIL}],
        "created": _iso(updated),
        "last_updated": _iso(updated),
        "resources": [dataset.resource(updated) for dataset in DATASETS.values()],
    }
