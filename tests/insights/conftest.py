"""Devices with whole histories dated in the past (bulk-written as intake and the demo write them), so
figures spread over several months without waiting for them."""

import datetime

import pytest
from django.utils import timezone

from reuse.models import Device, DeviceStatus
from reuse.services.devices import allocate_asset_tags
from reuse.services.lifecycle import Step, devices_create

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
        received = received or at(2026, 1, 5)
        site = site or depot
        where = where or {}
        steps = [Step(S.RECEIVED, received, alice, site, "Received from council IT")]
        moment = received
        for status in path:
            moment = moment + datetime.timedelta(days=gap_days)
            steps.append(Step(status, moment, alice, where.get(status, site), ""))
        device = Device(
            asset_tag=allocate_asset_tags(1)[0],
            kind=kind,
            make="Dell",
            model="Latitude",
            site=site,
            received_at=received,
        )
        return devices_create([(device, steps)])[0]

    return build
