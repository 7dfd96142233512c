"""The rollup: what `figures_refresh` counts from the custody record, and what the selectors read back."""

import datetime
from decimal import Decimal

import pytest

from insights import selectors
from insights.models import Measure, Publication, Tally
from insights.selectors import Scope, median_of
from insights.services import figures_refresh
from reuse.models import DeviceStatus
from reuse.services.lifecycle import device_transition
from tests.insights.conftest import DESTROYED, GIFTED, LENT, RECYCLED, RETURNED, at

S = DeviceStatus
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)

pytestmark = pytest.mark.django_db


def flow_by_month(scope=None):
    return {m.month: m.counts for m in selectors.monthly_flow(scope or Scope(start=JAN, end=MAR))}


def test_each_status_entered_is_counted_in_its_month_and_received_counts_new_devices_only(history, branch):
    history("laptop", at(2026, 1, 5), LENT, gap_days=10, where={S.ON_LOAN: branch})  # sanitised 15 Jan, lent 4 Feb
    history(
        "laptop", at(2026, 1, 20), RETURNED, gap_days=5
    )  # sanitised 25 Jan, lent 4 Feb, back 9 Feb: not received again
    history("tablet", at(2026, 2, 1), GIFTED, gap_days=1)
    history("desktop", at(2026, 3, 2), RECYCLED)
    history("phone", at(2026, 3, 3), DESTROYED)
    figures_refresh()

    flow = flow_by_month()
    assert flow[JAN] == {"received": 2, "sanitised": 2, "lent": 0, "gifted": 0, "recycled": 0, "destroyed": 0}
    assert flow[FEB] == {"received": 1, "sanitised": 1, "lent": 2, "gifted": 1, "recycled": 0, "destroyed": 0}
    assert flow[MAR] == {"received": 2, "sanitised": 0, "lent": 0, "gifted": 0, "recycled": 1, "destroyed": 1}
    assert selectors.flow_totals(selectors.monthly_flow(Scope()))["reused"] == 3


def test_empty_months_in_the_range_show_as_zero(history):
    history("laptop", at(2026, 1, 5))
    figures_refresh()
    flow = flow_by_month()
    assert list(flow) == [JAN, FEB, MAR]
    assert flow[FEB]["received"] == 0


def test_a_move_between_sites_is_no_status_entry(history, make_device, branch, alice):
    device = make_device()
    from reuse.services.lifecycle import device_move

    device_move(device=device, site=branch, actor=alice)
    figures_refresh()
    assert sum(r.value for r in Tally.objects.filter(measure=Measure.STATUS)) == 1  # its intake only


def test_months_are_the_councils_months(history, settings):
    """23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST)."""
    settings.TIME_ZONE = "Europe/London"
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    history("laptop", late)
    figures_refresh()
    assert Tally.objects.get(measure=Measure.STATUS).month == datetime.date(2026, 4, 1)


def test_loans_per_branch_count_each_loan_where_it_was_issued(history, branch, other_branch):
    history("laptop", at(2026, 1, 5), LENT, where={S.ON_LOAN: branch})
    history("laptop", at(2026, 1, 6), LENT, where={S.ON_LOAN: branch})
    history("tablet", at(2026, 1, 7), LENT, where={S.ON_LOAN: other_branch})
    history("laptop", at(2026, 1, 8), RETURNED, where={S.ON_LOAN: other_branch})
    figures_refresh()
    assert selectors.loans_per_branch(Scope()) == [("Central Library", 2), ("Northgate Library", 2)]


def test_median_days_to_first_reuse(history):
    history("laptop", at(2026, 1, 1), LENT, gap_days=2)  # lent on day 6
    history("laptop", at(2026, 1, 1), LENT, gap_days=4)  # day 12
    history("laptop", at(2026, 1, 1), GIFTED, gap_days=5)  # gifted on day 20
    history("laptop", at(2026, 1, 1), RETURNED, gap_days=10)  # lent on day 30, then back
    history("laptop", at(2026, 1, 1))  # never reused: not in the median
    figures_refresh()
    delay = selectors.reuse_delay(Scope())
    assert delay.devices == 4
    assert delay.median_days == Decimal(16)  # (12 + 20) / 2


def test_a_device_lent_again_counts_once_for_reuse_and_impact(history):
    history("laptop", at(2026, 1, 1), RETURNED + LENT, gap_days=10)  # lent 31 Jan, again 10 Mar
    figures_refresh()
    first = Tally.objects.get(measure=Measure.FIRST_REUSE)
    assert (first.month, first.value) == (JAN, 1)
    assert selectors.flow_totals(selectors.monthly_flow(Scope()))["lent"] == 2


@pytest.mark.parametrize(
    "histogram, median",
    [
        ({}, None),
        ({3: 1}, Decimal(3)),
        ({1: 1, 9: 1}, Decimal(5)),
        ({1: 2, 4: 1}, Decimal(1)),
        ({2: 3, 8: 3}, Decimal(5)),
    ],
)
def test_median_of_a_histogram(histogram, median):
    assert median_of(histogram) == median


def test_impact_counts_first_reuse_with_the_restart_project_factors_and_leaves_hotspots_out(history):
    history("laptop", at(2026, 1, 3), LENT)
    history("laptop", at(2026, 1, 4), GIFTED)
    history("phone", at(2026, 1, 5), LENT)
    history("hotspot", at(2026, 1, 6), LENT)
    history("desktop", at(2026, 1, 7), RECYCLED)  # recycled is not reuse
    figures_refresh()
    total = selectors.impact_total(selectors.monthly_impact(Scope()))
    assert total.devices == 3
    assert total.ewaste_kg == Decimal("1.83") * 2 + Decimal("0.15")
    assert total.co2e_kg == (Decimal("265.32") * 2 + Decimal("50.51")) * Decimal("0.5")


def test_refresh_replaces_the_rollup_and_records_when(history):
    history("laptop", at(2026, 1, 3), LENT)
    figures_refresh()
    before = Tally.objects.count()
    publication = figures_refresh()
    assert Tally.objects.count() == before
    assert Publication.objects.get().refreshed_at == publication.refreshed_at == selectors.last_updated()


def test_figures_follow_the_services_too(ready_device, alice):
    """Devices moved by `device_transition` today land in this month's figures."""
    device = ready_device()
    device_transition(device=device, to_status=S.RECEIVED, actor=alice, reason="Fault found")
    figures_refresh()
    totals = selectors.flow_totals(selectors.monthly_flow(Scope()))
    assert (totals["received"], totals["sanitised"]) == (1, 1)


def test_site_scope_reads_only_that_sites_figures(history, branch, other_branch):
    history("laptop", at(2026, 1, 5), LENT, where={S.ON_LOAN: branch})
    history("laptop", at(2026, 1, 5), LENT, where={S.ON_LOAN: other_branch})
    figures_refresh()
    scope = Scope(Tally.objects.filter(site=branch), start=JAN, end=JAN)
    assert selectors.monthly_flow(scope)[0].counts["lent"] == 1
    assert selectors.monthly_flow(scope)[0].counts["received"] == 0  # both came in at the depot
