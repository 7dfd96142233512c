import pytest

from reuse.models import LabelTemplate, Printer
from tests.factories import received_devices


@pytest.fixture
def many_devices(depot, alice):
    """`many_devices(n)`: n freshly received devices, written in bulk with their first custody events."""

    def build(count: int, **fields):
        return received_devices(count, site=depot, actor=alice, **fields)

    return build


@pytest.fixture
def l7160(db):
    return LabelTemplate.objects.get(code="L7160")


@pytest.fixture
def depot_printer(depot, l7160):
    return Printer.objects.create(
        name="Depot laser", site=depot, default_template=l7160, offset_x_mm="1.50", offset_y_mm="-1.00"
    )
