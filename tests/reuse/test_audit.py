from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reuse.models import CustodyEvent


def run_verify():
    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clean_chain_verifies(ready_device):
    ready_device()
    out, _ = run_verify()
    assert "All 3 custody events check out" in out


def raw_sql(sql, params):
    with connection.cursor() as cursor:
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
