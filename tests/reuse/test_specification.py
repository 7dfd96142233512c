"""A device's specification and its drives read naturally whatever is unknown: never ", 8 GB RAM"."""

import pytest

from reuse.models import Device, StorageMedium


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"cpu": "Intel i5", "ram_gb": 8}, "Intel i5, 8 GB RAM"),
        ({"ram_gb": 8}, "8 GB RAM"),
        ({"cpu": "  ", "ram_gb": 8, "storage_gb": 256, "storage_type": "nvme"}, "8 GB RAM, 256 GB NVMe SSD"),
        ({"storage_gb": 128}, "128 GB storage"),
        ({}, ""),
    ],
)
def test_specification_leaves_out_what_is_unknown(fields, expected):
    assert Device(**fields).specification == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"kind": "ssd", "make": "Samsung", "model": "870 EVO", "capacity_gb": 256},
            "SATA SSD Samsung 870 EVO, 256 GB",
        ),
        ({"kind": "ssd", "make": "Samsung", "capacity_gb": 256}, "SATA SSD Samsung, 256 GB"),
        ({"kind": "hdd"}, "Hard disk (HDD)"),
    ],
)
def test_drive_description_leaves_out_what_is_unknown(fields, expected):
    assert StorageMedium(**fields).description == expected


def test_device_page_shows_no_empty_specification(client, alice, make_device):
    device = make_device(ram_gb=8)
    client.force_login(alice)
    page = client.get(device.get_absolute_url()).content.decode()
    assert "8 GB RAM" in page and ", 8 GB RAM" not in page
    assert 'Operating system</dt><dd class="govuk-summary-list__value">Not recorded' in page
