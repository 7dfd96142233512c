"""Registering a device at intake through the API: the intake page's service and rules, write scope and
the IT role required, field-level problems, and nothing written when refused."""

import pytest

from reuse.models import CustodyEvent, Device, DeviceStatus, PreprintedTag
from tests.api.conftest import pointers, problem

pytestmark = pytest.mark.django_db
DEVICES = "/api/v1/devices/"
LAPTOP = {
    "site": "DEPOT",
    "kind": "laptop",
    "make": "Lenovo",
    "model": "ThinkPad T480",
    "serial": "PF1ABCD2",
    "ram_gb": 8,
    "storage_gb": 256,
    "webcam": True,
    "has_charger": True,
    "drives": [{"kind": "nvme", "make": "Samsung", "serial": "S4EWNX0M", "capacity_gb": 256}],
}


def test_an_it_write_token_registers_a_device_as_the_intake_page_does(api_as, depot, alice):
    response = api_as(alice, "write").post(DEVICES, LAPTOP)
    assert response.status_code == 201, response.content
    body = response.json()
    device = Device.objects.get(asset_tag=body["asset_tag"])
    assert response["Location"] == body["url"] and body["status"] == "received"
    assert (device.site, device.serial, device.created_by, device.webcam, device.has_charger) == (
        depot,
        "PF1ABCD2",
        alice,
        True,
        True,
    )
    assert [m.serial for m in device.media.all()] == ["S4EWNX0M"]
    event = CustodyEvent.objects.get(device=device)
    assert (event.from_status, event.to_status, event.actor) == ("", DeviceStatus.RECEIVED, alice)


def test_a_pre_printed_label_is_claimed(api_as, depot, alice):
    PreprintedTag.objects.create(asset_tag="RLY-900001")
    body = api_as(alice, "write").post(DEVICES, {**LAPTOP, "asset_tag": "RLY-900001"}).json()
    assert body["asset_tag"] == "RLY-900001"
    assert PreprintedTag.objects.get().device.asset_tag == "RLY-900001"


def test_a_label_relay_never_printed_is_refused_with_its_rule(api_as, depot, alice):
    body = problem(api_as(alice, "write").post(DEVICES, {**LAPTOP, "asset_tag": "RLY-999999"}), 409)
    assert body["code"] == "unknown_tag" and "pre-printed" in body["detail"]
    assert Device.objects.count() == 0


def test_a_read_token_cannot_write(api_as, depot, alice):
    body = problem(api_as(alice, "read").post(DEVICES, LAPTOP), 403)
    assert body["code"] == "insufficient_scope" and body["type"].endswith("/api/problems/insufficient-scope")
    assert Device.objects.count() == 0


@pytest.mark.parametrize("who", ["dina", "carl"])
def test_only_it_registers_devices(api_as, depot, who, request):
    assert (
        problem(api_as(request.getfixturevalue(who), "write").post(DEVICES, LAPTOP), 403)["code"] == "permission_denied"
    )
    assert Device.objects.count() == 0


@pytest.mark.parametrize(
    "change, pointer, message",
    [
        ({"make": ""}, "#/make", "may not be blank"),
        ({"site": "NOWHERE"}, "#/site", "No active site has the code"),
        ({"kind": "toaster"}, "#/kind", "not a valid choice"),
        ({"ram_gb": "lots"}, "#/ram_gb", "valid integer"),
        ({"serial": "6.37702E+15"}, "#/serial", "Excel"),
        ({"serial": "", "imei": "", "council_asset_number": ""}, "#/serial", "Enter the serial number"),
        ({"kind": "phone", "serial": "P1", "drives": []}, "#/imei", "Enter the phone's IMEI"),
        ({"kind": "phone", "serial": "P1", "imei": "123456789012345"}, "#/imei", "IMEI"),
        ({"drives": []}, "#/drives", "needs at least one drive"),
        ({"drives": [{"kind": "floppy"}]}, "#/drives/0/kind", "not a valid choice"),
        ({"drives": [{"kind": "ssd", "serial": "1.2E+10"}]}, "#/drives/0/serial", "Excel"),
        ({"asset_tag": "no good"}, "#/asset_tag", "Enter the asset tag printed on the label"),
    ],
)
def test_bad_bodies_get_400_with_the_field_named(api_as, depot, alice, change, pointer, message):
    body = problem(api_as(alice, "write").post(DEVICES, {**LAPTOP, **change}), 400)
    found = pointers(body)
    assert pointer in found, found
    assert message in found[pointer]
    assert Device.objects.count() == 0


def test_a_serial_already_registered_is_refused(api_as, depot, alice, make_device):
    existing = make_device(serial="PF1ABCD2")
    found = pointers(problem(api_as(alice, "write").post(DEVICES, LAPTOP), 400))
    assert found["#/serial"] == f"{existing.asset_tag} already has serial number PF1ABCD2"
    assert Device.objects.count() == 1


def test_a_body_that_is_not_json_gets_400(api_as, depot, alice):
    body = problem(api_as(alice, "write").post(DEVICES, raw="{not json"), 400)
    assert body["type"].endswith("/api/problems/malformed-body")


def test_a_form_encoded_body_gets_415(api_as, depot, alice):
    response = api_as(alice, "write").post(DEVICES, raw="make=HP", content_type="application/x-www-form-urlencoded")
    assert problem(response, 415)["code"] == "unsupported_media_type"


def test_a_json_array_is_no_device(api_as, depot, alice):
    body = problem(api_as(alice, "write").post(DEVICES, raw="[1, 2]"), 400)
    assert "#" in pointers(body)
