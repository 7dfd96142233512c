import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from reuse.models import CustodyEvent, Device, DeviceStatus
from reuse.services.audit import audit_verify
from reuse.services.lifecycle import TRANSITIONS, Step, device_move, device_transition, devices_create
from tests.factories import force_status, record_wipe, wipe_all

ALL = [s.value for s in DeviceStatus]
PAIRS = list(itertools.product(ALL, ALL))


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_every_transition_pair_follows_the_table(make_device, alice, bob, from_status, to_status):
    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    force_status(device, from_status)
    events_before = device.events.count()

    if to_status in TRANSITIONS[from_status]:
        device_transition(device=device, to_status=to_status, actor=alice, reason="test")
        device.refresh_from_db()
        assert device.status == to_status
        last = device.events.order_by("-seq").first()
        assert (last.from_status, last.to_status, last.actor_id) == (from_status, to_status, alice.pk)
        assert device.events.count() == events_before + 1
    else:
        with pytest.raises(DomainError) as err:
            device_transition(device=device, to_status=to_status, actor=alice)
        assert err.value.code == "transition_not_allowed"
        device.refresh_from_db()
        assert device.status == from_status
        assert device.events.count() == events_before


def test_final_statuses_go_nowhere():
    assert TRANSITIONS["gifted"] == TRANSITIONS["recycled"] == TRANSITIONS["destroyed"] == frozenset()


def test_cannot_mark_sanitised_without_a_wipe(make_device, alice):
    device = make_device()
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert err.value.code == "not_sanitised"
    device.refresh_from_db()
    assert device.status == "received"
    assert device.events.count() == 1


def test_every_medium_needs_its_own_passing_verified_wipe(make_device, alice, bob):
    device = make_device(media=2)
    first, second = device.media.all()
    record_wipe(device, first, operator=alice, verifier=bob)
    record_wipe(device, second, operator=alice, verifier=bob, verification="failed")
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert err.value.code == "not_sanitised"
    assert str(second) in err.value.message

    record_wipe(device, second, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)
    assert Device.objects.get(pk=device.pk).status == "sanitised"


def test_unverified_wipe_does_not_count(make_device, alice):
    device = make_device()
    record_wipe(device, device.media.get(), operator=alice, verifier=None)
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert err.value.code == "not_sanitised"


def test_laptop_with_no_media_recorded_cannot_be_sanitised(make_device, alice):
    device = make_device(media=0)
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert "No storage media" in err.value.message


def test_wipe_from_before_the_device_came_back_does_not_count(ready_device, alice, bob):
    device = ready_device()
    device_transition(device=device, to_status="received", actor=alice, reason="fault found")
    device.refresh_from_db()
    assert device.cycle == 2 and not device.wipe_stands
    with pytest.raises(DomainError) as err:
        device_transition(device=device, to_status="sanitised", actor=alice)
    assert err.value.code == "not_sanitised"
    wipe_all(device, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)
    assert Device.objects.get(pk=device.pk).sanitised_cycle == 2


def test_phone_needs_the_complete_reset_checklist(make_device, alice, bob):
    from reuse.models import ResetChecklist

    phone = make_device(kind="phone", media=0, imei="356938035643809")
    ResetChecklist.objects.create(
        device=phone,
        cycle=phone.cycle,
        encryption_on=True,
        factory_reset=True,
        activation_lock_removed=False,
        sim_removed=True,
        sd_removed=True,
        operator=alice,
        verified_by=bob,
    )
    with pytest.raises(DomainError) as err:
        device_transition(device=phone, to_status="sanitised", actor=alice)
    assert "activation lock" in err.value.message

    wipe_all(phone, operator=alice, verifier=bob)
    device_transition(device=phone, to_status="sanitised", actor=alice)
    assert Device.objects.get(pk=phone.pk).status == "sanitised"


def test_database_refuses_a_wiped_status_without_a_current_wipe(make_device):
    """Gate 2 holds even for a raw UPDATE from the shell that skips the service."""
    device = make_device()
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(status="on_loan")


def test_handout_refused_after_reentering_received(ready_device, alice):
    device = ready_device()
    Device.objects.filter(pk=device.pk).update(status="ready", cycle=2, sanitised_cycle=2)
    device.refresh_from_db()
    device.sanitised_cycle = 1  # as if a stale copy were passed in: the service re-reads the row
    device_transition(device=device, to_status="on_loan", actor=alice)
    assert Device.objects.get(pk=device.pk).status == "on_loan"


def test_stale_copy_cannot_overwrite_a_newer_status(ready_device, alice):
    device = ready_device()
    stale = Device.objects.get(pk=device.pk)
    device_transition(device=device, to_status="on_loan", actor=alice)
    with pytest.raises(DomainError) as err:
        device_transition(device=stale, to_status="reserved", actor=alice)
    assert err.value.code == "transition_not_allowed"
    assert Device.objects.get(pk=device.pk).status == "on_loan"


def test_events_form_a_hash_chain(ready_device):
    device = ready_device()
    events = list(device.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == ""
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert all(e.hash == e.compute_hash() for e in events)


def test_custody_events_are_append_only(make_device):
    event = make_device().events.get()
    event.reason = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CustodyEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError):
        CustodyEvent.objects.all().delete()


def test_move_records_a_custody_event_without_changing_status(make_device, alice, branch):
    device = make_device()
    device_move(device=device, site=branch, actor=alice)
    device.refresh_from_db()
    assert device.site == branch and device.status == "received"
    last = device.events.order_by("-seq").first()
    assert (last.from_status, last.to_status, last.site_id) == ("received", "received", branch.pk)


def test_asset_tags_are_sequential_and_upper_case(make_device, settings):
    settings.ASSET_TAG_PREFIX = "RLY"
    a, b = make_device(), make_device()
    assert a.asset_tag == "RLY-000001" and b.asset_tag == "RLY-000002"
    assert a.label_url.endswith("/d/RLY-000001")


def test_changes_are_announced_after_commit(ready_device, alice, branch, django_capture_on_commit_callbacks):
    from reuse.signals import device_changed

    seen = []

    def listener(sender, **kwargs):
        seen.append((kwargs["from_status"], kwargs["to_status"], kwargs["site_id"]))

    device_changed.connect(listener)
    try:
        device = ready_device()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            device_move(device=device, site=branch, actor=alice)
            assert seen == []  # nothing is announced before the transaction commits
        assert len(callbacks) == 1
        assert seen[-1] == ("ready", "ready", branch.pk)
    finally:
        device_changed.disconnect(listener)


def test_a_bulk_history_is_checked_step_by_step_and_sets_the_status_fields(depot, alice):
    at = timezone.now()
    returned = [Step(s, at, alice, depot, "demo") for s in ("received", "sanitised", "ready", "on_loan", "received")]
    device = Device(asset_tag="RLY-900001", kind="laptop", make="Dell", model="Latitude 5490", site=depot)
    devices_create([(device, returned)])
    device.refresh_from_db()
    # Back from a loan: a new intake cycle, and the old wipe no longer stands.
    assert (device.status, device.cycle, device.sanitised_cycle, device.wipe_stands) == ("received", 2, 1, False)
    assert [(e.from_status, e.to_status) for e in device.events.order_by("seq")] == [
        ("", "received"),
        ("received", "sanitised"),
        ("sanitised", "ready"),
        ("ready", "on_loan"),
        ("on_loan", "received"),
    ]
    assert audit_verify() == (5, [])


def test_a_bulk_history_with_an_illegal_step_writes_nothing(depot, alice):
    at = timezone.now()
    skips_the_wipe = [Step(s, at, alice, depot) for s in ("received", "ready")]
    good = Device(asset_tag="RLY-900001", kind="laptop", make="Dell", model="A", site=depot)
    bad = Device(asset_tag="RLY-900002", kind="laptop", make="Dell", model="B", site=depot)
    with pytest.raises(DomainError) as refused:
        devices_create([(good, [Step("received", at, alice, depot)]), (bad, skips_the_wipe)])
    assert refused.value.code == "transition_not_allowed"
    assert "RLY-900002" in refused.value.message
    assert not Device.objects.exists()


def test_a_move_records_the_status_the_device_has_not_the_callers_copy(ready_device, branch, alice):
    """Found by the stateful proof: moving a device from a copy read before it was reserved wrote a
    "ready" event after the "reserved" one, so the record no longer said what the device was."""
    device = ready_device()
    stale = Device.objects.get(pk=device.pk)
    device_transition(device=device, to_status="reserved", actor=alice)
    device_move(device=stale, site=branch, actor=alice, reason="Van run")
    last = Device.objects.get(pk=device.pk).events.order_by("-seq").first()
    assert (last.from_status, last.to_status, last.site_id) == ("reserved", "reserved", branch.pk)
    assert stale.status == "reserved" and Device.objects.get(pk=device.pk).status == "reserved"
    assert audit_verify()[1] == []
