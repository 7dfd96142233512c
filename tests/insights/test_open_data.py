"""The public open-data page, its CSV and JSON downloads and datapackage.json: aggregate, licensed,
valid Frictionless, the same figures as the dashboard, and nothing personal."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from insights import selectors
from insights.datasets import DATASETS
from insights.selectors import Scope
from insights.services import figures_refresh
from reuse.models import DeviceStatus
from tests.insights.conftest import GIFTED, LENT, RECYCLED, RETURNED, at

S = DeviceStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def published(history, branch, community):
    community("fulfilled", area="AN3", people=6)
    history("laptop", at(2026, 1, 5), LENT, where={S.ON_LOAN: branch})
    history("laptop", at(2026, 1, 9), RETURNED, where={S.ON_LOAN: branch})
    history("tablet", at(2026, 2, 2), GIFTED)
    history("phone", at(2026, 2, 3), LENT, where={S.ON_LOAN: branch})
    history("desktop", at(2026, 3, 1), RECYCLED)
    history("hotspot", at(2026, 3, 2), LENT, where={S.ON_LOAN: branch})
    return figures_refresh()


def csv_rows(client, name):
    response = client.get(reverse("insights:dataset-csv", args=[name]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def json_rows(client, name):
    response = client.get(reverse("insights:dataset-json", args=[name]))
    assert response.status_code == 200
    return response.json()


def test_a_councillor_opens_the_page_without_signing_in(client, published):
    response = client.get("/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="figure-received">7<' in page and 'id="figure-reused">6<' in page  # the request's laptop too
    assert "Open Government Licence v3.0" in page and "/doc/open-government-licence/version/3/" in page
    assert 'href="/open-data/audit/"' in page and ">audit heads<" in page
    for name in DATASETS:
        assert f"/open-data/{name}.csv" in page and f"/open-data/{name}.json" in page
    assert reverse("insights:method") in page


def test_before_the_first_count_the_page_says_so(client, db):
    page = client.get("/open-data/").content.decode()
    assert "have not been counted yet" in page


def test_devices_by_month_csv_equals_the_dashboards_flow(client, published):
    rows = csv_rows(client, "devices-by-month")
    assert list(rows[0]) == ["month", "device_type", "status", "devices"]
    flow = {m.month.strftime("%Y-%m"): m.counts for m in selectors.monthly_flow(Scope())}
    for name, status in selectors.FLOW:
        for month, counts in flow.items():
            published_sum = sum(int(r["devices"]) for r in rows if r["month"] == month and r["status"] == status)
            assert published_sum == counts[name], (month, name)
    assert {"month": "2026-01", "device_type": "laptop", "status": "received", "devices": "2"} in rows


def test_reuse_by_route_equals_the_dashboard(client, published):
    rows = json_rows(client, "reuse-by-route")["data"]
    flow = selectors.monthly_flow(Scope())
    for name in ("lent", "gifted", "recycled", "destroyed"):
        assert sum(r["devices"] for r in rows if r["route"] == name) == selectors.flow_totals(flow)[name]
    assert {"month": "2026-02", "route": "gifted", "devices": 1} in rows


def test_impact_equals_the_dashboard_and_leaves_hotspots_out(client, published):
    rows = csv_rows(client, "impact-by-month")
    total = selectors.impact_total(selectors.monthly_impact(Scope()))
    assert (
        sum(Decimal(r["ewaste_kg"]) for r in rows)
        == total.ewaste_kg
        == Decimal("1.83") * 3 + Decimal("0.77") + Decimal("0.15")  # three laptops: one the request's
    )
    assert sum(Decimal(r["co2e_avoided_kg"]) for r in rows) == total.co2e_kg
    assert {r["device_type"] for r in rows} == {"laptop", "tablet", "phone"}


@pytest.mark.parametrize("name", list(DATASETS))
def test_csv_and_json_of_each_dataset_hold_the_same_rows(client, published, name):
    from_csv = csv_rows(client, name)
    from_json = json_rows(client, name)["data"]
    assert [{k: str(v) for k, v in row.items()} for row in from_json] == from_csv
    assert from_csv, "the fixture publishes something in every dataset"


def test_datapackage_is_a_valid_frictionless_package_with_licence_and_last_update(client, published, tmp_path):
    import frictionless

    package = client.get(reverse("insights:datapackage")).json()
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert package["last_updated"] == published.refreshed_at.isoformat(timespec="seconds")
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    for resource in package["resources"]:
        assert resource["licenses"][0]["title"] == "Open Government Licence v3.0"
        assert all(field["description"] for field in resource["schema"]["fields"])
        name = resource["path"].removesuffix(".csv")
        (tmp_path / resource["path"]).write_bytes(client.get(reverse("insights:dataset-csv", args=[name])).content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_units_are_documented(client, published):
    fields = {
        f["name"]: f
        for r in client.get(reverse("insights:datapackage")).json()["resources"]
        for f in r["schema"]["fields"]
    }
    assert fields["ewaste_kg"]["unit"] == "kg" and fields["co2e_avoided_kg"]["unit"] == "kgCO2e"


def test_unknown_dataset_is_404(client, db):
    assert client.get("/open-data/people.csv").status_code == 404
    assert client.get("/open-data/people.json").status_code == 404


def test_open_data_holds_nothing_personal(client, published, lendable, borrower, issue, alice):
    issue(lendable(), borrower)
    figures_refresh()
    outputs = [client.get("/open-data/").content, client.get(reverse("insights:datapackage")).content]
    for name in DATASETS:
        outputs += [client.get(f"/open-data/{name}.csv").content, client.get(f"/open-data/{name}.json").content]
    text = b"\n".join(outputs).decode()
    personal = [borrower.name, borrower.email, borrower.card_number, borrower.postcode, alice.username, alice.email]
    assert [value for value in personal if value in text] == []


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/",
        "/open-data/datapackage.json",
        *[f"/open-data/{n}.csv" for n in DATASETS],
        *[f"/open-data/{n}.json" for n in DATASETS],
    ],
)
def test_each_open_data_endpoint_fits_its_query_budget(client, published, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_method_page_cites_its_source(client, db):
    page = client.get(reverse("insights:method")).content.decode()
    assert "The Restart Project" in page and "https://github.com/TheRestartProject/restarters.net" in page
    for figure in ("1.83", "265.32", "0.77", "114.49", "0.15", "50.51", "6.69", "414.17", "0.5"):
        assert figure in page
    assert "mobile hotspots" in page.lower()  # a type without a factor is named as not counted
