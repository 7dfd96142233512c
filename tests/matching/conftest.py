"""matching's fixtures: a coordinator's client, and ready devices of a given spec at a given site."""

import datetime

import pytest

from reuse.services.lifecycle import device_move

SAFE = datetime.date(2030, 1, 1)


@pytest.fixture
def ready_at(ready_device, alice):
    """`ready_at(site, **fields)`: a device wiped and ready, moved to `site` (a webcam and safe updates unless said)."""

    def build(site=None, **fields):
        fields.setdefault("webcam", True)
        fields.setdefault("updates_until", SAFE)
        fields.setdefault("ram_gb", 8)
        fields.setdefault("storage_gb", 256)
        device = ready_device(**fields)
        if site is not None and site != device.site:
            device_move(device=device, site=site, actor=alice, reason="To the branch")
            device.refresh_from_db()
        return device

    return build


@pytest.fixture
def coordinator(client, carl):
    client.force_login(carl)
    return client
