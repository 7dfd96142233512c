"""The open datasets: what each one holds, its columns (types, units, descriptions) and its rows, in
CSV, JSON and a Frictionless Tabular Data Package (`datapackage.json`).

Rows come from `insights.selectors` over `Scope()`, the same functions the dashboard calls, so a
download and the dashboard agree by construction. Aggregate, non-personal figures only: any figure
that counts residents or requests by area is suppressed below SUPPRESS_BELOW, shown as "<5", with the
secondary suppression of `insights.suppression` so that no "<5" can be worked out from a published total.
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
from insights.models import Outcome
from insights.selectors import Scope
from insights.suppression import SUPPRESS_BELOW, SUPPRESSED, WITHHELD, protect, published_total
from matching.models import OrganisationKind

# How the open data hides small counts, in words: the open-data page and datapackage.json both say it.
SUPPRESSION_METHOD = (
    f'Counts of requests or of people reached, by area, below {SUPPRESS_BELOW} are shown as "{SUPPRESSED}". '
    "So that such a count cannot be worked out by subtracting the other figures from a total on the "
    f'open-data page, further counts of the same group are withheld, smallest first, shown as "{WITHHELD}" '
    f"(each of those is {SUPPRESS_BELOW} or more), until no hidden count can be worked out; where even that "
    "is not enough, the total is withheld as well. The groups are: requests fulfilled, requests waiting, "
    "the other requests (declined, withdrawn or closed), and people reached."
)
# The totals the open-data page publishes for requests, and the outcomes each one adds up.
REQUEST_GROUPS = {
    "fulfilled": (Outcome.FULFILLED,),
    "waiting": (Outcome.WAITING,),
    "other": (Outcome.DECLINED, Outcome.WITHDRAWN, Outcome.CLOSED),
}
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
    # Turns the rows into their published form (small counts and the cells hidden with them as markers).
    suppress: Callable[[list[dict]], list[dict]] | None = None

    @property
    def has_suppression(self) -> bool:
        return any(column.suppressed for column in self.columns)

    def records(self) -> list[dict]:
        """The rows as published: months as YYYY-MM, decimals as text with their places, small counts "<5"."""
        rows = self.rows()
        if self.suppress is not None:
            rows = self.suppress(rows)
        return [{column.name: _published(column, row[column.name]) for column in self.columns} for row in rows]

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
            schema["missingValues"] += [SUPPRESSED, WITHHELD]
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
            **({"suppression": SUPPRESSION_METHOD} if self.has_suppression else {}),
            "schema": self.schema(),
        }

    def document(self, updated: datetime.datetime | None) -> dict:
        """The JSON download: the resource's description, then its rows."""
        return {**self.resource(updated), "path": f"{self.name}.json", "format": "json", "data": self.records()}


def _published(column: Column, value):
    if isinstance(value, str) and value in (SUPPRESSED, WITHHELD):
        return value
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


def _requests_by_area() -> list[dict]:
    return selectors.requests_by_area(Scope())


def _protected(rows: list[dict], column: str, groups: dict[str, list[int]]) -> tuple[list[dict], dict[str, int | str]]:
    """`rows` with `column` hidden as `insights.suppression` decides within each group of row indexes, and
    each group's total as it may be published."""
    out = [dict(row) for row in rows]
    totals: dict[str, int | str] = {}
    for name, indexes in groups.items():
        values = [rows[i][column] for i in indexes]
        protection = protect(values)
        for position, index in enumerate(indexes):
            marker = protection.marker(position)
            if marker:
                out[index][column] = marker
        totals[name] = published_total(sum(values), protection)
    return out, totals


def _request_groups(rows: list[dict]) -> dict[str, list[int]]:
    return {
        name: [i for i, row in enumerate(rows) if row["outcome"] in outcomes]
        for name, outcomes in REQUEST_GROUPS.items()
    }


def requests_published(rows: list[dict]) -> tuple[list[dict], dict[str, int | str]]:
    """Requests by organisation type, area and outcome as published, and the totals the open-data page
    may show beside them: received (all), fulfilled, waiting, and the rest. Pure: no database."""
    published, totals = _protected(rows, "requests", _request_groups(rows))
    whole = sum(row["requests"] for row in rows)
    if any(isinstance(total, str) for total in totals.values()):  # the whole would give a withheld total away
        totals["received"] = SUPPRESSED if whole < SUPPRESS_BELOW else WITHHELD
    else:
        totals["received"] = whole
    return published, totals


def people_published(rows: list[dict]) -> tuple[list[dict], int | str]:
    """People reached by area as published, and the total the open-data page may show."""
    published, totals = _protected(rows, "people_reached", {"people": list(range(len(rows)))})
    return published, totals["people"]


def _suppress_requests(rows: list[dict]) -> list[dict]:
    return requests_published(rows)[0]


def _suppress_people(rows: list[dict]) -> list[dict]:
    return people_published(rows)[0]


def _people_by_area() -> list[dict]:
    return selectors.people_by_area(Scope())


def headline_requests() -> dict[str, int | str]:
    """The request figures of the open-data page: requests received, fulfilled and waiting, and people
    reached; each a number, or a marker where publishing it would give a hidden count away."""
    _rows, totals = requests_published(_requests_by_area())
    _rows, people = people_published(_people_by_area())
    return {**totals, "people_reached": people}


AREA = Column(
    "area",
    "string",
    "Area",
    "The area the request serves: a postcode district (e.g. AN1), or a ward named by at least 5 requests; "
    "'other' for any other area.",
)


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
        Dataset(
            "requests-by-area",
            "Community requests by organisation type, area and outcome",
            "Requests for devices from community organisations since the service began, by the type of "
            "organisation, the area it serves and what became of the request (its outcome now). " + SUPPRESSION_METHOD,
            (
                Column(
                    "organisation_type",
                    "string",
                    "Organisation type",
                    ", ".join(OrganisationKind.values) + ".",
                    values=tuple(OrganisationKind.values),
                ),
                AREA,
                Column(
                    "outcome",
                    "string",
                    "Outcome",
                    "waiting (being checked, or approved and waiting for devices), fulfilled, declined, withdrawn "
                    "or closed.",
                    values=tuple(Outcome.values),
                ),
                Column("requests", "integer", "Requests", "How many requests.", "requests", suppressed=True),
            ),
            _requests_by_area,
            _suppress_requests,
        ),
        Dataset(
            "people-reached-by-area",
            "People reached by area",
            "How many people the devices handed over to community organisations reached, as the organisations "
            "told us when we followed up (each handover's latest answer, once), by the area of the request. "
            + SUPPRESSION_METHOD,
            (
                AREA,
                Column(
                    "people_reached",
                    "integer",
                    "People reached",
                    "People the organisation said the devices reached.",
                    "people",
                    suppressed=True,
                ),
            ),
            _people_by_area,
            _suppress_people,
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
            "lent, gifted, recycled; their environmental impact; and community groups' requests for them and "
            "the people they reached. " + SUPPRESSION_METHOD
        ),
        "homepage": f"{settings.SITE_URL}/open-data/",
        "licenses": [LICENCE],
        "contributors": [{"title": settings.COUNCIL_NAME, "role": "publisher", "email": settings.COUNCIL_EMAIL}],
        "created": _iso(updated),
        "last_updated": _iso(updated),
        "resources": [dataset.resource(updated) for dataset in DATASETS.values()],
    }
