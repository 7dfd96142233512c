from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core.appendonly import drop_triggers_sql
from reuse.models import APPEND_ONLY_TABLES, CustodyEvent
from reuse.services.audit import audit_verify
from reuse.services.lifecycle import device_move


def run_verify():
    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clean_chain_verifies(ready_device):
    ready_device()
    out, _ = run_verify()
    assert "All 3 custody events check out" in out


def raw_sql(sql, params):
    """What someone holding the database could send, once they have lifted its append-only triggers (the
    database owner can): the attacks below start there. The test's transaction puts the triggers back."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            for statement in drop_triggers_sql(connection.vendor, table):
                cursor.execute(statement)
        cursor.execute(sql, params)


def test_altered_event_is_caught(ready_device):
    device = ready_device()
    event = device.events.get(seq=2)
    raw_sql("UPDATE reuse_custodyevent SET reason = %s WHERE id = %s", ["nothing to see", event.pk])
    with pytest.raises(CommandError, match="1 problem"):
        run_verify()


def test_removed_event_is_caught(ready_device):
    device = ready_device()
    raw_sql("DELETE FROM reuse_custodyevent WHERE id = %s", [device.events.get(seq=2).pk])
    with pytest.raises(CommandError):
        run_verify()


def test_status_changed_behind_the_services_back_is_caught(ready_device):
    device = ready_device()
    raw_sql("UPDATE reuse_device SET status = %s WHERE id = %s", ["sanitised", device.pk])
    with pytest.raises(CommandError):
        run_verify()
    assert CustodyEvent.objects.filter(device=device).count() == 3


def forge_chain(device, steps):
    """Rewrite `device`'s whole record as `steps` (from, to), every hash recomputed: a forger with the database
    and the audit key."""
    raw_sql("DELETE FROM reuse_custodyevent WHERE device_id = %s", [device.pk])
    prev_hash = ""
    for seq, (from_status, to_status) in enumerate(steps, start=1):
        event = CustodyEvent(
            device=device,
            seq=seq,
            at=timezone.now(),
            actor=None,
            site=device.site,
            from_status=from_status,
            to_status=to_status,
            reason="",
            prev_hash=prev_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        prev_hash = event.hash
    raw_sql("UPDATE reuse_device SET status = %s, sanitised_cycle = cycle WHERE id = %s", [steps[-1][1], device.pk])


def test_valid_hashes_over_an_illegal_transition_fail_naming_the_device_and_event(make_device):
    """received -> ready skips the wipe: every hash checks out, and the audit still fails on event 2."""
    device = make_device()
    forge_chain(device, [("", "received"), ("received", "ready")])
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit", stdout=out, stderr=err)
    assert err.getvalue().strip() == (
        f"{device.asset_tag} event 2: goes from received to ready, which the lifecycle does not allow"
    )


def test_a_chain_that_does_not_start_at_received_fails(make_device):
    device = make_device()
    forge_chain(device, [("", "ready")])
    _, problems = audit_verify()
    assert [(p.asset_tag, p.seq, p.message) for p in problems] == [
        (device.asset_tag, 1, "goes from nothing to ready, which the lifecycle does not allow")
    ]


def test_a_step_that_does_not_follow_on_from_the_one_before_fails(make_device):
    """Each step is allowed on its own, but event 2 claims the device was sanitised when event 1 left it received."""
    device = make_device()
    forge_chain(device, [("", "received"), ("sanitised", "ready")])
    _, problems = audit_verify()
    assert [(p.seq, p.message) for p in problems] == [
        (2, "starts from sanitised but the event before it left the device received")
    ]


def test_moves_and_drive_notes_keep_the_status_and_pass(ready_device, depot, branch, alice):
    device = ready_device()
    device_move(device=device, site=branch, actor=alice)
    checked, problems = audit_verify()
    assert (checked, problems) == (4, [])
