"""Import an nwipe/ShredOS log: one wipe record per wiped drive, the log kept as their evidence.

Matching, decided so that nothing is guessed:
- The device is found by the log's DMI system serial (Device.serial) or by a wiped drive's serial
  (a current StorageMedium.serial). If those point at different devices, or at none, the log is
  refused and every unknown serial is named.
- A wiped drive the device does not list yet is added to it only when the device was identified by
  its own system serial: the log is then the wipe tool's first-hand account of what was inside that
  machine. If the device has exactly one drive on record with no serial, and it is the same kind and
  size, that drive takes the serial instead of a duplicate being added. A device found only through a
  drive serial gets no new drives (a drive can move between machines): the others are refused.
- Records are written all or none, with the importing technician as operator. nwipe's own read-back
  gives each record's verification result; a second technician still confirms it before it counts.
"""

import hashlib
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NoReturn

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from reuse.models import Device, DeviceStatus, Evidence, SanitisationRecord, StorageMedium, StorageType
from reuse.nwipe import NwipeDrive, NwipeLog, NwipeLogError, parse_nwipe_log
from reuse.services.evidence import evidence_discard, evidence_store_bytes
from reuse.services.lifecycle import custody_note
from reuse.services.sanitisation import CLOCK_SKEW, wipe_predates_return


def as_sentence(problem: str) -> str:
    """Start a parser's problem with a capital, except the tool's own name, which nwipe writes in lower case."""
    if problem.startswith("nwipe"):
        return problem
    return problem[:1].upper() + problem[1:]


HDD_MODELS = re.compile(r"^(WDC WD|ST\d|HGST|HTS|HTE|TOSHIBA M[QKD]|HITACHI|MAXTOR|SAMSUNG HN|SAMSUNG HM)", re.I)
PASSED, FAILED = SanitisationRecord.Result.PASSED, SanitisationRecord.Result.FAILED


@dataclass
class WipeLogImport:
    device: Device
    log: NwipeLog
    evidence: Evidence
    records: list[SanitisationRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _kind(drive: NwipeDrive) -> str:
    if drive.bus.upper() == "NVME" or drive.name.startswith("nvme"):
        return StorageType.NVME
    if "SSD" in drive.model.upper():
        return StorageType.SSD
    if drive.name.startswith("mmcblk"):
        return StorageType.EMMC
    return StorageType.HDD if HDD_MODELS.match(drive.model) else StorageType.OTHER


def _gb(drive: NwipeDrive) -> int | None:
    return round(drive.size_bytes / 1_000_000_000) if drive.size_bytes else None


def _same_drive(medium: StorageMedium, drive: NwipeDrive) -> bool:
    """A serial-less drive on record could be this one: compatible kind and capacity within 10%."""
    kind = _kind(drive)
    if medium.kind not in (kind, StorageType.OTHER) and kind != StorageType.OTHER:
        return False
    size = _gb(drive)
    return medium.capacity_gb is None or size is None or abs(medium.capacity_gb - size) <= 0.1 * size


class _Matcher:
    def __init__(self, log: NwipeLog):
        self.log = log
        self.problems: list[str] = []

    def device(self) -> tuple[Device | None, bool]:
        """(the device, whether its own system serial identified it)."""
        log = self.log
        by_system = None
        if log.system_serial:
            by_system = Device.objects.filter(serial__iexact=log.system_serial).first()
        serials = [d.serial for d in log.drives if d.serial]
        media_query = Q(pk__in=[])
        for serial in serials:
            media_query |= Q(serial__iexact=serial)
        owners: dict[str, set[Device]] = {}
        for medium in StorageMedium.objects.filter(media_query, removed_at__isnull=True).select_related("device"):
            owners.setdefault(medium.serial.upper(), set()).add(medium.device)
        for serial, devices in owners.items():
            if len(devices) > 1:
                tags = ", ".join(sorted(d.asset_tag for d in devices))
                self.problems.append(f"drive serial {serial} is recorded on more than one device ({tags})")
        by_drive = {d for devices in owners.values() for d in devices}
        found = ({by_system} if by_system else set()) | by_drive
        if not found:
            self.problems.append(
                f"no device has the system serial {log.system_serial or '(none in the log)'} or any of the "
                f"drive serials {', '.join(serials) or '(none in the log)'}: register the device first"
            )
            return None, False
        if len(found) > 1:
            described = ", ".join(
                f"{d.asset_tag} (serial {d.serial or 'not recorded'})" for d in sorted(found, key=lambda d: d.asset_tag)
            )
            self.problems.append(f"the log's system serial and drive serials point at different devices: {described}")
            return None, False
        return found.pop(), by_system is not None

    def drives(self, device: Device, by_system: bool) -> dict[str, StorageMedium | None]:
        """Each wiped drive's medium on `device`; None where the drive is to be added from the log."""
        current = list(device.media.filter(removed_at__isnull=True))
        plan: dict[str, StorageMedium | None] = {}
        for drive in self.log.drives:
            if not drive.serial:
                self.problems.append(
                    f"{drive.path} ({drive.model}): the log gives no serial number for this "
                    "drive, so it cannot be matched"
                )
                continue
            medium = next((m for m in current if m.serial.upper() == drive.serial.upper()), None)
            if medium is None and not by_system:
                self.problems.append(
                    f"{drive.path} serial {drive.serial} is not recorded on {device.asset_tag}, and the log's system "
                    f"serial ({self.log.system_serial or 'none'}) does not identify it: add the drive first"
                )
                continue
            plan[drive.name] = medium
        return plan


def _notes(log: NwipeLog, drive: NwipeDrive, filename: str) -> str:
    lines = [
        f"Imported from the nwipe log {filename} ({log.banner}).",
        f"Method {log.method}, {log.rounds} round(s), "
        f"{'with' if log.final_blank else 'no'} final blank pass, verification: {log.verify}, PRNG {log.prng}.",
        f"nwipe status for {drive.path}: {drive.status}; pass errors {drive.pass_errors}, verification errors "
        f"{drive.verify_errors}, fdatasync errors {drive.fdatasync_errors}; throughput {drive.throughput}.",
    ]
    if log.outcome != "completed":
        lines.append(f"nwipe's closing line: {'exited with errors' if log.outcome == 'errors' else 'aborted'}.")
    lines += [w for w in log.warnings if f" {drive.name}" in w]
    return "\n".join(lines)


def wipe_log_parse(content: bytes) -> NwipeLog:
    """Parse log bytes, turning parse problems into a DomainError `wipe_log_invalid` listing them."""
    if len(content) > settings.EVIDENCE_MAX_BYTES:
        raise DomainError("evidence_too_large", "The log is too large to be an nwipe log.")
    # nwipe writes ASCII; a model string with odd bytes must not stop the import (the stored file
    # keeps the original bytes either way).
    text = content.decode("utf-8", errors="replace")
    try:
        return parse_nwipe_log(text, tz=zoneinfo.ZoneInfo(settings.WIPE_LOG_TIME_ZONE))
    except NwipeLogError as error:
        raise DomainError("wipe_log_invalid", "This is not a complete nwipe log.", problems=error.problems) from None


class _DryRun(Exception):
    def __init__(self, result: WipeLogImport):
        self.result = result


def wipe_log_import(*, content: bytes, filename: str, actor, dry_run: bool = False) -> WipeLogImport:
    """Match an nwipe/ShredOS log to its device and record each wiped drive. All or nothing.

    Raises DomainError `wipe_log_invalid` (not a complete log) or `wipe_log_rejected` (unknown or
    conflicting serials, device not received, already imported ...), with `details["problems"]`.
    With `dry_run`, everything is checked and the result returned, but nothing is kept.
    """
    log = wipe_log_parse(content)
    stored = []

    def store() -> Evidence:
        stored.append(evidence_store_bytes(content=content, name=filename, actor=actor))
        return stored[0][0]

    try:
        with transaction.atomic():
            result = _import(log, content=content, filename=filename, actor=actor, store=store)
            if dry_run:
                raise _DryRun(result)
            return result
    except _DryRun as rolled_back:
        evidence_discard(stored[0] if stored else None)
        return rolled_back.result
    except BaseException:
        # The rows went with the rollback; the file written for them must go too.
        evidence_discard(stored[0] if stored else None)
        raise


def _reject(problems: list[str]) -> NoReturn:
    raise DomainError("wipe_log_rejected", "The log was not imported: nothing has been recorded.", problems=problems)


def _import(log: NwipeLog, *, content: bytes, filename: str, actor, store) -> WipeLogImport:
    matcher = _Matcher(log)
    device, by_system = matcher.device()
    if device is None:
        _reject(matcher.problems)
    device = Device.objects.select_for_update().get(pk=device.pk)
    plan = matcher.drives(device, by_system)
    problems = matcher.problems
    if device.status != DeviceStatus.RECEIVED:
        problems.append(
            f"{device.asset_tag} is {device.get_status_display().lower()}: wipes are recorded "
            "only while a device is received"
        )
    sha256 = hashlib.sha256(content).hexdigest()
    if Evidence.objects.filter(sha256=sha256, records__device=device, records__cycle=device.cycle).exists():
        problems.append(f"this log has already been imported for {device.asset_tag}")
    now = timezone.now()
    for drive in log.drives:
        if drive.ended_at > now + CLOCK_SKEW:
            problems.append(
                f"{drive.path} finished at {timezone.localtime(drive.ended_at):%d/%m/%Y %H:%M}, in the "
                "future: check the wiping machine's clock or WIPE_LOG_TIME_ZONE"
            )
        elif wipe_predates_return(device, drive.started_at):
            problems.append(
                f"{drive.path} was wiped before {device.asset_tag} last came back, so the wipe no longer counts"
            )
    if problems:
        _reject(problems)

    result = WipeLogImport(device=device, log=log, evidence=store())
    placeholders = [m for m in device.media.filter(removed_at__isnull=True) if not m.serial]
    new = [d for d in log.drives if plan.get(d.name) is None]
    for drive in log.drives:
        medium = plan[drive.name]
        if medium is None:
            medium = _adopt_or_add(device, drive, placeholders if len(new) == 1 else [], actor, result)
        result.records.append(_record(log, drive, device, medium, actor, result.evidence, filename))
    result.notes += [f"Not wiped in this run (left unselected): {d}" for d in log.not_wiped]
    result.notes += list(log.warnings)
    return result


def _adopt_or_add(
    device: Device, drive: NwipeDrive, placeholders: list[StorageMedium], actor, result: WipeLogImport
) -> StorageMedium:
    if len(placeholders) == 1 and _same_drive(placeholders[0], drive):
        medium = placeholders[0]
        StorageMedium.objects.filter(pk=medium.pk).update(
            serial=drive.serial, model=medium.model or drive.model, capacity_gb=medium.capacity_gb or _gb(drive)
        )
        medium.refresh_from_db()
        result.notes.append(f"Serial {drive.serial} recorded on the drive already listed without one ({medium}).")
        reason = f"Drive serial recorded from nwipe log: {medium}"
    else:
        medium = StorageMedium.objects.create(
            device=device, kind=_kind(drive), model=drive.model, serial=drive.serial, capacity_gb=_gb(drive)
        )
        result.notes.append(f"Drive added to {device.asset_tag} from the log: {medium}.")
        reason = f"Storage added from nwipe log: {medium}"
    custody_note(device=device, actor=actor, reason=reason)
    return medium


def _record(
    log: NwipeLog, drive: NwipeDrive, device: Device, medium: StorageMedium, actor, evidence, filename: str
) -> SanitisationRecord:
    verified = log.verification_passed(drive)
    return SanitisationRecord.objects.create(
        device=device,
        medium=medium,
        cycle=device.cycle,
        category=log.category,
        technique=log.technique,
        tool=log.tool,
        tool_version=log.nwipe_version,
        rounds=log.rounds,
        started_at=drive.started_at,
        ended_at=max(drive.ended_at, drive.started_at),
        operator=actor,
        result=PASSED if drive.erased else FAILED,
        verification_method=log.verification_method,
        verification_result="" if log.verify == "off" else (PASSED if verified else FAILED),
        standard=SanitisationRecord.Standard.NIST_R1,
        evidence=evidence,
        notes=_notes(log, drive, filename),
    )


@dataclass
class WipeLogOutcome:
    """What became of one file of a multi-log upload: imported (`result`) or refused (`error`)."""

    filename: str
    result: WipeLogImport | None = None
    error: DomainError | None = None

    @property
    def passed(self) -> int:
        return sum(1 for r in self.result.records if r.result == PASSED) if self.result else 0

    @property
    def failed(self) -> int:
        return len(self.result.records) - self.passed if self.result else 0

    @property
    def problems(self) -> list[str]:
        if self.error is None:
            return []
        return [as_sentence(p) for p in self.error.details.get("problems", [])]


def wipe_logs_import(*, files: Iterable[tuple[str, bytes]], actor) -> list[WipeLogOutcome]:
    """Import several logs, each on its own through `wipe_log_import` (all or nothing per log, not per upload):
    one bad log among two hundred must not hold back the rest, and each is its own device's evidence."""
    outcomes = []
    for filename, content in files:
        try:
            outcomes.append(
                WipeLogOutcome(filename, result=wipe_log_import(content=content, filename=filename, actor=actor))
            )
        except DomainError as error:
            outcomes.append(WipeLogOutcome(filename, error=error))
    return outcomes
