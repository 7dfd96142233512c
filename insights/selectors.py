"""Every figure Relay publishes, read from the rollup (`Tally`). The dashboard, the open-data files and
the API's open-data endpoints all call these, so one figure is one sum wherever it appears.

A `Scope` narrows the rollup to a range of months and one site (the dashboard's filter); the open data
reads `Scope()`, everything.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from insights.impact import NONE, Impact, impact_of
from insights.models import Measure, Publication, Tally
from insights.services import council_zone, month_of
from reuse.models import DeviceStatus

S = DeviceStatus
# The dashboard's monthly flow, in the order it shows them: the name on the page and the status entered.
FLOW = (
    ("received", S.RECEIVED),
    ("sanitised", S.SANITISED),
    ("lent", S.ON_LOAN),
    ("gifted", S.GIFTED),
    ("recycled", S.RECYCLED),
    ("destroyed", S.DESTROYED),
)
# Where devices go: each route and the status that marks it.
ROUTES = (("lent", S.ON_LOAN), ("gifted", S.GIFTED), ("recycled", S.RECYCLED), ("destroyed", S.DESTROYED))


@dataclass(frozen=True, eq=False)
class Scope:
    """The figures to read: `tallies` already narrowed by the dashboard's filter (`DashboardFilter.qs`;
    None for every figure), and the months it runs from and to (either open), so empty months show too."""

    tallies: QuerySet | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def of(self, measure: str) -> QuerySet:
        base = Tally.objects.all() if self.tallies is None else self.tallies
        return base.filter(measure=measure)


def tallies(measure: str, scope: Scope, *by: str, **filters) -> QuerySet:
    """Sums of `measure` within `scope`, grouped by the fields `by`, in that order."""
    return scope.of(measure).filter(**filters).values(*by).annotate(n=Sum("value")).order_by(*by)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _months(scope: Scope, seen: Iterable[datetime.date]) -> list[datetime.date]:
    """Every month of the scope, the empty ones too: from its start (or the first month with figures) to
    its end (or this month)."""
    seen = sorted(seen)
    if not seen and not (scope.start and scope.end):
        return []
    this_month = month_of(timezone.now())
    first = month_of(scope.start) if scope.start else seen[0]
    last = month_of(scope.end) if scope.end else max([this_month, *seen[-1:]])
    return months_between(first, last)


@dataclass(frozen=True)
class MonthFlow:
    month: datetime.date
    counts: dict[str, int]

    @property
    def reused(self) -> int:
        return self.counts["lent"] + self.counts["gifted"]


def status_entries(scope: Scope, *by: str) -> list[dict]:
    """Devices entering each status (`category`), grouped by `by` (e.g. "month", "kind", "category")."""
    return [dict(row) for row in tallies(Measure.STATUS, scope, *by)]


def monthly_flow(scope: Scope) -> list[MonthFlow]:
    """Per month: devices received, sanitised, lent, gifted, recycled and destroyed."""
    name_of = {status: name for name, status in FLOW}
    counts: dict[datetime.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(name_of.values(), 0))
    for row in tallies(Measure.STATUS, scope, "month", "category", category__in=list(name_of)):
        counts[row["month"]][name_of[row["category"]]] = row["n"]
    return [MonthFlow(month, dict(counts[month])) for month in _months(scope, counts)]


def flow_totals(flow: list[MonthFlow]) -> dict[str, int]:
    totals = {name: sum(month.counts[name] for month in flow) for name, _status in FLOW}
    return {**totals, "reused": totals["lent"] + totals["gifted"]}


def routes(scope: Scope) -> list[dict]:
    """Devices leaving by each route per month: lent (each loan), gifted, recycled, destroyed."""
    route_of = {status: name for name, status in ROUTES}
    rows = tallies(Measure.STATUS, scope, "month", "category", category__in=list(route_of))
    return [{"month": row["month"], "route": route_of[row["category"]], "devices": row["n"]} for row in rows]


def loans_per_branch(scope: Scope) -> list[tuple[str, int]]:
    """Loans issued at each branch, busiest first."""
    rows = tallies(Measure.STATUS, scope, "site__name", category=S.ON_LOAN)
    return sorted(((row["site__name"] or "Unknown", row["n"]) for row in rows), key=lambda pair: (-pair[1], pair[0]))


def median_of(histogram: dict[int, int]) -> Decimal | None:
    """The median of a histogram {value: how many}; the mean of the two middle values when the count is even."""
    total = sum(histogram.values())
    if total == 0:
        return None
    wanted, seen, middle = ((total - 1) // 2, total // 2), 0, []
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                middle.append(value)
        seen += count
    return Decimal(sum(middle)) / len(middle)


@dataclass(frozen=True)
class ReuseDelay:
    median_days: Decimal | None
    devices: int
    by_month: list[tuple[datetime.date, Decimal | None, int]] = field(default_factory=list)


def reuse_delay(scope: Scope) -> ReuseDelay:
    """Median whole days from a device's received date to its first loan or gift: overall and per month."""
    overall: dict[int, int] = defaultdict(int)
    monthly: dict[datetime.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in tallies(Measure.REUSE_DAYS, scope, "month", "bucket"):
        overall[row["bucket"]] += row["n"]
        monthly[row["month"]][row["bucket"]] += row["n"]
    by_month = [
        (month, median_of(monthly.get(month, {})), sum(monthly.get(month, {}).values()))
        for month in _months(scope, monthly)
    ]
    return ReuseDelay(median_of(overall), sum(overall.values()), by_month)


@dataclass(frozen=True)
class MonthImpact:
    month: datetime.date
    impact: Impact


def impact_rows(scope: Scope) -> list[dict]:
    """Per month and device type with a factor: devices reused for the first time, kg kept out of the
    waste stream, kgCO2e avoided."""
    rows = []
    for row in tallies(Measure.FIRST_REUSE, scope, "month", "kind"):
        impact = impact_of(row["kind"], row["n"])
        if impact is not None:
            rows.append({"month": row["month"], "kind": row["kind"], "impact": impact})
    return rows


def monthly_impact(scope: Scope) -> list[MonthImpact]:
    by_month: dict[datetime.date, Impact] = defaultdict(lambda: NONE)
    for row in impact_rows(scope):
        by_month[row["month"]] += row["impact"]
    return [MonthImpact(month, by_month[month]) for month in _months(scope, by_month)]


def impact_total(months: list[MonthImpact]) -> Impact:
    return sum((month.impact for month in months), NONE)


# The dashboard's request figures, in the order it shows them: the name on the page and the measure.
REQUEST_FLOW = (
    ("received", Measure.REQUESTS),
    ("fulfilled", Measure.REQUESTS_FULFILLED),
    ("waiting", Measure.REQUESTS_WAITING),
    ("people_reached", Measure.PEOPLE_REACHED),
)


@dataclass(frozen=True)
class RequestMonth:
    month: datetime.date
    counts: dict[str, int]


def request_flow(scope: Scope) -> list[RequestMonth]:
    """Per month: requests received, fulfilled, waiting at the month's end (this month: now), and the
    people the month's handovers reached. One query over the rollup."""
    name_of = {measure: name for name, measure in REQUEST_FLOW}
    base = Tally.objects.all() if scope.tallies is None else scope.tallies
    rows = base.filter(measure__in=list(name_of)).values("month", "measure").annotate(n=Sum("value")).order_by()
    counts: dict[datetime.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(name_of.values(), 0))
    for row in rows:
        counts[row["month"]][name_of[row["measure"]]] = row["n"]
    return [RequestMonth(month, dict(counts[month])) for month in _months(scope, counts)]


def request_totals(flow: list[RequestMonth]) -> dict[str, int]:
    """Received, fulfilled and people reached over the months; waiting as at the last of them."""
    totals = {name: sum(month.counts[name] for month in flow) for name, _measure in REQUEST_FLOW}
    totals["waiting"] = flow[-1].counts["waiting"] if flow else 0
    return totals


def requests_by_area(scope: Scope) -> list[dict]:
    """Requests received by organisation type, published area and outcome now."""
    rows = tallies(Measure.REQUESTS, scope, "organisation_type", "area", "category")
    return [
        {"organisation_type": r["organisation_type"], "area": r["area"], "outcome": r["category"], "requests": r["n"]}
        for r in rows
    ]


def people_by_area(scope: Scope) -> list[dict]:
    """People reached by the handovers, by the published area of their requests (areas with none left out)."""
    rows = tallies(Measure.PEOPLE_REACHED, scope, "area")
    return [{"area": r["area"], "people_reached": r["n"]} for r in rows if r["n"]]


def last_updated() -> datetime.datetime | None:
    """When the figures were last recounted (None: never)."""
    return Publication.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


__all__ = [
    "FLOW",
    "REQUEST_FLOW",
    "ROUTES",
    "Scope",
    "council_zone",
    "flow_totals",
    "impact_rows",
    "impact_total",
    "last_updated",
    "loans_per_branch",
    "median_of",
    "monthly_flow",
    "monthly_impact",
    "people_by_area",
    "request_flow",
    "request_totals",
    "requests_by_area",
    "reuse_delay",
    "routes",
    "status_entries",
]
