"""Environmental impact: The Restart Project's per-category weights and footprints. Pure code.

One source per device type, never mixed: each type Relay counts has exactly one factor here, all from
the same source, and a type with no factor (hotspots, "other") is left out of the impact figures rather
than given someone else's number. The method page (`/open-data/method/`) prints this table and cites it.

The Restart Project counts a reused device as keeping its whole weight out of the waste stream, and as
avoiding its manufacturing footprint times a displacement factor of 0.5 (the share of reused devices
assumed to stand in for a new purchase).
"""

from dataclasses import dataclass
from decimal import Decimal

from reuse.models import DeviceKind

SOURCE_NAME = "The Restart Project"
SOURCE_TITLE = "Fixometer impact methodology: device category weights and CO2e footprints, displacement factor"
SOURCE_URL = "https://therestartproject.org/"
SOURCE_CODE_URL = "https://github.com/TheRestartProject/restarters.net"
DISPLACEMENT = Decimal("0.5")


@dataclass(frozen=True)
class Factor:
    kind: str
    category: str  # The Restart Project's category name
    weight_kg: Decimal
    footprint_kgco2e: Decimal

    @property
    def co2e_avoided_kg(self) -> Decimal:
        return self.footprint_kgco2e * DISPLACEMENT


FACTORS: dict[str, Factor] = {
    f.kind: f
    for f in (
        Factor(DeviceKind.LAPTOP, "Laptop medium", Decimal("1.83"), Decimal("265.32")),
        Factor(DeviceKind.TABLET, "Tablet", Decimal("0.77"), Decimal("114.49")),
        Factor(DeviceKind.PHONE, "Mobile", Decimal("0.15"), Decimal("50.51")),
        Factor(DeviceKind.DESKTOP, "Desktop computer", Decimal("6.69"), Decimal("414.17")),
    )
}
# Types no source gives a figure for: their devices are counted as reused, never as impact.
UNCOUNTED_KINDS = tuple(kind for kind in DeviceKind if kind not in FACTORS)


@dataclass(frozen=True)
class Impact:
    devices: int
    ewaste_kg: Decimal
    co2e_kg: Decimal

    def __add__(self, other: "Impact") -> "Impact":
        return Impact(self.devices + other.devices, self.ewaste_kg + other.ewaste_kg, self.co2e_kg + other.co2e_kg)


NONE = Impact(0, Decimal(0), Decimal(0))


def impact_of(kind: str, devices: int) -> Impact | None:
    """What `devices` reused devices of `kind` keep out of the waste stream and avoid; None without a factor."""
    factor = FACTORS.get(kind)
    if factor is None:
        return None
    return Impact(devices, factor.weight_kg * devices, factor.co2e_avoided_kg * devices)
