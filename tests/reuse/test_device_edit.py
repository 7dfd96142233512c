"""Editing a device: what it is and where it is goes on the custody record, one event per change, old and
new; other details just save; the chain still verifies."""

import pytest

from core.errors import DomainError
from reuse.models import CustodyEvent, DeviceStatus
from reuse.services.audit import audit_verify
from reuse.services.devices import device_edit


def events_of(device):
    return list(CustodyEvent.objects.filter(device=device).order_by("seq"))


def assert_chain_verifies():
    _checked, problems = audit_verify()
    assert problems == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("kind", "desktop", "Type changed from Laptop to Desktop"),
        ("serial", "NEW-SERIAL-1", "Serial number changed from SN-OLD to NEW-SERIAL-1"),
        ("council_asset_number", "CA-77", "Council asset number changed from none to CA-77"),
        ("imei", "490154203237518", "IMEI changed from none to 490154203237518"),
    ],
)
def test_each_identity_change_writes_one_event(make_device, alice, field, value, reason):
    device = make_device(serial="SN-OLD")
    before = len(events_of(device))
    device_edit(device=device, actor=alice, **{field: value})
    events = events_of(device)
    assert len(events) == before + 1
    assert events[-1].reason == reason
    assert events[-1].from_status == events[-1].to_status == DeviceStatus.RECEIVED
    device.refresh_from_db()
    assert getattr(device, field) == value
    assert_chain_verifies()


def test_a_site_change_is_one_move(make_device, alice, branch):
    device = make_device(serial="SN-1")
    before = len(events_of(device))
    device_edit(device=device, actor=alice, site=branch, reason="Sent for the desk")
    events = events_of(device)
    assert len(events) == before + 1 and events[-1].site == branch
    device.refresh_from_db()
    assert device.site == branch
    assert_chain_verifies()


def test_other_details_save_without_an_event(make_device, alice):
    device = make_device(serial="SN-1")
    before = len(events_of(device))
    device_edit(device=device, actor=alice, cpu="Intel i5", ram_gb=16, notes="Sticky keyboard", make="Dell")
    assert len(events_of(device)) == before
    device.refresh_from_db()
    assert (device.cpu, device.ram_gb, device.notes) == ("Intel i5", 16, "Sticky keyboard")


def test_two_identity_changes_write_two_events(make_device, alice, branch):
    device = make_device(serial="SN-1")
    before = len(events_of(device))
    device_edit(device=device, actor=alice, serial="SN-2", site=branch)
    assert len(events_of(device)) == before + 2
    assert_chain_verifies()


def test_type_cannot_change_after_the_wipe(ready_device, alice):
    device = ready_device(serial="SN-1")
    with pytest.raises(DomainError) as error:
        device_edit(device=device, actor=alice, kind="phone")
    assert error.value.code == "kind_locked"
    device.refresh_from_db()
    assert device.kind == "laptop"


def test_edit_page_saves_and_names_missing_fields(client, alice, make_device, branch):
    device = make_device(serial="SN-1", ram_gb=8)
    client.force_login(alice)
    url = f"/devices/{device.asset_tag}/edit/"
    page = client.get(url).content.decode()
    assert 'value="SN-1"' in page
    response = client.post(url, {"kind": "", "make": "", "model": "", "site": branch.pk})
    page = response.content.decode()
    assert "This field is required" not in page
    assert "Select the device type" in page and "Enter the make" in page and "Enter the model" in page
    data = {"kind": "laptop", "make": "Dell", "model": "Latitude 7490", "serial": "SN-1", "site": branch.pk}
    response = client.post(url, {**data, "grade": "", "storage_type": "", "reason": "Checked the shelf"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.model, device.site) == ("Latitude 7490", branch)
    assert events_of(device)[-1].reason == "Checked the shelf"


def test_edit_page_is_for_it_staff_only(client, dina, make_device):
    device = make_device(serial="SN-1")
    client.force_login(dina)
    assert client.get(f"/devices/{device.asset_tag}/edit/").status_code == 403
