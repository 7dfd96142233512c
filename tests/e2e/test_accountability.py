"""Issue 10 walked in the browser: a councillor on /open-data/ without signing in downloads the CSV and
JSON and finds the dashboard's figures; the coordinator's dashboard with its charts (and on a phone);
the API docs page running under a strict Content-Security-Policy with no inline script."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from insights.services import figures_refresh
from reuse.models import DeviceStatus
from tests.e2e.browser import ARTIFACTS, assert_accessible, sign_in
from tests.factories import device_with_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
S = DeviceStatus
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@pytest.fixture
def published(depot, branch, alice, carl):
    now = timezone.now()
    paths = [
        ("laptop", 70, (S.SANITISED, S.READY, S.ON_LOAN)),
        ("laptop", 65, (S.SANITISED, S.READY, S.ON_LOAN, S.RECEIVED)),
        ("tablet", 40, (S.SANITISED, S.READY, S.RESERVED, S.GIFTED)),
        ("phone", 35, (S.SANITISED, S.READY, S.ON_LOAN)),
        ("desktop", 20, (S.RECYCLED,)),
        ("laptop", 5, ()),
    ]
    for kind, days_ago, path in paths:
        device_with_history(
            kind=kind,
            received_at=now - datetime.timedelta(days=days_ago),
            path=path,
            actor=alice,
            site=depot,
            gap_days=3,
            where={S.ON_LOAN: branch},
        )
    return figures_refresh()


def dashboard_table(page, caption: str) -> dict[str, str]:
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    rows = table.locator("tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
        for i in range(rows.count())
    }


def test_a_councillor_finds_the_dashboards_figures_in_the_open_data(page, browser, live_server, published):
    page.goto("/open-data/")
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(page.get_by_text("Open Government Licence v3.0")).to_be_visible()
    expect(page.get_by_role("link", name="audit heads")).to_have_attribute("href", "/open-data/audit/")
    received = page.locator("#figure-received").inner_text()
    reused = page.locator("#figure-reused").inner_text()
    assert_accessible(page, "open-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Devices by type, status and month (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    page.get_by_role("link", name="Reuse by route (JSON)").click()
    routes = json.loads(page.locator("body").inner_text())["data"]
    assert sum(int(r["devices"]) for r in rows if r["status"] == "received") == int(received) == 6
    assert sum(r["devices"] for r in routes if r["route"] in ("lent", "gifted")) == int(reused) == 4

    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    coordinator = staff.new_page()
    sign_in(coordinator, "carl")
    coordinator.get_by_role("link", name="Dashboard").click()
    expect(coordinator.get_by_role("heading", name="Dashboard")).to_be_visible()
    by_month = dashboard_table(coordinator, "Devices received per month")
    assert sum(int(v) for v in by_month.values()) == int(received)
    lent = dashboard_table(coordinator, "Devices lent per month")
    gifted = dashboard_table(coordinator, "Devices gifted per month")
    assert sum(int(v) for v in lent.values()) + sum(int(v) for v in gifted.values()) == int(reused)
    for month, count in by_month.items():
        label = datetime.datetime.strptime(month, "%b %y").strftime("%Y-%m")
        assert sum(int(r["devices"]) for r in rows if r["status"] == "received" and r["month"] == label) == int(count)
    expect(coordinator.locator("svg.relay-chart").first).to_be_visible()
    assert_accessible(coordinator, "dashboard")
    staff.close()


def test_the_dashboard_on_a_phone(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "carl")
    page.goto("/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "dashboard-390")
    context.close()


def test_the_method_page_and_the_open_data_page_on_a_phone(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/open-data/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "open-data-390")
    page.get_by_role("link", name="how we work out the environmental impact").click()
    expect(page.get_by_role("heading", name="How we work out the environmental impact")).to_be_visible()
    assert_accessible(page, "impact-method")
    context.close()


def test_api_docs_run_under_a_strict_content_security_policy(page, db):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/api/docs/", with_csp)
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/api/v1/devices/lookup/")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert violations == []
    # axe is injected as an inline script, which the policy (rightly) refuses: check it without the policy.
    page.unroute("**/api/docs/")
    page.goto("/api/docs/")
    page.locator(
        "#operations-devices-devices_lookup_retrieve .opblock-summary-control"
    ).click()  # opened: its schemas show
    expect(page.get_by_text("Find one device by asset tag or serial number").first).to_be_visible()
    assert_accessible(page, "api-docs-open")
