"""Turning one CSV cell into a device field value, or a message saying why it cannot be.

Each parser takes the cell's text (already stripped, never empty) and returns the value or raises
ValueError with a message that makes sense after "Line 12, column RAM (GB) (H): ".
"""

import re

from reuse.intake.reader import EXCEL_MESSAGE, excel_mangled
from reuse.models import Device, DeviceKind, Grade, StorageMedium, StorageType, luhn_valid

KINDS = {
    **{k.value: k.value for k in DeviceKind},
    **{k.label.lower(): k.value for k in DeviceKind},
    "notebook": DeviceKind.LAPTOP,
    "pc": DeviceKind.DESKTOP,
    "mobile": DeviceKind.PHONE,
    "mobile phone": DeviceKind.PHONE,
    "smartphone": DeviceKind.PHONE,
    "mifi": DeviceKind.HOTSPOT,
    "hotspot": DeviceKind.HOTSPOT,
}
STORAGE_TYPES = {
    **{t.value: t.value for t in StorageType},
    **{t.label.lower(): t.value for t in StorageType},
    "hard disk": StorageType.HDD,
    "hard drive": StorageType.HDD,
    "sata ssd": StorageType.SSD,
    "nvme ssd": StorageType.NVME,
    "m.2 nvme": StorageType.NVME,
    "emmc": StorageType.EMMC,
    "flash": StorageType.EMMC,
}
GRADES = {
    **{g.value.lower(): g.value for g in Grade if g.value},
    **{g.label.lower(): g.value for g in Grade if g.value},
    "parts": Grade.PARTS,
    "for parts": Grade.PARTS,
}
BOOLEANS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
GB = re.compile(r"^(\d+(?:\.\d+)?)\s*(gb|g|tb|t)?$", re.IGNORECASE)


def _choice(table: dict, what: str):
    allowed = sorted({v for v in table.values()})

    def parse(text: str):
        lowered = text.lower()
        value = table.get(lowered) or table.get(" ".join(lowered.split()))
        if value is None:
            raise ValueError(f"“{text}” is not a {what} Relay knows (use one of: {', '.join(allowed)})")
        return value

    return parse


parse_kind = _choice(KINDS, "device type")
parse_storage_type = _choice(STORAGE_TYPES, "storage type")
parse_grade = _choice(GRADES, "grade")


def parse_bool(text: str) -> bool:
    value = BOOLEANS.get(text.lower())
    if value is None:
        raise ValueError(f"“{text}” is not yes or no")
    return value


def gigabytes(maximum: int):
    def parse(text: str) -> int:
        match = GB.match(text)
        if not match:
            raise ValueError(f"“{text}” is not a whole number of gigabytes")
        amount = float(match[1]) * (1000 if (match[2] or "").lower() in ("tb", "t") else 1)
        if amount != int(amount) or not 0 < amount <= maximum:
            raise ValueError(f"“{text}” is not a whole number of gigabytes between 1 and {maximum:,}")
        return int(amount)

    return parse


def parse_percent(text: str) -> int:
    digits = text.removesuffix("%").strip()
    if not digits.isdigit() or int(digits) > 100:
        raise ValueError(f"“{text}” is not a percentage from 0 to 100")
    return int(digits)


def text(model, field: str):
    limit = model._meta.get_field(field).max_length

    def parse(value: str) -> str:
        if limit and len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; Relay keeps at most {limit}")
        return value

    return parse


def identifier(model, field: str):
    """Serials and asset numbers: one line, as typed, and never an Excel-rounded number."""
    check_length = text(model, field)

    def parse(value: str) -> str:
        if excel_mangled(value):
            raise ValueError(EXCEL_MESSAGE.format(value))
        if "\n" in value:
            raise ValueError("has a line break inside it")
        return check_length(value)

    return parse


def parse_imei(value: str) -> str:
    if excel_mangled(value):
        raise ValueError(EXCEL_MESSAGE.format(value))
    digits = re.sub(r"[\s-]", "", value)
    if len(digits) != 15 or not luhn_valid(digits):
        raise ValueError(f"“{value}” is not a 15-digit IMEI with a correct check digit")
    return digits


def notes(value: str) -> str:
    return value


device_text = {
    name: text(Device, name)
    for name in ("make", "model", "cpu", "os_name", "os_version", "tpm_version", "source_department", "lot")
}
medium_text = {name: text(StorageMedium, name) for name in ("make", "model")}
