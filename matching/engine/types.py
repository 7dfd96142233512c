"""The engine's vocabulary: what it is given, what it answers, and the checks that refuse bad input."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Device.kind values (reuse.models.DeviceKind), copied so the engine imports nothing from Django.
KINDS = ("laptop", "desktop", "tablet", "phone", "hotspot", "other")
KIND_NAMES = {
    "laptop": ("laptop", "laptops"),
    "desktop": ("desktop", "desktops"),
    "tablet": ("tablet", "tablets"),
    "phone": ("phone", "phones"),
    "hotspot": ("mobile hotspot", "mobile hotspots"),
    "other": ("other device", "other devices"),
}


class EngineError(ValueError):
    """Malformed input, refused before anything is solved. `code` is machine-readable; `key` names the
    offending Stock or Need (or request) when there is one."""

    def __init__(self, code: str, message: str, key: int | None = None):
        super().__init__(message)
        self.code = code
        self.key = key


@dataclass(frozen=True)
class Stock:
    """One ready device."""

    key: int  # Device pk
    kind: str  # a Device.kind value
    site: int  # Site pk where it is
    ram_gb: int
    storage_gb: int
    webcam: bool
    updates_until: date | None  # security updates until; None: unknown
    ready_since: date


@dataclass(frozen=True)
class Need:
    """One line of an approved request."""

    key: int  # request line pk
    request: int  # request pk: spread is counted per request
    tier: int  # 1 is the highest priority
    waiting_since: date  # when the request was approved
    site: int  # collection branch (Site pk)
    kind: str
    quantity: int
    min_ram_gb: int = 0
    min_storage_gb: int = 0
    webcam: bool = False  # True: the device must have one
    updates_until: date | None = None  # the device's updates must last at least to this date


@dataclass(frozen=True)
class Pick:
    """One device proposed for one need. `stock` and `need` are keys; `reasons` are plain sentences. The
    other fields are the same facts, structured, for callers that word them their own way (site names)."""

    stock: int
    need: int
    reasons: tuple[str, ...] = ()
    request: int | None = None
    tier: int | None = None
    waiting_days: int | None = None
    from_site: int | None = None
    to_site: int | None = None
    ready_days: int | None = None

    @property
    def at_collection_branch(self) -> bool:
        return self.from_site == self.to_site


def fits(device: Stock, need: Need) -> bool:
    """The hard rule: same kind and every minimum met (unknown security updates fail any minimum)."""
    return (
        device.kind == need.kind
        and device.ram_gb >= need.min_ram_gb
        and device.storage_gb >= need.min_storage_gb
        and (device.webcam or not need.webcam)
        and (
            need.updates_until is None
            or (device.updates_until is not None and device.updates_until >= need.updates_until)
        )
    )


def _is_int(value) -> bool:
    return type(value) is int  # not bool, which is an int too


def _is_date(value) -> bool:
    return type(value) is date  # not datetime, which is a date too but does not compare with one


def _check_common(item, label: str):
    if not _is_int(item.key):
        raise EngineError("bad_value", f"{label} key must be an integer, not {item.key!r}")
    if item.kind not in KINDS:
        raise EngineError("unknown_kind", f"{label} {item.key}: unknown kind {item.kind!r}", item.key)
    if not _is_int(item.site):
        raise EngineError("bad_value", f"{label} {item.key}: site must be an integer", item.key)
    if not isinstance(item.webcam, bool):
        raise EngineError("bad_value", f"{label} {item.key}: webcam must be True or False", item.key)
    if not (item.updates_until is None or _is_date(item.updates_until)):
        raise EngineError("bad_value", f"{label} {item.key}: updates_until must be a date or None", item.key)


def _check_spec(key: int, label: str, **values):
    for name, value in values.items():
        if not _is_int(value):
            raise EngineError("bad_value", f"{label} {key}: {name} must be an integer", key)
        if value < 0:
            raise EngineError("negative_spec", f"{label} {key}: {name} cannot be negative ({value})", key)


def _check_stock(item: Stock):
    if not isinstance(item, Stock):
        raise EngineError("bad_type", f"expected a Stock, got {type(item).__name__}")
    _check_common(item, "device")
    _check_spec(item.key, "device", ram_gb=item.ram_gb, storage_gb=item.storage_gb)
    if not _is_date(item.ready_since):
        raise EngineError("bad_value", f"device {item.key}: ready_since must be a date", item.key)


def _check_need(item: Need):
    if not isinstance(item, Need):
        raise EngineError("bad_type", f"expected a Need, got {type(item).__name__}")
    _check_common(item, "need")
    _check_spec(item.key, "need", min_ram_gb=item.min_ram_gb, min_storage_gb=item.min_storage_gb)
    if not (_is_int(item.request) and _is_int(item.tier) and _is_int(item.quantity)):
        raise EngineError("bad_value", f"need {item.key}: request, tier and quantity must be integers", item.key)
    if item.tier < 1:
        raise EngineError("tier_below_one", f"need {item.key}: tier {item.tier} (1 is the highest)", item.key)
    if item.quantity < 1:
        raise EngineError("quantity_not_positive", f"need {item.key}: quantity {item.quantity}", item.key)
    if not _is_date(item.waiting_since):
        raise EngineError("bad_value", f"need {item.key}: waiting_since must be a date", item.key)


def _check_unique(items: list[Stock] | list[Need], label: str) -> None:
    seen: set[int] = set()
    for item in items:
        if item.key in seen:
            raise EngineError(
                f"duplicate_{'stock' if label == 'device' else 'need'}",
                f"{label} key {item.key} appears twice",
                item.key,
            )
        seen.add(item.key)


def validated(
    stock_in: Iterable[Stock], needs_in: Iterable[Need], today: date | None
) -> tuple[list[Stock], list[Need], date]:
    """Both inputs sorted by key (so any input order gives the same answer), and the as-of date."""
    stock, needs = list(stock_in), list(needs_in)
    for device in stock:
        _check_stock(device)
    for need in needs:
        _check_need(need)
    _check_unique(stock, "device")
    _check_unique(needs, "need")
    first_line: dict[int, Need] = {}
    for need in needs:
        other = first_line.setdefault(need.request, need)
        if (other.tier, other.waiting_since) != (need.tier, need.waiting_since):
            raise EngineError(
                "request_inconsistent",
                f"request {need.request}: its lines disagree on tier or approval date "
                f"(need {other.key}: tier {other.tier}, {other.waiting_since}; "
                f"need {need.key}: tier {need.tier}, {need.waiting_since})",
                need.request,
            )
    dates = [device.ready_since for device in stock] + [need.waiting_since for need in needs]
    if today is None:
        today = max(dates, default=date.min)
    elif not _is_date(today):
        raise EngineError("bad_value", "today must be a date")
    elif dates and today < max(dates):
        raise EngineError("today_too_early", f"today ({today}) is before a date in the input ({max(dates)})")
    return sorted(stock, key=lambda s: s.key), sorted(needs, key=lambda n: n.key), today
