"""The coordinator dashboard, the public open-data page with its downloads, and the impact method page."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import rate_limit
from core.roles import COORDINATOR, role_required
from core.tasks import on_commit_task
from insights import selectors
from insights.charts import bar_chart, row_chart, row_svg, svg
from insights.datasets import (
    DATASETS,
    LICENCE,
    SUPPRESS_BELOW,
    SUPPRESSED,
    SUPPRESSION_METHOD,
    WITHHELD,
    datapackage,
    headline_requests,
)
from insights.filters import DashboardFilter
from insights.impact import (
    DISPLACEMENT,
    FACTORS,
    SOURCE_CODE_URL,
    SOURCE_NAME,
    SOURCE_TITLE,
    SOURCE_URL,
    UNCOUNTED_KINDS,
)
from insights.models import Tally
from insights.selectors import FLOW, REQUEST_FLOW, Scope
from insights.services import month_of

PUBLIC_RATE = "120/m"  # per address: downloads are cheap (the rollup), but not free


def _label(month: datetime.date) -> str:
    return f"{month:%b %y}"


def default_start() -> datetime.date:
    """The dashboard opens on the last twelve months."""
    month = month_of(timezone.now())
    for _ in range(11):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _days(median) -> str:
    return f"{median:.1f}".removesuffix(".0")


def _svg(element_id: str, chart) -> str:
    return mark_safe(svg(chart, element_id))  # noqa: S308 - every text in it is escaped by svg()


def dashboard_context(scope: Scope) -> dict:
    flow = selectors.monthly_flow(scope)
    delay = selectors.reuse_delay(scope)
    impact = selectors.monthly_impact(scope)
    branches = selectors.loans_per_branch(scope)
    flow_charts = []
    for name, _status in FLOW:
        points = [(_label(m.month), m.counts[name]) for m in flow]
        rows = [(label, f"{n:,}") for label, n in points]  # formatted here: a filter per cell costs more
        flow_charts.append((name, _svg(f"chart-{name}", bar_chart(f"Devices {name} per month", points)), rows))
    totals = selectors.flow_totals(flow)
    return {
        **request_context(scope),
        "flow": flow,
        "totals": totals,
        "headline": [
            ("Received", totals["received"]),
            ("Sanitised", totals["sanitised"]),
            ("Reused (lent or gifted)", totals["reused"]),
            ("Recycled", totals["recycled"]),
            ("Destroyed", totals["destroyed"]),
        ],
        "flow_charts": flow_charts,
        "delay": delay,
        "delay_rows": [
            (_label(month), "–" if median is None else _days(median), f"{n:,}") for month, median, n in delay.by_month
        ],
        "delay_chart": _svg(
            "chart-delay",
            bar_chart(
                "Median days from intake to reuse, per month", [(_label(m), median) for m, median, _n in delay.by_month]
            ),
        ),
        "branches": branches,
        "branch_chart": mark_safe(row_svg(row_chart("Loans per branch", branches), "chart-branches")),  # noqa: S308 - escaped
        "impact_rows": [
            (_label(m.month), f"{m.impact.devices:,}", f"{m.impact.ewaste_kg:,.2f}", f"{m.impact.co2e_kg:,.2f}")
            for m in impact
        ],
        "impact_total": selectors.impact_total(impact),
        "ewaste_chart": _svg(
            "chart-ewaste",
            bar_chart(
                "E-waste kept out of the waste stream (kg)", [(_label(m.month), m.impact.ewaste_kg) for m in impact]
            ),
        ),
        "co2_chart": _svg(
            "chart-co2", bar_chart("Emissions avoided (kgCO2e)", [(_label(m.month), m.impact.co2e_kg) for m in impact])
        ),
        "updated": selectors.last_updated(),
        "refresh_minutes": settings.OPEN_DATA_REFRESH_MINUTES,
    }


REQUEST_CHARTS = {
    "received": ("Requests received", "Requests"),
    "fulfilled": ("Requests fulfilled", "Requests"),
    "waiting": ("Requests waiting at the end of the month", "Requests"),
    "people_reached": ("People reached by the month's handovers", "People"),
}


def request_context(scope: Scope) -> dict:
    """The community requests' charts: each with its numbers in a table beside it."""
    flow = selectors.request_flow(scope)
    charts = []
    for name, _measure in REQUEST_FLOW:
        title, unit = REQUEST_CHARTS[name]
        points = [(_label(m.month), m.counts[name]) for m in flow]
        rows = [(label, f"{n:,}") for label, n in points]
        charts.append((name, title, unit, _svg(f"chart-requests-{name}", bar_chart(title, points)), rows))
    totals = selectors.request_totals(flow)
    return {
        "request_charts": charts,
        "request_headline": [
            ("Requests received", totals["received"]),
            ("Requests fulfilled", totals["fulfilled"]),
            ("Waiting at the end", totals["waiting"]),
            ("People reached", totals["people_reached"]),
        ],
    }


@role_required(COORDINATOR)
@require_GET
def dashboard(request):
    data = request.GET if request.GET else {"start": default_start().strftime("%d/%m/%Y")}
    figures = DashboardFilter(data, queryset=Tally.objects.all())
    start, end = figures.months()
    scope = Scope(figures.qs, start=start or (None if figures.form.errors else default_start()), end=end)
    context = {"filter": figures, "form": figures.form, **dashboard_context(scope)}
    return render(request, "insights/dashboard.html", context)


@role_required(COORDINATOR)
@require_POST
def dashboard_refresh(request):
    on_commit_task("insights.tasks.refresh_figures")
    messages.success(request, "The figures are being recounted. They are up to date when the time above changes.")
    return redirect("insights:dashboard")


@require_GET
@rate_limit("open-data", PUBLIC_RATE)
def open_data(request):
    updated = selectors.last_updated()
    flow = selectors.monthly_flow(Scope())
    impact = selectors.impact_total(selectors.monthly_impact(Scope()))
    context = {
        "datasets": DATASETS.values(),
        "totals": selectors.flow_totals(flow),
        "impact": impact,
        "requests": headline_requests(),
        "suppression_method": SUPPRESSION_METHOD,
        "withheld": WITHHELD,
        "updated": updated,
        "licence": LICENCE,
        "suppress_below": SUPPRESS_BELOW,
        "suppressed": SUPPRESSED,
    }
    return render(request, "insights/open_data.html", context)


def _dataset(name: str):
    try:
        return DATASETS[name]
    except KeyError:
        raise Http404("No such dataset") from None


def _published(response, updated):
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may fetch it
    if updated:
        response["Last-Modified"] = http_date(updated.timestamp())
    return response


@require_GET
@rate_limit("open-data", PUBLIC_RATE)
def dataset_csv(request, name: str):
    dataset = _dataset(name)
    response = HttpResponse(dataset.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.csv"'
    return _published(response, selectors.last_updated())


@require_GET
@rate_limit("open-data", PUBLIC_RATE)
def dataset_json(request, name: str):
    updated = selectors.last_updated()
    return _published(JsonResponse(_dataset(name).document(updated), json_dumps_params={"indent": 1}), updated)


@require_GET
@rate_limit("open-data", PUBLIC_RATE)
def datapackage_json(request):
    updated = selectors.last_updated()
    body = json.dumps(datapackage(updated), indent=1)
    return _published(HttpResponse(body, content_type="application/json"), updated)


@require_GET
def method(request):
    context = {
        "factors": FACTORS.values(),
        "uncounted": UNCOUNTED_KINDS,
        "displacement": DISPLACEMENT,
        "source_name": SOURCE_NAME,
        "source_title": SOURCE_TITLE,
        "source_url": SOURCE_URL,
        "source_code_url": SOURCE_CODE_URL,
    }
    return render(request, "insights/method.html", context)
