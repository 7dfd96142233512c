"""Registering one device by hand, with its drives."""

import pytest
from django.urls import reverse

from reuse.models import Device

URL = "/devices/add/"


def form_data(site, drives=(), **fields):
    data = {
        "kind": "laptop",
        "make": "Lenovo",
        "model": "ThinkPad T480",
        "serial": "PF1ABCDE",
        "site": site.pk,
        "grade": "",
        "webcam": "",
        "media-TOTAL_FORMS": str(max(1, len(drives))),
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "8",
    }
    for n, drive in enumerate(drives):
        data.update({f"media-{n}-{k}": v for k, v in drive.items()})
    data.update(fields)
    return data


SSD = {"kind": "nvme", "make": "Samsung", "model": "PM981", "serial": "S4DX123", "capacity_gb": "256"}


@pytest.fixture
def it_client(client, alice):
    client.force_login(alice)
    return client


def test_url_name():
    assert reverse("reuse:device-add") == URL


def test_registers_a_laptop_with_its_drives_and_first_custody_event(it_client, depot, alice):
    response = it_client.post(
        URL,
        form_data(
            depot,
            drives=[SSD, {"kind": "hdd", "serial": "WD-2"}],
            ram_gb="8",
            accessories=["has_charger"],
            webcam="yes",
            grade="B",
            lot="LOT-1",
        ),
    )
    device = Device.objects.get()
    assert response.url == device.get_absolute_url()
    assert (device.status, device.site, device.created_by, device.ram_gb, device.grade) == (
        "received",
        depot,
        alice,
        8,
        "B",
    )
    assert (device.has_charger, device.has_case, device.webcam) == (True, False, True)
    assert list(device.media.values_list("kind", "serial", "capacity_gb")) == [
        ("nvme", "S4DX123", 256),
        ("hdd", "WD-2", None),
    ]
    event = device.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", "received", alice)


def test_a_laptop_needs_at_least_one_drive(it_client, depot):
    response = it_client.post(URL, form_data(depot))
    assert response.status_code == 200
    assert "needs at least one drive" in response.context["media"].forms[0].errors["kind"][0]
    assert response.content.decode().count("needs at least one drive") == 2  # summary and field
    assert "<title>Error: Register a device" in response.content.decode()
    assert Device.objects.count() == 0


def test_a_phone_needs_a_luhn_valid_imei_and_no_drive(it_client, depot):
    phone = {"kind": "phone", "make": "Samsung", "model": "Galaxy A52", "serial": ""}
    response = it_client.post(URL, form_data(depot, **phone))
    assert "Enter the phone's IMEI" in response.context["form"].errors["imei"]
    response = it_client.post(URL, form_data(depot, **phone, imei="490154203237519"))
    assert "check digit" in response.context["form"].errors["imei"][0]
    it_client.post(URL, form_data(depot, **phone, imei="49 015420 323751 8"))
    assert Device.objects.get().imei == "490154203237518"


def test_a_serial_already_registered_names_the_device(it_client, depot, make_device):
    existing = make_device(serial="PF1ABCDE")
    response = it_client.post(URL, form_data(depot, drives=[SSD]))
    assert response.context["form"].errors["serial"] == [f"{existing.asset_tag} already has serial number PF1ABCDE"]
    assert Device.objects.count() == 1


def test_an_excel_mangled_serial_is_refused(it_client, depot):
    response = it_client.post(URL, form_data(depot, drives=[SSD], serial="6.37702E+15"))
    assert "scientific notation" in response.context["form"].errors["serial"][0]


def test_a_scanned_pre_printed_label_becomes_the_devices_tag(it_client, depot, alice):
    from reuse.models import PreprintedTag
    from reuse.services.labels import preprinted_tags_create

    [tag] = preprinted_tags_create(count=1, actor=alice)
    it_client.post(URL, form_data(depot, drives=[SSD], label=f"http://127.0.0.1:8000/d/{tag.lower()}"))
    device = Device.objects.get()
    assert device.asset_tag == tag
    assert PreprintedTag.objects.get(asset_tag=tag).device_id == device.pk


def test_a_label_already_on_a_device_is_refused(it_client, depot, make_device):
    existing = make_device()
    response = it_client.post(URL, form_data(depot, drives=[SSD], label=existing.asset_tag.lower()))
    assert response.context["form"].errors["label"] == [f"The label {existing.asset_tag} is already on another device"]


def test_a_label_relay_never_printed_is_refused_on_the_label_field(it_client, depot):
    response = it_client.post(URL, form_data(depot, drives=[SSD], label="RLY-900002"))
    [error] = response.context["form"].errors["label"]
    assert "RLY-900002" in error
    assert Device.objects.count() == 0


def test_add_another_drive_keeps_what_was_typed_and_judges_nothing(it_client, depot):
    response = it_client.post(
        URL, form_data(depot, drives=[SSD], make="", add_drive="1", accessories=["has_charger", "has_case"])
    )
    assert response.status_code == 200 and Device.objects.count() == 0
    assert len(response.context["media"].forms) == 2
    assert response.context["media"].forms[0].initial["serial"] == "S4DX123"
    assert response.context["form"].initial["model"] == "ThinkPad T480"
    assert response.context["form"].initial["accessories"] == ["has_charger", "has_case"]
    assert not response.context["form"].errors and "Error:" not in response.content.decode()


def test_enter_key_fallback_redisplays_without_saving(it_client, depot):
    response = it_client.post(URL, form_data(depot, drives=[SSD], refresh="1"))
    assert response.status_code == 200 and Device.objects.count() == 0
    assert len(response.context["media"].forms) == 1


def test_register_and_add_another_carries_over_the_batch_details(it_client, depot):
    response = it_client.post(
        URL, form_data(depot, drives=[SSD], lot="LOT-9", source_department="Housing", another="1")
    )
    assert response.url.startswith(URL + "?")
    page = it_client.get(response.url)
    initial = page.context["form"].initial
    assert (initial["lot"], initial["source_department"], initial["model"]) == ("LOT-9", "Housing", "ThinkPad T480")
    assert "serial" not in initial


def test_the_form_defaults_to_the_technicians_depot(it_client, depot, branch):
    assert it_client.get(URL).context["form"].initial["site"] == depot
