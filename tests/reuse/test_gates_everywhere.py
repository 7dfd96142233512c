"""Gate 1 (sanitised needs every drive's passing, verified wipe in this intake cycle) and gate 2 (on loan,
reserved and gifted only from a device whose wipe stands) hold from every way into Relay.

Entry points covered elsewhere, not repeated here:
- the status-change view, gate 1: tests/reuse/test_sanitisation_pages.py
  `test_gate_problems_are_listed_when_the_change_is_refused`; gate 2:
  `test_lending_statuses_are_not_offered_or_accepted`
- the service itself, every (from, to) pair: tests/reuse/test_lifecycle.py
  `test_every_transition_pair_follows_the_table`
- the batch "mark sanitised": tests/reuse/test_sanitisation_batch.py
  `test_mark_sanitised_moves_the_ones_that_pass_and_names_the_rest` (one unwiped device in a lot stays received)
- a raw ORM UPDATE of a never-wiped device: tests/reuse/test_lifecycle.py
  `test_database_refuses_a_wiped_status_without_a_current_wipe`
- lending a device that was never wiped: tests/lending/test_loans.py `test_unwiped_device_cannot_be_lent`
  and the desk page: tests/lending/test_desk.py (the "unwiped" case)
"""

import csv
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.forms import MultiWidget

from core.errors import DomainError
from lending.services.loans import loan_issue, loan_return
from reuse.models import CustodyEvent, Device, SanitisationRecord
from reuse.services.lifecycle import device_move, device_transition
from reuse.services.sanitisation import batch_mark_sanitised, sanitisation_verify
from tests.reuse.intake_support import laptop, native_csv
from tests.reuse.nwipe_support import laptop_serials, one_drive_log

pytestmark = pytest.mark.usefixtures("media_root")


def gate1_refuses(device, actor):
    with pytest.raises(DomainError) as error:
        device_transition(device=device, to_status="sanitised", actor=actor)
    assert error.value.code == "not_sanitised"
    assert Device.objects.get(pk=device.pk).status == "received"


# The batch "mark sanitised" after a bulk confirm -----------------------------------------------------


def test_batch_mark_skips_a_device_whose_only_wipe_the_operator_confirmed_themselves(make_device, alice, settings):
    """The bulk confirm and the batch both go through the services: a wipe alice tried to confirm herself
    stays unverified, so the batch cannot move her device."""
    device = make_device()
    from tests.factories import record_wipe

    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    with pytest.raises(DomainError):
        sanitisation_verify(record=record, actor=alice, confirm=True)
    outcome = batch_mark_sanitised(devices=[device], actor=alice)
    assert outcome.done == [] and outcome.failed[0][1].code == "not_sanitised"
    assert Device.objects.get(pk=device.pk).status == "received"


# The Django admin ------------------------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """What the admin change form would post back unchanged: every field and inline, as rendered."""
    data = {}

    def add(form):
        for bound in form:
            value, widget = bound.value(), bound.field.widget
            if isinstance(widget, MultiWidget):  # the admin's split date and time
                parts = widget.decompress(value) if not isinstance(value, list) else value
                for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=True):
                    data[bound.html_name + suffix] = sub.format_value(part) or ""
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = bound.field.widget.format_value(value) or ""

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.mark.parametrize("status", ["sanitised", "on_loan", "ready"])
def test_admin_cannot_change_status(client, ada, make_device, status):
    """Two layers hold this: Device.status is `editable=False` (no model form offers it) and DeviceAdmin lists
    it read-only; a hand-made POST with a status is ignored while the rest of the edit saves."""
    device = make_device()
    url = f"/admin/reuse/device/{device.pk}/change/"
    client.force_login(ada)
    data = admin_form_data(client.get(url))
    assert "status" not in data  # read-only: not even a field of the form
    response = client.post(url, {**data, "status": status, "model": "Latitude 5490 (corrected)"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    device.refresh_from_db()
    assert device.model == "Latitude 5490 (corrected)"  # the edit went through ...
    assert device.status == "received"  # ... the status did not
    assert not CustodyEvent.objects.filter(device=device, to_status=status).exists()


# import_devices ----------------------------------------------------------------------------------------


def test_native_template_with_a_status_column_is_refused_not_obeyed(db, depot, tmp_path):
    path = tmp_path / "with-status.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Type", "Make", "Model", "Serial number", "Drive 1 type", "Drive 1 serial", "Status"])
    writer.writerow(["laptop", "Dell", "Latitude 5490", "SN00001", "ssd", "DRV00001", "ready"])
    path.write_text(out.getvalue())
    with pytest.raises(CommandError) as error:
        call_command("import_devices", str(path))
    assert "Status" in str(error.value)  # named as a column the template does not have
    assert not Device.objects.exists()


def test_snipe_it_export_status_is_ignored_and_devices_arrive_received(db, depot, tmp_path):
    path = tmp_path / "snipe-it.csv"
    path.write_text(
        "Asset Tag,Serial,Category,Manufacturer,Model,Status\r\n"
        "ICC-1,5CG1,Laptops,HP,EliteBook 840 G5,Ready to Deploy\r\n"
        "ICC-2,5CG2,Laptops,HP,EliteBook 840 G5,Deployed\r\n"
    )
    call_command("import_devices", str(path))
    assert set(Device.objects.values_list("status", "sanitised_cycle")) == {("received", None)}
    assert set(CustodyEvent.objects.values_list("to_status", flat=True)) == {"received"}


def test_native_import_lands_in_received_and_the_gate_still_needs_a_wipe(db, depot, alice, tmp_path):
    path = tmp_path / "laptops.csv"
    path.write_bytes(native_csv([laptop(1), laptop(2)]))
    call_command("import_devices", str(path))
    for device in Device.objects.all():
        assert (device.status, device.sanitised_cycle) == ("received", None)
        gate1_refuses(device, alice)


# import_wipe_log ---------------------------------------------------------------------------------------


@pytest.fixture
def vostro(make_device):
    from reuse.models import StorageMedium

    serial, drive = laptop_serials(1)
    device = make_device(make="Dell", model="Vostro 5581", serial=serial, media=0)
    StorageMedium.objects.create(device=device, kind="nvme", serial=drive, capacity_gb=256)
    return device


@pytest.mark.parametrize("failure", ["drive_failed", "verify_errors", "verify_off"])
def test_a_failing_wipe_log_never_lets_the_device_become_sanitised(vostro, alice, bob, tmp_path, failure):
    log = one_drive_log(system_serial=vostro.serial, drive_serial=vostro.media.get().serial, n=1)
    log = {
        "drive_failed": log.replace(b"   nvme0n1 | Erased |", b"!  nvme0n1 |-FAILED-|"),
        "verify_errors": log.replace(
            b"   nvme0n1 |           0 |                    0 |", b"!  nvme0n1 |           0 |                    3 |"
        ),
        "verify_off": log.replace(b"verify   = 1 (last pass)", b"verify   = 0 (off)"),
    }[failure]
    path = tmp_path / "nwipe.log"
    path.write_bytes(log)
    call_command("import_wipe_log", str(path), "--operator", "alice")
    record = SanitisationRecord.objects.get(device=vostro)
    assert not (record.result == "passed" and record.verification_result == "passed")
    with pytest.raises(DomainError) as error:
        sanitisation_verify(record=record, actor=bob, confirm=True)
    assert error.value.code == "not_verifiable"
    gate1_refuses(vostro, alice)
    assert batch_mark_sanitised(devices=[vostro], actor=bob).done == []


def test_a_refused_wipe_log_records_nothing_and_the_gate_holds(vostro, alice, tmp_path):
    log = one_drive_log(system_serial=vostro.serial, drive_serial=vostro.media.get().serial, n=1)
    path = tmp_path / "partial.log"
    path.write_bytes(log[: log.index(b"   nvme0n1 | Erased")])
    with pytest.raises(CommandError):
        call_command("import_wipe_log", str(path), "--operator", "alice")
    assert not SanitisationRecord.objects.exists()
    gate1_refuses(vostro, alice)


def test_an_imported_passing_log_still_needs_the_second_technician(vostro, alice, bob, tmp_path):
    path = tmp_path / "nwipe.log"
    path.write_bytes(one_drive_log(system_serial=vostro.serial, drive_serial=vostro.media.get().serial, n=1))
    call_command("import_wipe_log", str(path), "--operator", "alice")
    gate1_refuses(vostro, alice)
    sanitisation_verify(record=SanitisationRecord.objects.get(device=vostro), actor=bob, confirm=True)
    device_transition(device=vostro, to_status="sanitised", actor=alice)
    assert Device.objects.get(pk=vostro.pk).status == "sanitised"


# The lending desk: a wipe from an earlier cycle does not count -------------------------------------


def lend(device, borrower, branch, dina):  # noqa: F811 - the fixture's value, passed in
    return loan_issue(
        device=device,
        borrower=borrower,
        site=branch,
        actor=dina,
        idempotency_key=uuid.uuid4(),
        signature_method="paper",
        signature_png=None,
    )


def test_a_returned_device_cannot_be_lent_again_until_wiped_again(lendable, borrower, branch, dina, alice, bob):  # noqa: F811
    device = lendable()
    loan = lend(device, borrower, branch, dina)
    loan_return(loan=loan, actor=dina, site=branch)
    device.refresh_from_db()
    assert device.status == "received" and device.sanitised_cycle == device.cycle - 1
    with pytest.raises(DomainError) as error:
        lend(device, borrower, branch, dina)
    assert error.value.code == "not_sanitised"
    assert Device.objects.get(pk=device.pk).status == "received"


def test_a_device_forced_to_ready_with_an_old_wipe_is_refused_by_the_database(lendable, borrower, branch, dina):  # noqa: F811
    device = lendable()
    loan_return(loan=lend(device, borrower, branch, dina), actor=dina, site=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(status="ready")  # shell shortcut past the wipe
    assert Device.objects.get(pk=device.pk).status == "received"


# A raw ORM update from the shell ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["on_loan", "reserved", "gifted", "sanitised", "ready"])
def test_raw_update_to_a_wiped_status_after_the_device_came_back_is_refused(ready_device, alice, status):
    """The never-wiped case is test_lifecycle's; this is the stale-cycle one: wiped once, then back."""
    device = ready_device()
    device_transition(device=device, to_status="received", actor=alice, reason="fault found")
    device.refresh_from_db()
    assert device.sanitised_cycle == device.cycle - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(status=status)
    assert Device.objects.get(pk=device.pk).status == "received"


def test_moving_a_device_never_changes_its_status(make_device, alice, branch):
    device = make_device()
    device_move(device=device, site=branch, actor=alice, reason="To the branch")
    assert Device.objects.get(pk=device.pk).status == "received"
    gate1_refuses(device, alice)
