"""Correcting a status change made by mistake: a new custody event goes back along it and names it; the
old one stays; verify_audit accepts exactly that and nothing more."""

import pytest

from core.errors import DomainError
from reuse.models import CustodyEvent, DeviceStatus
from reuse.services.audit import audit_verify
from reuse.services.lifecycle import (
    CORRECTABLE,
    TRANSITIONS,
    append_event,
    correctable,
    device_correct,
    device_transition,
    step_allowed,
)

S = DeviceStatus


def problems():
    return audit_verify()[1]


def test_a_mistaken_ready_goes_back_to_sanitised(ready_device, bob):
    device = ready_device()
    mistaken = correctable(device)
    assert (mistaken.from_status, mistaken.to_status) == (S.SANITISED, S.READY)
    count = device.events.count()
    correction = device_correct(device=device, event=mistaken, actor=bob, reason="Screen is cracked")
    device.refresh_from_db()
    assert device.status == S.SANITISED
    assert device.events.count() == count + 1
    assert (correction.from_status, correction.to_status) == (S.READY, S.SANITISED)
    assert correction.reason == f"Correction of event {mistaken.seq}: Screen is cracked"
    # The mistaken event is still there, unchanged.
    kept = CustodyEvent.objects.get(pk=mistaken.pk)
    assert (kept.from_status, kept.to_status, kept.hash) == (S.SANITISED, S.READY, mistaken.hash)
    assert problems() == []


def test_a_mistaken_sanitised_no_longer_counts_the_wipe(make_device, alice, bob):
    from tests.factories import wipe_all

    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    device_transition(device=device, to_status=S.SANITISED, actor=alice)
    device_correct(device=device, event=correctable(device), actor=bob, reason="Wrong device")
    device.refresh_from_db()
    assert device.status == S.RECEIVED and not device.wipe_stands
    assert problems() == []


def test_a_correction_is_made_once(ready_device, bob):
    device = ready_device()
    mistaken = correctable(device)
    device_correct(device=device, event=mistaken, actor=bob, reason="Fault")
    assert correctable(device) is None
    with pytest.raises(DomainError) as error:
        device_correct(device=device, event=mistaken, actor=bob, reason="Again")
    assert error.value.code == "not_correctable"


def test_only_the_latest_change_can_be_corrected(ready_device, bob):
    device = ready_device()
    older = device.events.get(to_status=S.SANITISED)
    with pytest.raises(DomainError) as error:
        device_correct(device=device, event=older, actor=bob, reason="Old")
    assert error.value.code == "not_correctable"


def test_a_reason_is_required(ready_device, bob):
    device = ready_device()
    with pytest.raises(DomainError) as error:
        device_correct(device=device, event=correctable(device), actor=bob, reason="  ")
    assert error.value.code == "reason_required"


def test_loans_are_not_corrected_here(lendable, borrower, issue):
    device = lendable()
    issue(device, borrower)
    device.refresh_from_db()
    assert correctable(device) is None


def test_the_correction_rule_is_the_reverse_of_a_correctable_step():
    for from_status, to_status in CORRECTABLE:
        assert to_status in TRANSITIONS[from_status]
        assert step_allowed(to_status, from_status, correcting=(from_status, to_status))
    assert not step_allowed(S.READY, S.SANITISED)
    assert not step_allowed(S.READY, S.SANITISED, correcting=(S.SANITISED, S.REPAIR))
    assert not step_allowed(S.ON_LOAN, S.READY, correcting=(S.READY, S.ON_LOAN))


def test_an_illegal_step_that_is_no_correction_still_fails_the_audit(ready_device, alice):
    device = ready_device()
    append_event(device=device, from_status=S.READY, to_status=S.SANITISED, actor=alice, site=device.site, reason="x")
    assert any("which the lifecycle does not allow" in p.message for p in problems())


def test_a_correction_naming_the_wrong_event_fails_the_audit(ready_device, alice):
    device = ready_device()
    first = device.events.get(seq=1)
    append_event(
        device=device,
        from_status=S.READY,
        to_status=S.SANITISED,
        actor=alice,
        site=device.site,
        reason=f"Correction of event {first.seq}: forged",
    )
    assert any("which the lifecycle does not allow" in p.message for p in problems())


def test_the_correction_page(client, alice, ready_device):
    device = ready_device()
    client.force_login(alice)
    page = client.get(device.get_absolute_url()).content.decode()
    assert "Correct the last status change" in page
    url = f"/devices/{device.asset_tag}/correct/"
    event = correctable(device)
    response = client.post(url, {"event": event.pk, "reason": ""})
    assert "Enter why the status change was a mistake" in response.content.decode()
    response = client.post(url, {"event": event.pk, "reason": "Battery swollen"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == S.SANITISED


def test_the_correction_page_is_for_it_staff(client, dina, ready_device):
    device = ready_device()
    client.force_login(dina)
    assert client.post(f"/devices/{device.asset_tag}/correct/", {"event": 1, "reason": "x"}).status_code == 403
