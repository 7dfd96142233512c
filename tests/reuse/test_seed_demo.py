from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reuse.models import CustodyEvent, Device, DeviceStatus


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"devices": 120, "borrowers": 8, "requests": 0, **options})
    return out.getvalue()


def test_demo_spreads_devices_across_the_lifecycle_with_a_sound_record(db):
    output = seed()
    assert Device.objects.count() >= 120
    statuses = set(Device.objects.values_list("status", flat=True))
    assert {DeviceStatus.RECEIVED, DeviceStatus.READY, DeviceStatus.SANITISED, DeviceStatus.ON_LOAN} <= statuses
    assert "alice" in output and "relay-demo-2026" in output
    call_command("verify_audit", stdout=StringIO())  # raises CommandError if any chain is broken
    assert CustodyEvent.objects.count() > Device.objects.count()


def test_demo_can_be_loaded_twice(db):
    seed()
    first = Device.objects.count()
    seed()
    assert Device.objects.count() == first + 120  # --devices more; the one fixture laptop is not repeated
    call_command("verify_audit", stdout=StringIO())


def test_if_empty_leaves_a_filled_database_alone(db):
    seed()
    before = Device.objects.count()
    assert "nothing to do" in seed(if_empty=True)
    assert Device.objects.count() == before


def test_absurd_counts_are_refused(db):
    with pytest.raises(CommandError, match="--devices must be between 0 and 1,000,000"):
        seed(devices=-1)
    assert Device.objects.count() == 0
