"""Devices through the API: read within the caller's role and sites, filtered, paged by cursor to the
end, looked up by asset tag or serial; their custody events and wipe records."""

import pytest
from django.contrib.auth.models import Group

from core.roles import IT
from reuse.models import DeviceStatus
from reuse.services.lifecycle import device_move
from tests.api.conftest import pointers, problem
from tests.factories import received_devices

pytestmark = pytest.mark.django_db
DEVICES = "/api/v1/devices/"


@pytest.fixture
def stock(make_device, ready_device, branch, alice):
    at_depot = make_device(serial="SN-DEPOT-1")
    ready = ready_device(serial="SN-READY-1")
    at_branch = make_device(serial="SN-BRANCH-1", kind="tablet", media=0)
    device_move(device=at_branch, site=branch, actor=alice)
    phone = make_device(kind="phone", imei="356938035643809", serial="", media=0)
    return {"depot": at_depot, "ready": ready, "branch": at_branch, "phone": phone}


def tags(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {d["asset_tag"] for d in response.json()["results"]}


@pytest.mark.parametrize("who", ["alice", "carl", "ada"])
def test_it_coordinators_and_administrators_read_every_site(api_as, stock, who, request):
    assert tags(api_as(request.getfixturevalue(who)).get(DEVICES)) == {d.asset_tag for d in stock.values()}


def test_desk_staff_read_only_their_own_branches_devices(api_as, stock, dina):
    api = api_as(dina)
    assert tags(api.get(DEVICES)) == {stock["branch"].asset_tag}
    problem(api.get(f"{DEVICES}{stock['depot'].asset_tag}/"), 404)
    problem(api.get(f"{DEVICES}{stock['depot'].asset_tag}/events/"), 404)
    problem(api.get(f"{DEVICES}lookup/", {"serial": "SN-DEPOT-1"}), 404)


def test_a_role_taken_away_takes_the_tokens_access_with_it(api_as, stock, alice):
    api = api_as(alice)
    alice.groups.remove(Group.objects.get(name=IT))
    assert problem(api.get(DEVICES), 403)["code"] == "permission_denied"


def test_one_device_by_its_tag_in_any_case(api_as, stock, alice):
    body = api_as(alice).get(f"{DEVICES}{stock['ready'].asset_tag.lower()}/").json()
    assert body["asset_tag"] == stock["ready"].asset_tag and body["status"] == "ready" and body["site"] == "DEPOT"
    assert body["drives"][0]["serial"] == f"{stock['ready'].asset_tag}-D0"
    assert body["label_url"].endswith(f"/d/{stock['ready'].asset_tag}")


def test_filters(api_as, stock, alice):
    api = api_as(alice)
    assert tags(api.get(DEVICES, {"status": "ready"})) == {stock["ready"].asset_tag}
    assert tags(api.get(f"{DEVICES}?status=ready&status=received")) == {d.asset_tag for d in stock.values()}
    assert tags(api.get(DEVICES, {"kind": "tablet"})) == {stock["branch"].asset_tag}
    assert tags(api.get(DEVICES, {"site": "CENTRAL"})) == {stock["branch"].asset_tag}
    assert tags(api.get(DEVICES, {"serial": "SN-DEPOT-1"})) == {stock["depot"].asset_tag}
    assert tags(api.get(DEVICES, {"asset_tag": stock["phone"].asset_tag.lower()})) == {stock["phone"].asset_tag}
    assert tags(api.get(DEVICES, {"received_after": "2999-01-01T00:00:00Z"})) == set()


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"status": "shiny"}, "status"),
        ({"kind": "toaster"}, "kind"),
        ({"received_after": "yesterday"}, "received_after"),
        ({"changed_since": "2026-13-01"}, "changed_since"),
        ({"grade": "Z"}, "grade"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
    ],
)
def test_malformed_filters_get_400_naming_the_parameter(api_as, stock, alice, query, parameter):
    body = problem(api_as(alice).get(DEVICES, query), 400)
    assert parameter in pointers(body)
    assert body["type"].endswith("/api/problems/invalid-request")


def test_cursor_pages_go_all_the_way_with_no_cap(api_as, depot, alice, client):
    received_devices(250, site=depot, actor=alice)
    api = api_as(alice)
    seen, url, pages = [], f"{DEVICES}?page_size=100", 0
    while url:
        body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api.token}").json()
        seen += [d["asset_tag"] for d in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 250
    assert seen == sorted(seen)


def test_a_page_of_100_devices_costs_at_most_5_queries(api_as, depot, alice, django_assert_max_num_queries):
    received_devices(120, site=depot, actor=alice)
    api = api_as(alice)
    with django_assert_max_num_queries(5):
        response = api.get(DEVICES, {"page_size": 100})
    assert len(response.json()["results"]) == 100


def test_a_desk_page_costs_at_most_5_queries_too(api_as, branch, alice, dina, django_assert_max_num_queries):
    received_devices(30, site=branch, actor=alice)
    api = api_as(dina)
    with django_assert_max_num_queries(5):
        assert len(api.get(DEVICES).json()["results"]) == 30


def test_look_up_by_asset_tag_serial_or_imei(api_as, stock, alice):
    api = api_as(alice)
    lookup = f"{DEVICES}lookup/"
    assert api.get(lookup, {"asset_tag": stock["depot"].asset_tag}).json()["serial"] == "SN-DEPOT-1"
    assert api.get(lookup, {"serial": "SN-READY-1"}).json()["asset_tag"] == stock["ready"].asset_tag
    assert api.get(lookup, {"serial": "356938035643809"}).json()["asset_tag"] == stock["phone"].asset_tag
    problem(api.get(lookup, {"serial": "NO-SUCH-SERIAL"}), 404)
    assert "asset_tag" in pointers(problem(api.get(lookup), 400))
    assert "asset_tag" in pointers(problem(api.get(lookup, {"serial": "x", "asset_tag": "y"}), 400))


def test_custody_events_oldest_first_with_their_chain(api_as, stock, alice):
    body = api_as(alice).get(f"{DEVICES}{stock['ready'].asset_tag}/events/").json()
    events = body["results"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("", "received"),
        ("received", "sanitised"),
        ("sanitised", "ready"),
    ]
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in zip(events, events[1:], strict=False))
    assert events[0]["actor"] == "Alice" and events[0]["site"] == "DEPOT"


def test_wipe_records_of_a_device(api_as, stock, alice):
    wipes = api_as(alice).get(f"{DEVICES}{stock['ready'].asset_tag}/wipes/").json()
    assert len(wipes) == 1
    wipe = wipes[0]
    assert wipe["result"] == "passed" and wipe["passing"] is True and wipe["verified_by"] == "Bob"
    assert wipe["drive_serial"] == f"{stock['ready'].asset_tag}-D0" and wipe["operator"] == "Alice"


def test_status_can_only_change_through_the_services(api_as, stock, alice):
    """The API offers no way to write a status: PUT and PATCH on a device are not allowed."""
    api = api_as(alice, "write")
    path = f"{DEVICES}{stock['depot'].asset_tag}/"
    assert problem(api.put(path, {"status": DeviceStatus.READY}), 405)["code"] == "method_not_allowed"
    stock["depot"].refresh_from_db()
    assert stock["depot"].status == DeviceStatus.RECEIVED


def test_sites_within_scope(api_as, stock, alice, dina):
    assert {s["code"] for s in api_as(alice).get("/api/v1/sites/").json()} == {"DEPOT", "CENTRAL"}
    assert [s["code"] for s in api_as(dina).get("/api/v1/sites/").json()] == ["CENTRAL"]
    problem(api_as(dina).get("/api/v1/sites/DEPOT/"), 404)
