"""Relay's own CSV template: reading, every rule, and the all-or-nothing import."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.errors import DomainError
from reuse.intake.native import template_rows
from reuse.intake.plan import plan_import
from reuse.models import Counter, CustodyEvent, Device, DeviceImport, StorageMedium
from reuse.services.intake import devices_import
from tests.reuse.intake_support import laptop, native_csv, problems


def run_import(data: bytes, site, actor, **options):
    plan = plan_import(data, **options)
    record = DeviceImport(file_name="test.csv", sha256="0" * 64, site=site, uploaded_by=actor)
    devices_import(plan=plan, actor=actor, record=record)
    return record


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_reads_utf8_with_or_without_bom_and_any_line_ending(db, bom, newline):
    data = native_csv(
        [laptop(1, notes="Dent on lid"), laptop(2, model="Latitude 7400 – spare")], newline=newline, bom=bom
    )
    plan = plan_import(data)
    assert plan.ok, plan.errors
    assert plan.format == "native"
    assert [r.line for r in plan.rows] == [2, 3]
    assert plan.rows[0].fields["kind"] == "laptop"
    assert plan.rows[1].fields["model"] == "Latitude 7400 – spare"
    assert plan.rows[0].fields["ram_gb"] == 8


def test_a_quoted_value_spanning_lines_keeps_the_next_rows_line_numbers_true(db):
    data = native_csv([laptop(1, notes="line one\nline two"), laptop(2, serial="6.37702E+15")])
    plan = plan_import(data)
    assert plan.rows[0].fields["notes"] == "line one\nline two"
    assert problems(plan) == {(4, "Serial number (D)")}


def test_template_download_imports_as_its_example(db, depot, alice):
    data = ("\r\n".join(",".join(f'"{c}"' for c in row) for row in template_rows()) + "\r\n").encode()
    plan = plan_import(data)
    assert plan.ok, plan.errors
    record = run_import(data, depot, alice)
    device = Device.objects.get(asset_tag=record.first_tag)
    assert (device.kind, device.make, device.model, device.serial) == ("laptop", "Dell", "Latitude 5490", "5CG7301JQ4")
    assert (device.has_charger, device.has_case, device.webcam, device.grade) == (True, False, True, "B")
    assert device.received_at.date() == datetime.date(2025, 3, 14)
    assert list(device.media.values_list("kind", "serial", "capacity_gb")) == [("ssd", "S4DXNX0M812345", 256)]


def test_dates_are_read_as_uk_by_default_and_ambiguity_is_reported(db):
    plan = plan_import(native_csv([laptop(1, received_at="03/04/2025")]))
    assert plan.rows[0].fields["received_at"].date() == datetime.date(2025, 4, 3)
    assert len(plan.warnings) == 1
    assert plan.warnings[0].line == 2 and plan.warnings[0].column == "Received date (L)"
    assert "could be read either way" in plan.warnings[0].message and "3 April 2025" in plan.warnings[0].message


def test_a_date_that_only_works_as_us_is_an_error_naming_the_us_format(db):
    plan = plan_import(native_csv([laptop(1, received_at="01/01/2025"), laptop(2, received_at="04/23/2025")]))
    assert problems(plan) == {(3, "Received date (L)")}
    assert "choose the US date format" in plan.errors[0].message


@pytest.mark.parametrize(
    ("date_format", "text", "expected"),
    [
        ("us", "04/23/2025", datetime.date(2025, 4, 23)),
        ("us", "4/5/25", datetime.date(2025, 4, 5)),
        ("uk", "23/04/2025", datetime.date(2025, 4, 23)),
        ("iso", "2025-04-23", datetime.date(2025, 4, 23)),
        ("uk", "2025-04-23", datetime.date(2025, 4, 23)),  # unambiguous, so accepted in any format
    ],
)
def test_date_format_option(db, date_format, text, expected):
    plan = plan_import(native_csv([laptop(1, received_at=text)]), date_format=date_format)
    assert plan.ok, plan.errors
    assert plan.rows[0].fields["received_at"].date() == expected


def test_iso_format_rejects_slashed_dates_and_nonsense_dates_are_errors(db):
    plan = plan_import(
        native_csv([laptop(1, received_at="23/04/2025"), laptop(2, received_at="31/02/2025")]), date_format="iso"
    )
    assert problems(plan) == {(2, "Received date (L)"), (3, "Received date (L)")}
    plan = plan_import(native_csv([laptop(1, received_at="31/02/2025")]))
    assert "not a real date" in plan.errors[0].message


def test_received_date_in_the_future_is_refused(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    plan = plan_import(native_csv([laptop(1, received_at=f"{tomorrow:%d/%m/%Y}")]))
    assert "in the future" in plan.errors[0].message


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("serial", "Serial number (D)"),
        ("council_asset_number", "Council asset number (E)"),
        ("drive1_serial", "Drive 1 serial (J)"),
    ],
)
def test_excel_scientific_notation_is_rejected_with_a_clear_message(db, field, column):
    plan = plan_import(native_csv([laptop(1), laptop(2, **{field: "6.37702E+15"})]))
    assert problems(plan) == {(3, column)}
    assert "Excel has turned into scientific notation" in plan.errors[0].message
    assert "6.37702E+15" in plan.errors[0].message


def test_imei_is_luhn_checked_and_excel_mangling_caught(db):
    good = "490154203237518"
    plan = plan_import(
        native_csv(
            [
                {"kind": "phone", "make": "Samsung", "model": "Galaxy A52", "imei": "49-015420-323751-8"},
                {"kind": "phone", "make": "Samsung", "model": "Galaxy A52", "imei": "490154203237519"},
                {"kind": "phone", "make": "Samsung", "model": "Galaxy A52", "imei": "3.54962E+14"},
            ]
        )
    )
    assert plan.rows[0].fields["imei"] == good
    assert problems(plan) == {(3, "IMEI (D)"), (4, "IMEI (D)")}
    assert "check digit" in plan.rows[1].errors[0].message


def test_bad_values_name_their_line_and_column(db):
    plan = plan_import(native_csv([laptop(1, kind="toaster", ram_gb="lots", grade="Z", storage_type="tape")]))
    assert problems(plan) == {(2, "Type (A)"), (2, "RAM (GB) (F)"), (2, "Grade (L)"), (2, "Storage type (H)")}


def test_required_columns_and_cells(db):
    plan = plan_import(native_csv([laptop(1, make="")]))
    assert problems(plan) == {(2, "Make (B)")}
    plan = plan_import(b"Type,Model,Serial number\r\nlaptop,X1,SN1\r\n")
    assert not plan.ok and plan.format == ""
    assert "neither Relay's intake template" in plan.errors[0].message


def test_unknown_duplicate_and_blank_headings(db):
    data = (
        b"Type,Make,Model,Serial num,Serial number,serial,,\r\nlaptop,Dell,X,a,b,c,,\r\nlaptop,Dell,Y,d,e,f,,oops\r\n"
    )
    plan = plan_import(data)
    assert problems(plan) == {(1, "Serial num (D)"), (1, "serial (F)"), (3, "H (no heading)")}
    assert "also the heading of column E" in next(p.message for p in plan.errors if p.column == "serial (F)")


def test_a_row_with_more_cells_than_headings_is_reported(db):
    plan = plan_import(b"Type,Make,Model,Serial number\r\nlaptop,Dell,Latitude 5490,SN1,Lenovo\r\n")
    assert problems(plan) == {(2, "E")}


def test_every_row_needs_something_to_recognise_it_by(db):
    plan = plan_import(
        native_csv([{"kind": "laptop", "make": "Dell", "model": "X"}], keys=["kind", "make", "model", "serial"])
    )
    assert problems(plan) == {(2, "Serial number (D)")}


def test_bytes_that_are_not_utf8_are_reported_where_they_are(db):
    data = native_csv([laptop(1), laptop(2, model="Caf\u00e9 PC")]).replace("Café".encode(), b"Caf\xe9")
    plan = plan_import(data)
    assert problems(plan) == {(3, "Model (C)")}
    assert "not UTF-8" in plan.errors[0].message


def test_duplicate_serials_within_the_file(db):
    plan = plan_import(native_csv([laptop(1), laptop(2), laptop(3, serial="SN00001")]))
    assert problems(plan) == {(4, "Serial number (D)")}
    assert "also on line 2" in plan.errors[0].message


def test_duplicate_drive_serials_within_the_file(db):
    plan = plan_import(native_csv([laptop(1), laptop(2, drive1_serial="DRV00001")]))
    assert problems(plan) == {(3, "Drive 1 serial (J)")}


def test_a_serial_already_on_a_different_device_is_rejected(db, make_device):
    existing = make_device(serial="SN00002", make="Lenovo", model="ThinkPad T480")
    plan = plan_import(native_csv([laptop(1), laptop(2)]))
    assert problems(plan) == {(3, "Serial number (D)")}
    assert existing.asset_tag in plan.errors[0].message and "ThinkPad T480" in plan.errors[0].message


def test_importing_the_same_file_twice_creates_nothing_the_second_time(db, depot, alice):
    data = native_csv([laptop(n) for n in range(1, 6)])
    first = run_import(data, depot, alice)
    assert (first.created_count, first.skipped_count) == (5, 0)
    Device.objects.filter(serial="SN00003").update(ram_gb=16, grade="A", notes="Upgraded")  # edited since
    plan = plan_import(data)
    assert plan.ok and len(plan.to_create) == 0
    assert {r.existing for r in plan.already_imported} == set(Device.objects.values_list("asset_tag", flat=True))
    second = run_import(data, depot, alice)
    assert (second.created_count, second.skipped_count) == (0, 5)
    assert Device.objects.count() == 5 and StorageMedium.objects.count() == 5 and CustodyEvent.objects.count() == 5


def test_a_file_with_old_and_new_rows_creates_only_the_new(db, depot, alice):
    run_import(native_csv([laptop(1), laptop(2)]), depot, alice)
    record = run_import(native_csv([laptop(1), laptop(2), laptop(3)]), depot, alice)
    assert (record.created_count, record.skipped_count) == (1, 2)
    assert Device.objects.filter(serial="SN00003").exists()


def test_imported_devices_are_received_with_a_first_custody_event_and_their_drives(db, depot, alice):
    data = native_csv([laptop(1), laptop(2, drive2_kind="hdd", drive2_serial="HDD2", drive2_capacity_gb="1TB")])
    record = run_import(data, depot, alice, lot="LOT-7")
    devices = list(Device.objects.order_by("asset_tag"))
    assert [d.status for d in devices] == ["received", "received"]
    assert [d.asset_tag for d in devices] == [record.first_tag, record.last_tag]
    assert {d.lot for d in devices} == {"LOT-7"}
    assert all(d.site == depot and d.created_by == alice for d in devices)
    assert list(devices[1].media.values_list("kind", "capacity_gb")) == [("ssd", 256), ("hdd", 1000)]
    for device in devices:
        event = device.events.get()
        assert (event.seq, event.from_status, event.to_status, event.actor, event.site) == (
            1,
            "",
            "received",
            alice,
            depot,
        )
        assert event.reason == f"Received: CSV intake #{record.pk}"
        assert event.hash == event.compute_hash()
    call_command("verify_audit")


def test_a_drive_without_a_type_takes_the_devices_storage_type_or_is_an_error(db):
    plan = plan_import(native_csv([laptop(1, drive1_kind=""), laptop(2, drive1_kind="", storage_type="")]))
    assert plan.rows[0].media[0]["kind"] == "ssd"
    assert problems(plan) == {(3, "Drive 1 type (I)")}


def test_one_bad_row_means_nothing_is_imported(db, depot, alice):
    plan = plan_import(native_csv([laptop(1), laptop(2), laptop(3, ram_gb="eight")]))
    record = DeviceImport(file_name="x.csv", sha256="0" * 64, site=depot, uploaded_by=alice)
    with pytest.raises(DomainError) as err:
        devices_import(plan=plan, actor=alice, record=record)
    assert err.value.code == "import_invalid"
    assert Device.objects.count() == 0 and DeviceImport.objects.count() == 0


def test_a_clash_found_only_while_writing_rolls_everything_back(db, depot, alice, make_device):
    plan = plan_import(native_csv([laptop(1), laptop(2)]))
    assert plan.ok
    make_device(serial="SN00002")  # someone registers one of them between the check and the write
    tags_before = Counter.objects.get(name="asset_tag").value
    record = DeviceImport(file_name="x.csv", sha256="0" * 64, site=depot, uploaded_by=alice)
    with pytest.raises(DomainError) as err:
        devices_import(plan=plan, actor=alice, record=record)
    assert err.value.code == "import_conflict"
    assert Device.objects.count() == 1 and DeviceImport.objects.count() == 0
    assert Counter.objects.get(name="asset_tag").value == tags_before
