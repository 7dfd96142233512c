"""Issue 10's request figures walked in the browser: a councillor on /open-data/ without signing in finds
the requests and people reached, downloads the requests CSV and JSON (a small area shown as "<5") and
finds the coordinator dashboard's figures, whose request charts sit beside their tables."""

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from insights.services import figures_refresh
from insights.suppression import SUPPRESSED, WITHHELD
from tests.e2e.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def requested(community):
    for _ in range(5):
        community("fulfilled", area="AN3", people=3)
    for _ in range(7):
        community("waiting", area="AN2")
    community("waiting", area="AN4")  # a small area
    return figures_refresh()


def table(page, caption: str) -> dict[str, str]:
    rows = page.locator("table", has=page.locator("caption", has_text=caption)).locator("tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
        for i in range(rows.count())
    }


def test_a_councillor_finds_the_dashboards_request_figures_in_the_open_data(page, browser, live_server, requested):
    page.goto("/open-data/")
    received = page.locator("#figure-requests-received").inner_text()
    fulfilled = page.locator("#figure-requests-fulfilled").inner_text()
    waiting = page.locator("#figure-requests-waiting").inner_text()
    people = page.locator("#figure-people-reached").inner_text()
    assert (received, fulfilled, waiting, people) == ("13", "5", "8", "15")
    expect(page.locator("#suppression-method")).to_contain_text("withheld")
    assert_accessible(page, "open-data-requests")

    with page.expect_download() as download:
        page.get_by_role("link", name="Community requests by organisation type, area and outcome (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    by_area = {(r["area"], r["outcome"]): r["requests"] for r in rows}
    assert by_area == {("AN3", "fulfilled"): "5", ("AN2", "waiting"): WITHHELD, ("AN4", "waiting"): SUPPRESSED}
    page.get_by_role("link", name="People reached by area (JSON)").click()
    reached = json.loads(page.locator("body").inner_text())["data"]
    assert reached == [{"area": "AN3", "people_reached": 15}]

    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    coordinator = staff.new_page()
    sign_in(coordinator, "carl")
    coordinator.goto("/dashboard/")
    expect(coordinator.get_by_role("heading", name="Community requests")).to_be_visible()
    expect(coordinator.locator("#chart-requests-received-title")).to_be_attached()
    expect(coordinator.locator("svg[aria-labelledby='chart-requests-people_reached-title']")).to_be_visible()
    monthly_received = table(coordinator, "Requests received per month")
    monthly_fulfilled = table(coordinator, "Requests fulfilled per month")
    monthly_people = table(coordinator, "People reached by the month's handovers per month")
    monthly_waiting = table(coordinator, "Requests waiting at the end of the month per month")
    assert sum(int(v) for v in monthly_received.values()) == int(received)
    assert (
        sum(int(v) for v in monthly_fulfilled.values())
        == int(fulfilled)
        == sum(int(r["requests"]) for r in rows if r["outcome"] == "fulfilled")
    )
    assert sum(int(v) for v in monthly_people.values()) == int(people) == reached[0]["people_reached"]
    assert list(monthly_waiting.values())[-1] == waiting
    assert_accessible(coordinator, "dashboard-requests")
    staff.close()
