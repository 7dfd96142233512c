"""Community requests in the published figures: counted into the rollup, charted on the dashboard,
published by organisation type, area and outcome with small counts suppressed (and no way back to them
through a total), the same figures on the dashboard and in the downloads, and nothing personal."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from insights import selectors
from insights.datasets import people_published, requests_published
from insights.models import Measure, Outcome, Tally
from insights.selectors import Scope
from insights.services import figures_refresh, month_of
from insights.suppression import SUPPRESSED, WITHHELD, protect, value_range
from matching.models import CommunityRequest, OrganisationKind
from matching.services.requests import request_decline

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/?start=01/01/2020"


def csv_of(client, name) -> list[dict]:
    response = client.get(reverse("insights:dataset-csv", args=[name]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def json_of(client, name) -> list[dict]:
    return client.get(reverse("insights:dataset-json", args=[name])).json()["data"]


def figure(page: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}">([^<]*)<', page).group(1)


def test_the_recount_counts_requests_by_outcome_area_and_branch(community, branch):
    community("waiting", area="AN2")
    community("declined", area="an2 1aa", kind="community")
    community("fulfilled", area="AN3", people=7)
    figures_refresh()
    rows = selectors.requests_by_area(Scope())
    assert sorted((r["organisation_type"], r["area"], r["outcome"], r["requests"]) for r in rows) == [
        ("charity", "AN2", "waiting", 1),
        ("charity", "AN3", "fulfilled", 1),
        ("community", "AN2", "declined", 1),
    ]
    assert set(Tally.objects.filter(measure=Measure.REQUESTS).values_list("site_id", flat=True)) == {branch.pk}
    totals = selectors.request_totals(selectors.request_flow(Scope()))
    assert totals == {"received": 3, "fulfilled": 1, "waiting": 1, "people_reached": 7}
    assert selectors.people_by_area(Scope()) == [{"area": "AN3", "people_reached": 7}]


def test_the_recount_follows_requests_as_they_change(community, carl):
    waiting = community("waiting")
    figures_refresh()
    assert selectors.request_totals(selectors.request_flow(Scope()))["waiting"] == 1
    request_decline(request=waiting, actor=carl, reason="Not in our area")
    figures_refresh()
    totals = selectors.request_totals(selectors.request_flow(Scope()))
    assert (totals["received"], totals["waiting"]) == (1, 0)
    assert [r["outcome"] for r in selectors.requests_by_area(Scope())] == [Outcome.DECLINED]


def test_an_open_request_waits_at_the_end_of_every_month_since_it_came(community):
    submitted = timezone.now() - datetime.timedelta(days=70)
    community("waiting", submitted=submitted)
    figures_refresh()
    flow = selectors.request_flow(Scope())
    assert flow[0].month == month_of(submitted) and flow[0].counts["received"] == 1
    assert [m.counts["waiting"] for m in flow] == [1] * len(flow) and len(flow) >= 3
    assert sum(m.counts["received"] for m in flow) == 1


def test_the_dashboard_charts_requests_with_tables_and_filters_by_collection_branch(
    client, community, carl, branch, other_branch
):
    community("waiting", site=branch)
    community("fulfilled", site=branch, people=12)
    community("waiting", site=other_branch)
    figures_refresh()
    client.force_login(carl)
    page = client.get(DASHBOARD).content.decode()
    for name in ("received", "fulfilled", "waiting", "people_reached"):
        assert f'aria-labelledby="chart-requests-{name}-title"' in page
    assert "Requests received per month</caption>" in page and "People reached by the month" in page
    assert [figure(page, f"requests-{n}") for n in (1, 2, 3, 4)] == ["3", "1", "2", "12"]
    page = client.get(DASHBOARD + f"&site={other_branch.pk}").content.decode()
    assert [figure(page, f"requests-{n}") for n in (1, 2, 3, 4)] == ["1", "0", "1", "0"]


def test_the_downloads_and_the_open_data_page_give_the_dashboards_request_figures(client, community, carl):
    for _ in range(5):
        community("waiting", area="AN2")
        community("fulfilled", area="AN3", people=2)
    figures_refresh()
    rows = csv_of(client, "requests-by-area")
    assert rows == [
        {"organisation_type": "charity", "area": "AN2", "outcome": "waiting", "requests": "5"},
        {"organisation_type": "charity", "area": "AN3", "outcome": "fulfilled", "requests": "5"},
    ]
    assert json_of(client, "requests-by-area") == [{**r, "requests": int(r["requests"])} for r in rows]
    assert csv_of(client, "people-reached-by-area") == [{"area": "AN3", "people_reached": "10"}]
    public = client.get("/open-data/").content.decode()
    client.force_login(carl)
    dashboard = client.get(DASHBOARD).content.decode()
    dashboard_figures = [figure(dashboard, f"requests-{n}") for n in (1, 2, 3, 4)]
    assert dashboard_figures == ["10", "5", "5", "10"]
    for_public = ["received", "fulfilled", "waiting"]
    assert [figure(public, f"figure-requests-{n}") for n in for_public] == dashboard_figures[:3]
    assert figure(public, "figure-people-reached") == dashboard_figures[3]
    received = sum(int(r["requests"]) for r in rows)
    fulfilled = sum(int(r["requests"]) for r in rows if r["outcome"] == "fulfilled")
    assert [str(received), str(fulfilled)] == dashboard_figures[:2]


def test_a_small_ward_shows_less_than_five_and_its_total_cannot_give_it_away(client, community):
    for _ in range(6):
        community("waiting", area="AN2")
    community("waiting", area="AN4")  # one request from a small area
    figures_refresh()
    rows = {r["area"]: r["requests"] for r in csv_of(client, "requests-by-area")}
    # AN4 is "<5"; AN2 is withheld with it, since the total waiting (7) minus AN2 would give AN4 away.
    assert rows == {"AN2": WITHHELD, "AN4": SUPPRESSED}
    page = client.get("/open-data/").content.decode()
    assert figure(page, "figure-requests-waiting") == "7"
    assert "withheld" in page and 'id="suppression-method"' in page
    package = client.get(reverse("insights:datapackage")).json()
    resource = next(r for r in package["resources"] if r["name"] == "requests-by-area")
    assert SUPPRESSED in resource["schema"]["missingValues"] and WITHHELD in resource["schema"]["missingValues"]
    assert "subtracting" in resource["suppression"] and resource["last_updated"]
    assert resource["licenses"][0]["name"] == "OGL-UK-3.0"
    columns = {f["name"]: f for f in resource["schema"]["fields"]}
    assert columns["requests"]["unit"] == "requests" and columns["area"]["description"]


def test_people_reached_are_suppressed_by_area_too(client, community):
    community("fulfilled", area="AN3", people=3)
    community("fulfilled", area="AN5", people=20)
    figures_refresh()
    assert csv_of(client, "people-reached-by-area") == [
        {"area": "AN3", "people_reached": SUPPRESSED},
        {"area": "AN5", "people_reached": WITHHELD},
    ]


def test_a_ward_named_by_few_requests_is_published_as_other(client, community):
    community("waiting", area="Flat 3, 12 Acacia Avenue")
    for _ in range(5):
        community("waiting", area="St Anne's  ward")
    figures_refresh()
    areas = {r["area"] for r in csv_of(client, "requests-by-area")}
    assert areas == {"other", "St Anne's Ward"}


def test_no_personal_value_from_the_database_reaches_the_open_data(client, community, carl):
    from matching.services.requests import request_note

    made = [
        community("waiting", area="AN2", contact_phone="07700 900461", client_reference="HH-99231"),
        community("fulfilled", area="Rosemary Close", people=4, contact_name="Winifred Quayle"),
        community("declined", area="AN7", organisation_name="Quayle Family Trust"),
    ]
    request_note(request=made[0], actor=carl, text="Spoke to Mrs Ottoline Brewster-Hythe")
    figures_refresh()
    outputs = [client.get("/open-data/").content.decode(), client.get(reverse("insights:datapackage")).content.decode()]
    for name in ("requests-by-area", "people-reached-by-area"):
        outputs.append(client.get(reverse("insights:dataset-csv", args=[name])).content.decode())
        outputs.append(client.get(reverse("insights:dataset-json", args=[name])).content.decode())
        outputs.append(client.get(f"/api/v1/open-data/{name}/").content.decode())
    everything = "\n".join(outputs).casefold()
    personal = ["Ottoline", "Brewster-Hythe", "Rosemary Close", "HH-99231", "900461"]
    for req in CommunityRequest.objects.select_related("organisation"):
        personal += [req.contact_name, req.contact_email, req.contact_phone, req.organisation.name, req.reference]
        personal += [req.client_reference_hmac, req.status_token]
    for value in filter(None, personal):
        assert value.casefold() not in everything, value


def test_the_open_data_endpoints_stay_within_the_query_budget(client, community, django_assert_max_num_queries):
    community("waiting")
    community("fulfilled", people=5)
    figures_refresh()
    for url in ("/open-data/", "/open-data/requests-by-area.csv", "/open-data/people-reached-by-area.json"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


# What someone could do with the published figures: subtract. These tests play that attacker.

KINDS = st.sampled_from(OrganisationKind.values)
AREAS = st.sampled_from(["AN1", "AN2", "AN3", "AN4", "Riverside Ward", "other"])
OUTCOMES = st.sampled_from(Outcome.values)


def _pinned_down(cells: list[int | str], true_values: list[int], total: int) -> list[int]:
    """Brute force, independently of the module under test: every hidden cell whose value is the only one
    consistent with the total and what the markers say ("<5": 1 to 4; "[c]": at least 5)."""
    hidden = [i for i, cell in enumerate(cells) if isinstance(cell, str)]
    known = total - sum(cell for cell in cells if not isinstance(cell, str))
    ranges = [range(1, 5) if cells[i] == SUPPRESSED else range(5, known + 1) for i in hidden]
    possible: list[set[int]] = [set() for _ in hidden]

    def search(position: int, left: int, chosen: list[int]):
        if position == len(hidden):
            if left == 0:
                for slot, value in enumerate(chosen):
                    possible[slot].add(value)
            return
        for value in ranges[position]:
            if value > left:
                break
            search(position + 1, left - value, [*chosen, value])

    search(0, known, [])
    for slot, index in enumerate(hidden):
        assert true_values[index] in possible[slot]  # the markers never lie
    return [hidden[slot] for slot, values in enumerate(possible) if len(values) == 1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(KINDS, AREAS, OUTCOMES, st.integers(1, 12)), max_size=14, unique_by=lambda t: t[:3]))
def test_no_suppressed_request_count_can_be_recovered_from_a_published_total(cells):
    rows = [{"organisation_type": k, "area": a, "outcome": o, "requests": n} for k, a, o, n in cells]
    published, totals = requests_published(rows)
    groups = {
        "fulfilled": [Outcome.FULFILLED],
        "waiting": [Outcome.WAITING],
        "other": [Outcome.DECLINED, Outcome.WITHDRAWN, Outcome.CLOSED],
    }
    for row, out in zip(rows, published, strict=True):
        if row["requests"] < 5:
            assert out["requests"] == SUPPRESSED
        elif isinstance(out["requests"], int):
            assert out["requests"] == row["requests"]
    received_shown = not isinstance(totals["received"], str)
    for name, outcomes in groups.items():
        indexes = [i for i, row in enumerate(rows) if row["outcome"] in outcomes]
        total = sum(rows[i]["requests"] for i in indexes)
        # The group's total is known if the page shows it, or (the rest) if received and the others are shown.
        if name == "other":
            known = received_shown and all(not isinstance(totals[n], str) for n in ("fulfilled", "waiting"))
        else:
            known = not isinstance(totals[name], str)
        if known:
            assert not isinstance(totals.get(name, total), str)
            cells = [published[i]["requests"] for i in indexes]
            assert _pinned_down(cells, [rows[i]["requests"] for i in indexes], total) == []
    if received_shown:
        assert totals["received"] == sum(row["requests"] for row in rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 30), max_size=10))
def test_no_suppressed_count_of_people_can_be_recovered_from_the_total(people):
    rows = [{"area": f"AN{i + 1}", "people_reached": n} for i, n in enumerate(people)]
    published, total = people_published(rows)
    if not isinstance(total, str):
        assert total == sum(people)
        assert _pinned_down([r["people_reached"] for r in published], people, total) == []


def test_a_group_too_small_to_protect_hides_its_total():
    protection = protect([3])
    assert protection.total_hidden and protection.marker(0) == SUPPRESSED
    published, totals = requests_published(
        [{"organisation_type": "charity", "area": "AN1", "outcome": "fulfilled", "requests": 3}]
    )
    assert totals["fulfilled"] == SUPPRESSED and totals["received"] == SUPPRESSED
    assert value_range([3, 2], {0, 1}, 0) == (1, 4)
