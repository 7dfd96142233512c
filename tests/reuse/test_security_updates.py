"""How long a device stays safe: `updates_until` set at intake, or filled from the table of operating
systems and model families that administrators keep."""

import datetime

import pytest

from reuse.intake.plan import plan_import
from reuse.models import Device, DeviceImport, SupportWindow
from reuse.services.intake import devices_import
from reuse.services.support import DEFAULT_SUPPORT, devices_fill_updates_until, support_table
from tests.reuse.intake_support import laptop, native_csv

D = datetime.date


def lookup(**device):
    fields = {"make": "", "model": "", "os_name": "", "os_version": "", **device}
    return support_table().updates_until(**fields)


def test_a_new_installation_starts_with_the_table(db):
    assert SupportWindow.objects.count() == len(DEFAULT_SUPPORT)
    assert all(row.source for row in SupportWindow.objects.all())
    windows_10 = SupportWindow.objects.get(os_name="Windows", os_version="10")
    assert windows_10.updates_until == D(2025, 10, 14)


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        ({"os_name": "Windows", "os_version": "10 Pro 22H2"}, D(2025, 10, 14)),
        ({"os_name": "windows", "os_version": "11 Pro 24H2"}, D(2026, 10, 13)),
        ({"os_name": "Windows", "os_version": "11 Pro"}, D(2027, 10, 12)),
        ({"os_name": "Windows", "os_version": "11 Enterprise 23H2"}, D(2026, 11, 10)),
        ({"os_name": "Ubuntu", "os_version": "24.04 LTS"}, D(2029, 4, 30)),
        (
            {"make": "Apple", "model": "iPhone SE (2nd generation)", "os_name": "iOS", "os_version": "17.7"},
            D(2027, 9, 30),
        ),
        ({"make": "Google", "model": "Pixel 8 Pro", "os_name": "Android", "os_version": "15"}, D(2030, 10, 31)),
        ({"make": "Samsung", "model": "Galaxy A52", "os_name": "Android", "os_version": "14"}, D(2025, 3, 31)),
    ],
)
def test_the_most_specific_row_decides(db, device, expected):
    assert lookup(**device) == expected


@pytest.mark.parametrize(
    "device",
    [
        {"os_name": "Windows", "os_version": ""},  # no version: no row for "any Windows"
        {"os_name": "ChromeOS Flex", "os_version": "126", "make": "HP", "model": "EliteBook 840 G5"},
        {"make": "Samsung", "model": "Galaxy A52", "os_name": "", "os_version": ""},  # a family row needs its OS
        {"make": "Huawei", "model": "E5576"},
    ],
)
def test_no_matching_row_leaves_the_date_unknown(db, device):
    assert lookup(**device) is None


def test_a_model_family_row_outranks_an_os_row(db):
    SupportWindow.objects.create(
        os_name="Windows", make="Dell", model_family="Latitude 3190", updates_until=D(2024, 1, 1), source="test"
    )
    assert lookup(make="Dell", model="Latitude 3190 2-in-1", os_name="Windows", os_version="11 Pro") == D(2024, 1, 1)
    assert lookup(make="HP", model="Latitude 3190", os_name="Windows", os_version="11 Pro") == D(2027, 10, 12)


def test_the_device_form_fills_the_date_from_the_table_or_keeps_the_one_typed(client, alice, depot):
    from tests.reuse.test_device_add import SSD, form_data

    client.force_login(alice)
    client.post("/devices/add/", form_data(depot, drives=[SSD], os_name="Windows", os_version="10 Pro"))
    assert Device.objects.get(serial="PF1ABCDE").updates_until == D(2025, 10, 14)
    typed = {**SSD, "serial": "S4DX999"}
    response = client.post(
        "/devices/add/",
        form_data(
            depot, drives=[typed], serial="PF2", os_name="Windows", os_version="10 Pro", updates_until="14/10/2028"
        ),
    )
    assert response.status_code == 302
    assert Device.objects.get(serial="PF2").updates_until == D(2028, 10, 14)


def test_the_device_form_refuses_a_date_that_is_not_one(client, alice, depot):
    from tests.reuse.test_device_add import SSD, form_data

    client.force_login(alice)
    response = client.post("/devices/add/", form_data(depot, drives=[SSD], updates_until="31/13/2027"))
    assert response.status_code == 200
    assert "The security updates date must be a real date" in response.content.decode()
    assert not Device.objects.exists()


def test_csv_intake_reads_the_column_with_the_files_date_format_and_fills_the_rest(db, depot, alice):
    rows = [
        laptop(1, os_name="Windows", os_version="11 Pro 23H2"),
        laptop(2, os_name="Windows", os_version="11 Pro 23H2", updates_until="03/04/2029"),
    ]
    plan = plan_import(native_csv(rows, keys=[*rows[1]]))
    assert plan.ok, plan.errors
    record = DeviceImport(file_name="t.csv", sha256="0" * 64, site=depot, uploaded_by=alice)
    devices_import(plan=plan, actor=alice, record=record)
    assert dict(Device.objects.values_list("serial", "updates_until")) == {
        "SN00001": D(2025, 11, 11),
        "SN00002": D(2029, 4, 3),
    }


def test_csv_intake_reports_a_bad_date_by_line_and_column(db):
    plan = plan_import(native_csv([laptop(1, updates_until="soon")]))
    assert not plan.ok
    assert [(p.line, p.column.split(" (")[0]) for p in plan.errors] == [(2, "Security updates until")]


def test_snipeit_exports_with_the_custom_field_keep_its_date(db):
    data = (
        b"Asset Tag,Serial,Category,Manufacturer,Model,Security updates until\r\n"
        b"IT-1,SN1,Laptops,Dell,Latitude 5490,31/01/2028\r\n"
    )
    plan = plan_import(data)
    assert plan.format == "snipeit" and plan.ok, plan.errors
    assert plan.rows[0].fields["updates_until"] == D(2028, 1, 31)


def test_filling_devices_after_adding_a_row_never_overwrites_a_recorded_date(make_device):
    unknown = make_device(make="Acme", model="Book 1", os_name="AcmeOS", serial="A1")
    recorded = make_device(make="Acme", model="Book 1", os_name="AcmeOS", serial="A2", updates_until=D(2030, 1, 1))
    assert unknown.updates_until is None
    SupportWindow.objects.create(os_name="AcmeOS", updates_until=D(2027, 6, 30), source="test")
    assert devices_fill_updates_until(Device.objects.all()) == 1
    unknown.refresh_from_db()
    recorded.refresh_from_db()
    assert (unknown.updates_until, recorded.updates_until) == (D(2027, 6, 30), D(2030, 1, 1))
