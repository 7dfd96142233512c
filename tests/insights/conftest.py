"""Devices with whole histories dated in the past (bulk-written as intake and the demo write them), so
figures spread over several months without waiting for them."""

import datetime

import pytest
from django.utils import timezone

from reuse.models import DeviceStatus
from tests.factories import device_with_history

S = DeviceStatus
# Paths through the lifecycle, from received: each next status one step later.
LENT = (S.SANITISED, S.READY, S.ON_LOAN)
GIFTED = (S.SANITISED, S.READY, S.RESERVED, S.GIFTED)
RETURNED = (S.SANITISED, S.READY, S.ON_LOAN, S.RECEIVED)
RECYCLED = (S.RECYCLED,)
DESTROYED = (S.DESTROYED,)


def at(year: int, month: int, day: int = 10, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def history(depot, alice):
    """`history(kind, received, path, *, gap_days=1, site=depot, where={status: site})`: one device received
    at `received` (a datetime) that then follows `path`, one status every `gap_days` days."""

    def build(kind="laptop", received=None, path=(), *, gap_days=1, site=None, where=None):
        return device_with_history(
            kind=kind,
            received_at=received or at(2026, 1, 5),
            path=path,
            actor=alice,
            site=site or depot,
            gap_days=gap_days,
            where=where,
        )

    return build
