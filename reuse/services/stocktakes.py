"""Stocktakes: start one for a site, scan what is on its shelves, finish it.

A scan is a label's URL or a bare tag, as everywhere else; scanning the same tag twice is harmless (the
same row). Finishing compares the scans with the record and is done once: a second finish returns the
first. Each device scanned here but recorded at another site is moved here through `device_move`, with
a custody event saying where and in which stocktake it was found.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from reuse.models import (
    NOT_ON_A_SHELF,
    Device,
    ScanOutcome,
    Site,
    Stocktake,
    StocktakeScan,
    asset_tag_from_scan,
    parse_tags,
)
from reuse.services.lifecycle import device_move

# What an asset tag looks like (Relay's own and pre-printed ones): anything else is a mis-scan.
TAG = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")
MAX_PASTE = 1000


@transaction.atomic
def stocktake_start(*, site: Site, actor, location: str = "") -> Stocktake:
    return Stocktake.objects.create(site=site, location=location.strip(), started_by=actor)


def _outcome(stocktake: Stocktake, device: Device | None) -> str:
    if device is None:
        return ScanOutcome.UNKNOWN
    if device.status in NOT_ON_A_SHELF:
        return ScanOutcome.NOT_ON_SHELF
    return ScanOutcome.FOUND if device.site_id == stocktake.site_id else ScanOutcome.ELSEWHERE


def _open(stocktake: Stocktake) -> None:
    if Stocktake.objects.filter(pk=stocktake.pk, finished_at__isnull=False).exists():
        raise DomainError("stocktake_finished", f"{stocktake} is finished: start a new one to scan again.")


@transaction.atomic
def stocktake_scan(*, stocktake: Stocktake, actor, scanned: str) -> StocktakeScan:
    """Record one scan (a label URL or a bare tag). DomainError `tag_invalid` for nothing or too long a
    tag, `stocktake_finished` after the finish. A repeat of a tag already scanned returns its first scan."""
    tag = asset_tag_from_scan(scanned)
    if not TAG.match(tag):
        raise DomainError("tag_invalid", "Enter an asset tag, like RLY-000123, or scan its label")
    _open(stocktake)
    existing = StocktakeScan.objects.filter(stocktake=stocktake, tag=tag).first()
    if existing:
        return existing
    device = Device.objects.filter(asset_tag=tag).first()
    scan = StocktakeScan(
        stocktake=stocktake,
        tag=tag,
        device=device,
        recorded_site_id=device.site_id if device else None,
        outcome=_outcome(stocktake, device),
        scanned_by=actor,
    )
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError:  # the same label scanned twice at the same moment
        return StocktakeScan.objects.get(stocktake=stocktake, tag=tag)
    return scan


@transaction.atomic
def stocktake_scan_many(*, stocktake: Stocktake, actor, text: str) -> list[StocktakeScan]:
    """Every tag pasted into a box (one per line, or separated by spaces or commas), all or none: the same
    as scanning each in turn, in a few queries. DomainError `tag_invalid` names the first bad tag."""
    tags = parse_tags(text)
    if not tags:
        raise DomainError("tag_invalid", "Enter or paste at least one asset tag")
    if len(tags) > MAX_PASTE:
        raise DomainError("too_many_tags", f"Paste at most {MAX_PASTE} tags at a time")
    if bad := next((tag for tag in tags if not TAG.match(tag)), None):
        raise DomainError("tag_invalid", f"{bad[:30]} is not an asset tag: enter tags like RLY-000123")
    _open(stocktake)
    known = set(StocktakeScan.objects.filter(stocktake=stocktake, tag__in=tags).values_list("tag", flat=True))
    new = [tag for tag in tags if tag not in known]
    devices = {d.asset_tag: d for d in Device.objects.filter(asset_tag__in=new).only("asset_tag", "site", "status")}
    now = timezone.now()
    StocktakeScan.objects.bulk_create(
        [
            StocktakeScan(
                stocktake=stocktake,
                tag=tag,
                device=devices.get(tag),
                recorded_site_id=devices[tag].site_id if tag in devices else None,
                outcome=_outcome(stocktake, devices.get(tag)),
                scanned_at=now,
                scanned_by=actor,
            )
            for tag in new
        ],
        ignore_conflicts=True,  # a tag scanned on another screen meanwhile: the first scan stands
        batch_size=500,
    )
    return list(StocktakeScan.objects.filter(stocktake=stocktake, tag__in=tags))


def expected_devices(stocktake: Stocktake):
    """The devices the record puts at the stocktake's site, on a shelf."""
    return Device.objects.filter(site=stocktake.site).exclude(status__in=NOT_ON_A_SHELF)


@transaction.atomic
def stocktake_finish(*, stocktake: Stocktake, actor) -> Stocktake:
    """Finish `stocktake` once: freeze the devices expected but not scanned, and move each device found
    here but recorded at another site here, with a custody event. A repeat returns the stocktake as it is."""
    now = timezone.now()
    if (
        Stocktake.objects.filter(pk=stocktake.pk, finished_at__isnull=True).update(finished_at=now, finished_by=actor)
        != 1
    ):
        stocktake.refresh_from_db()
        return stocktake
    stocktake.refresh_from_db()
    scanned = StocktakeScan.objects.filter(stocktake=stocktake).exclude(device=None).values_list("device_id", flat=True)
    stocktake.missing.set(expected_devices(stocktake).exclude(pk__in=scanned))
    where = f"{stocktake.site}" + (f", {stocktake.location}" if stocktake.location else "")
    for scan in stocktake.scans.filter(outcome=ScanOutcome.ELSEWHERE).select_related("device", "device__site"):
        device = scan.device
        if device is not None and device.site_id != stocktake.site_id and device.status not in NOT_ON_A_SHELF:
            device_move(device=device, site=stocktake.site, actor=actor, reason=f"Found at {where} during {stocktake}")
    return stocktake


@dataclass(frozen=True)
class StocktakeReport:
    found: list[StocktakeScan]
    elsewhere: list[StocktakeScan]
    not_on_shelf: list[StocktakeScan]
    unknown: list[StocktakeScan]
    missing: list[Device]

    @property
    def scanned(self) -> int:
        return len(self.found) + len(self.elsewhere) + len(self.not_on_shelf) + len(self.unknown)

    def rows(self) -> Iterable[tuple[str, str, str, str]]:
        """(outcome, asset tag, device, where the record had it) for the CSV."""
        for scan in [*self.found, *self.elsewhere, *self.not_on_shelf, *self.unknown]:
            device = f"{scan.device.make} {scan.device.model}" if scan.device else ""
            yield scan.get_outcome_display(), scan.tag, device, str(scan.recorded_site or "")
        for missing in self.missing:
            yield "Expected but not scanned", missing.asset_tag, f"{missing.make} {missing.model}", str(missing.site)


def stocktake_report(stocktake: Stocktake) -> StocktakeReport:
    """What the stocktake found. Before the finish, "missing" is what would be missing now."""
    scans = list(stocktake.scans.select_related("device", "recorded_site"))
    if stocktake.is_finished:
        missing = list(stocktake.missing.select_related("site").order_by("asset_tag"))
    else:
        ids = [scan.device_id for scan in scans if scan.device_id]
        missing = list(expected_devices(stocktake).exclude(pk__in=ids).select_related("site").order_by("asset_tag"))

    def of(outcome):
        return [scan for scan in scans if scan.outcome == outcome]

    return StocktakeReport(
        of(ScanOutcome.FOUND), of(ScanOutcome.ELSEWHERE), of(ScanOutcome.NOT_ON_SHELF), of(ScanOutcome.UNKNOWN), missing
    )
