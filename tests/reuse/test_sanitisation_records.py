"""Recording wipes and reset checklists, second-person verification, and drives on a device."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError
from reuse.models import CustodyEvent, ResetChecklist, SanitisationRecord, StorageMedium
from reuse.services.lifecycle import device_transition
from reuse.services.sanitisation import (
    medium_add,
    medium_remove,
    reset_checklist_record,
    reset_checklist_verify,
    sanitisation_record,
    sanitisation_verify,
)
from tests.factories import record_wipe, wipe_all

ITEMS = dict.fromkeys(ResetChecklist.ITEMS, True)


def wipe(device, medium, actor, **overrides):
    start = timezone.now() - datetime.timedelta(hours=2)
    fields = dict(
        category="clear",
        technique="overwrite",
        tool="nwipe",
        tool_version="0.35",
        rounds=1,
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1),
        result="passed",
        verification_method="Read back last pass",
        verification_result="passed",
    )
    return sanitisation_record(device=device, medium=medium, actor=actor, **{**fields, **overrides})


def test_operator_is_the_technician_and_the_wipe_counts_only_once_verified(make_device, alice, bob):
    device = make_device()
    record = wipe(device, device.media.get(), alice)
    assert (record.operator, record.verified_by, record.cycle) == (alice, None, device.cycle)
    with pytest.raises(DomainError):
        device_transition(device=device, to_status="sanitised", actor=alice)

    sanitisation_verify(record=record, actor=bob, confirm=True)
    record.refresh_from_db()
    assert record.verified_by == bob and record.verified_at is not None and record.is_passing
    device_transition(device=device, to_status="sanitised", actor=alice)


def test_operator_cannot_verify_their_own_wipe(make_device, alice):
    device = make_device()
    record = wipe(device, device.media.get(), alice)
    with pytest.raises(DomainError) as err:
        sanitisation_verify(record=record, actor=alice, confirm=True)
    assert err.value.code == "verifier_is_operator"
    assert SanitisationRecord.objects.get(pk=record.pk).verified_by is None


def test_one_person_depot_may_verify_their_own_when_configured(make_device, alice, settings):
    settings.SANITISATION_SEPARATE_VERIFIER = False
    device = make_device()
    record = sanitisation_verify(record=wipe(device, device.media.get(), alice), actor=alice, confirm=True)
    assert record.verified_by == alice


def test_a_failed_wipe_cannot_be_confirmed(make_device, alice, bob):
    device = make_device()
    record = wipe(device, device.media.get(), alice, verification_result="failed")
    with pytest.raises(DomainError) as err:
        sanitisation_verify(record=record, actor=bob, confirm=True)
    assert err.value.code == "not_verifiable"


def test_rejecting_marks_verification_failed_with_the_reason(make_device, alice, bob):
    device = make_device()
    record = sanitisation_verify(
        record=wipe(device, device.media.get(), alice),
        actor=bob,
        confirm=False,
        reason="Log shows a different drive serial",
    )
    record.refresh_from_db()
    assert (record.verification_result, record.verified_by) == ("failed", bob)
    assert "Rejected by Bob" in record.notes and "different drive serial" in record.notes
    assert not record.is_passing


def test_a_wipe_is_verified_once(make_device, alice, bob, ada):
    device = make_device()
    record = wipe(device, device.media.get(), alice)
    sanitisation_verify(record=record, actor=bob, confirm=True)
    stale = SanitisationRecord.objects.get(pk=record.pk)
    stale.verified_by = None
    with pytest.raises(DomainError) as err:
        sanitisation_verify(record=stale, actor=ada, confirm=False, reason="late")
    assert err.value.code == "already_verified"
    assert SanitisationRecord.objects.get(pk=record.pk).verified_by == bob


def test_a_wipe_from_an_earlier_intake_cannot_be_verified(ready_device, alice, bob):
    device = ready_device()
    old = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    device_transition(device=device, to_status="received", actor=alice, reason="fault found")
    with pytest.raises(DomainError) as err:
        sanitisation_verify(record=old, actor=bob, confirm=True)
    assert err.value.code == "record_stale"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ended_at": timezone.now() - datetime.timedelta(days=3)}, "wipe_times"),
        ({"ended_at": timezone.now() + datetime.timedelta(hours=1)}, "wipe_times"),
        ({"category": "destroy"}, "wipe_category"),
        ({"rounds": 0}, "wipe_rounds"),
    ],
)
def test_bad_wipe_details_are_refused(make_device, alice, overrides, code):
    device = make_device()
    with pytest.raises(DomainError) as err:
        wipe(device, device.media.get(), alice, **overrides)
    assert err.value.code == code
    assert SanitisationRecord.objects.count() == 0


def test_wipes_are_recorded_only_while_received(ready_device, alice):
    device = ready_device()
    with pytest.raises(DomainError) as err:
        wipe(device, device.media.get(), alice)
    assert err.value.code == "not_received"


def test_a_wipe_started_before_the_device_came_back_is_refused(ready_device, alice):
    device = ready_device()
    device_transition(device=device, to_status="received", actor=alice, reason="returned")
    device.refresh_from_db()
    start = device.status_changed_at - datetime.timedelta(minutes=30)
    with pytest.raises(DomainError) as err:
        wipe(device, device.media.get(), alice, started_at=start, ended_at=start + datetime.timedelta(minutes=20))
    assert err.value.code == "wipe_times" and "came back" in err.value.message


def test_a_removed_drive_or_another_devices_drive_is_refused(make_device, alice):
    device, other = make_device(), make_device()
    with pytest.raises(DomainError) as err:
        wipe(device, other.media.get(), alice)
    assert err.value.code == "medium_not_on_device"


# Drives -------------------------------------------------------------------------------------------


def test_adding_a_drive_is_in_the_custody_record_and_blocks_the_gate_until_wiped(make_device, alice, bob):
    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    extra = medium_add(device=device, actor=alice, kind="hdd", make="Seagate", serial="ZA1234", capacity_gb=1000)
    assert CustodyEvent.objects.filter(device=device, reason__startswith="Storage added").count() == 1
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert "ZA1234" in err.value.message
    record_wipe(device, extra, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)


def test_drives_cannot_be_added_once_sanitised(ready_device, alice):
    """A drive slipped in after the wipe would reach a resident unwiped."""
    device = ready_device()
    with pytest.raises(DomainError) as err:
        medium_add(device=device, actor=alice, kind="ssd", serial="NEW1")
    assert err.value.code == "not_received"
    assert device.media.count() == 1


def test_duplicate_serial_on_one_device_is_refused(make_device, alice):
    device = make_device()
    with pytest.raises(DomainError) as err:
        medium_add(device=device, actor=alice, kind="ssd", serial=device.media.get().serial.lower())
    assert err.value.code == "medium_duplicate"


def test_removing_a_drive_keeps_its_records_and_frees_the_gate(make_device, alice, bob):
    device = make_device(media=2)
    first, second = device.media.all()
    record_wipe(device, first, operator=alice, verifier=bob)
    record_wipe(device, second, operator=alice, verifier=bob, result="failed")
    medium_remove(medium=second, actor=alice, reason="Failed drive shredded")
    assert StorageMedium.objects.get(pk=second.pk).removed_at is not None
    assert second.sanitisations.count() == 1
    assert CustodyEvent.objects.filter(device=device, reason__contains="Failed drive shredded").exists()
    device_transition(device=device, to_status="sanitised", actor=alice)
    with pytest.raises(DomainError) as err:
        medium_remove(medium=second, actor=alice, reason="again")
    assert err.value.code == "medium_already_removed"


# Reset checklists ---------------------------------------------------------------------------------


def test_phone_checklist_needs_a_second_person_and_every_item(make_device, alice, bob):
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    partial = reset_checklist_record(device=phone, actor=alice, **{**ITEMS, "sim_removed": False})
    with pytest.raises(DomainError) as err:
        reset_checklist_verify(checklist=partial, actor=bob)
    assert err.value.code == "checklist_incomplete"

    done = reset_checklist_record(device=phone, actor=alice, **ITEMS)
    with pytest.raises(DomainError) as err:
        reset_checklist_verify(checklist=done, actor=alice)
    assert err.value.code == "verifier_is_operator"
    reset_checklist_verify(checklist=done, actor=bob)
    device_transition(device=phone, to_status="sanitised", actor=alice)


def test_laptops_do_not_take_a_reset_checklist(make_device, alice):
    with pytest.raises(DomainError) as err:
        reset_checklist_record(device=make_device(), actor=alice, **ITEMS)
    assert err.value.code == "checklist_not_needed"
