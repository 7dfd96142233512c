"""Stocktakes: scans against the record; missing, elsewhere (moved at the finish, on the custody record),
not on a shelf and unknown; an idempotent finish; the report page and its CSV; who may use them."""

import pytest

from core.errors import DomainError
from reuse.models import DeviceStatus, ScanOutcome, Stocktake, StocktakeScan
from reuse.services.audit import audit_verify
from reuse.services.lifecycle import device_move
from reuse.services.stocktakes import (
    stocktake_finish,
    stocktake_report,
    stocktake_scan,
    stocktake_scan_many,
    stocktake_start,
)


@pytest.fixture
def counted(depot, branch, alice, ready_device):
    """Three devices at the depot and one at the branch; a stocktake of the depot."""
    here = [ready_device() for _ in range(3)]
    away = ready_device()
    device_move(device=away, site=branch, actor=alice)
    return stocktake_start(site=depot, actor=alice, location="Store room B"), here, away


def test_each_outcome(counted, alice, depot):
    stocktake, (one, two, missing), away = counted
    assert stocktake_scan(stocktake=stocktake, actor=alice, scanned=one.label_url).outcome == ScanOutcome.FOUND
    assert stocktake_scan(stocktake=stocktake, actor=alice, scanned=two.asset_tag.lower()).outcome == ScanOutcome.FOUND
    assert stocktake_scan(stocktake=stocktake, actor=alice, scanned=away.asset_tag).outcome == ScanOutcome.ELSEWHERE
    assert stocktake_scan(stocktake=stocktake, actor=alice, scanned="RLY-999999").outcome == ScanOutcome.UNKNOWN
    stocktake_finish(stocktake=stocktake, actor=alice)
    report = stocktake_report(stocktake)
    assert [d.pk for d in report.missing] == [missing.pk]
    assert [s.tag for s in report.elsewhere] == [away.asset_tag]
    assert [s.tag for s in report.unknown] == ["RLY-999999"]
    away.refresh_from_db()
    assert away.site == depot
    event = away.events.order_by("-seq").first()
    assert event.reason == f"Found at {depot}, Store room B during Stocktake {stocktake.pk}"
    assert audit_verify()[1] == []


def test_a_repeat_scan_is_the_same_scan(counted, alice):
    stocktake, (one, *_), _away = counted
    first = stocktake_scan(stocktake=stocktake, actor=alice, scanned=one.asset_tag)
    again = stocktake_scan(stocktake=stocktake, actor=alice, scanned=one.label_url)
    assert first.pk == again.pk and StocktakeScan.objects.count() == 1


def test_the_finish_is_done_once(counted, alice, bob):
    stocktake, _here, away = counted
    stocktake_scan(stocktake=stocktake, actor=alice, scanned=away.asset_tag)
    stocktake_finish(stocktake=stocktake, actor=alice)
    events = away.events.count()
    again = stocktake_finish(stocktake=stocktake, actor=bob)
    assert again.finished_by == alice and away.events.count() == events
    with pytest.raises(DomainError) as error:
        stocktake_scan(stocktake=stocktake, actor=alice, scanned=away.asset_tag)
    assert error.value.code == "stocktake_finished"


def test_missing_is_frozen_at_the_finish(counted, alice, branch):
    stocktake, (one, two, three), _away = counted
    stocktake_finish(stocktake=stocktake, actor=alice)
    device_move(device=one, site=branch, actor=alice)
    assert {d.pk for d in stocktake_report(stocktake).missing} == {one.pk, two.pk, three.pk}


def test_a_device_on_loan_is_not_on_a_shelf(lendable, borrower, issue, alice, branch):
    device = lendable()
    issue(device, borrower)
    stocktake = stocktake_start(site=branch, actor=alice)
    scan = stocktake_scan(stocktake=stocktake, actor=alice, scanned=device.asset_tag)
    assert scan.outcome == ScanOutcome.NOT_ON_SHELF
    stocktake_finish(stocktake=stocktake, actor=alice)
    device.refresh_from_db()
    assert device.status == DeviceStatus.ON_LOAN and stocktake_report(stocktake).missing == []


def test_paste_many_and_bad_tags(counted, alice):
    stocktake, (one, two, _three), _away = counted
    scans = stocktake_scan_many(
        stocktake=stocktake, actor=alice, text=f"{one.asset_tag}\n{two.label_url}, {one.asset_tag}"
    )
    assert len(scans) == 2
    for bad in ["", "=HYPERLINK(1)", "x" * 40]:
        with pytest.raises(DomainError) as error:
            stocktake_scan(stocktake=stocktake, actor=alice, scanned=bad)
        assert error.value.code == "tag_invalid"


def test_the_pages_without_javascript(client, alice, depot, ready_device, branch):
    here, away = ready_device(), ready_device()
    device_move(device=away, site=branch, actor=alice)
    client.force_login(alice)
    response = client.post("/devices/stocktakes/", {"site": ""})
    assert "Select the site to count" in response.content.decode()
    response = client.post("/devices/stocktakes/", {"site": depot.pk, "location": "Shelf 1"})
    stocktake = Stocktake.objects.get()
    assert response.url == f"/devices/stocktakes/{stocktake.pk}/"
    page = client.post(response.url, {"action": "scan", "one-scan": ""}).content.decode()
    assert "Scan a label or enter an asset tag" in page
    client.post(response.url, {"action": "scan", "one-scan": away.label_url})
    client.post(response.url, {"action": "paste", "many-tags": "RLY-424242"})
    client.post(response.url, {"action": "finish"})
    page = client.get(response.url).content.decode()
    assert "Expected here but not scanned (1)" in page and here.asset_tag in page
    assert "Scanned here but recorded at another site (1)" in page
    assert "Tags Relay does not know (1)" in page
    csv = client.get(f"{response.url}report.csv").content.decode()
    assert f"Expected but not scanned,{here.asset_tag}" in csv
    assert f"Recorded at another site,{away.asset_tag}" in csv and "Unknown tag,RLY-424242" in csv


def test_desk_staff_count_only_their_own_branch(client, dina, depot, branch, alice):
    client.force_login(dina)
    response = client.post("/devices/stocktakes/", {"site": depot.pk})
    assert response.status_code == 200 and not Stocktake.objects.exists()
    theirs = stocktake_start(site=branch, actor=dina)
    depots = stocktake_start(site=depot, actor=alice)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(depots.get_absolute_url()).status_code == 404
    assert client.get(f"/devices/stocktakes/{depots.pk}/report.csv").status_code == 404


def test_coordinators_do_not_count(client, carl):
    client.force_login(carl)
    assert client.get("/devices/stocktakes/").status_code == 403


def test_a_paste_with_a_bad_tag_records_nothing(counted, alice):
    stocktake, (one, *_), _away = counted
    with pytest.raises(DomainError) as error:
        stocktake_scan_many(stocktake=stocktake, actor=alice, text=f"{one.asset_tag}\n=CMD()")
    assert error.value.code == "tag_invalid" and not StocktakeScan.objects.exists()
