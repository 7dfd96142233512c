import pytest

from reuse.models import Device, LabelTemplate, Printer
from reuse.services.lifecycle import allocate_asset_tags, build_events

MODELS = [("laptop", "Dell", "Latitude 5490"), ("tablet", "Apple", "iPad (8th generation)"),
          ("phone", "Samsung", "Galaxy A52"), ("laptop", "Lenovo", "ThinkPad X1 Carbon Gen 6")]


@pytest.fixture
def many_devices(depot, alice):
    """`many_devices(n)`: n freshly received devices, written in bulk with their first custody events."""

    def build(count: int, **fields):
        devices = []
        for number, tag in enumerate(allocate_asset_tags(count)):
            kind, make, model = MODELS[number % len(MODELS)]
            devices.append(Device(asset_tag=tag, kind=kind, make=make, model=model, site=depot, created_by=alice,
                                  **fields))
        Device.objects.bulk_create(devices)
        from reuse.models import CustodyEvent

        CustodyEvent.objects.bulk_create(build_events(devices, actor=alice, reason="Received from council IT"))
        return devices

    return build


@pytest.fixture
def l7160(db):
    return LabelTemplate.objects.get(code="L7160")


@pytest.fixture
def depot_printer(depot, l7160):
    return Printer.objects.create(name="Depot laser", site=depot, default_template=l7160, offset_x_mm="1.50",
                                  offset_y_mm="-1.00")
