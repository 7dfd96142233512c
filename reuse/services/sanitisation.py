"""Storage media, wipe records, reset checklists and their second-person verification.

How verification works: the technician who wiped a drive records the wipe (they are its operator)
with the tool's own verification method and result. The record does not count towards gate 1 until
a second technician opens it, checks it against the evidence, and confirms it (or rejects it, which
marks its verification failed). With SANITISATION_SEPARATE_VERIFIER on (the default) the service
refuses a confirmation by the operator, whatever page or command it comes from.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from core.roles import staff_name
from reuse.models import RESET_KINDS, Device, DeviceStatus, ResetChecklist, SanitisationRecord, StorageMedium
from reuse.services.lifecycle import custody_note, device_transition

S = DeviceStatus
# A drive may leave a device whenever it is at the depot and not with a resident; adding one is only
# allowed in `received`, because a drive added later would skip the wipe the device already passed.
MEDIA_REMOVABLE_STATUSES = frozenset({S.RECEIVED, S.SANITISED, S.REPAIR, S.QUARANTINED})
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _locked(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


def _require_received(device: Device, doing: str):
    if device.status != S.RECEIVED:
        raise DomainError(
            "not_received",
            f"{device.asset_tag} is {device.get_status_display().lower()}: {doing} only while it is received. "
            "A device that comes back for another wipe goes back to received first.",
        )


def _require_separate(actor, item: SanitisationRecord | ResetChecklist, what: str):
    if item.is_own_work(actor):
        raise DomainError("verifier_is_operator", f"A second technician must verify {what}: you recorded it yourself.")


def wipe_predates_return(device: Device, started_at: datetime.datetime) -> bool:
    """A wipe started before a returning device came back says nothing about data written since.

    Only from the second intake cycle on: on first intake the device may well have been wiped at the
    depot before anyone registered it.
    """
    return device.cycle > 1 and device.status == S.RECEIVED and started_at < device.status_changed_at


@transaction.atomic
def medium_add(
    *,
    device: Device,
    actor,
    kind: str,
    make: str = "",
    model: str = "",
    serial: str = "",
    capacity_gb: int | None = None,
) -> StorageMedium:
    """Record a drive found in `device`. Only while received, so it is wiped before the device moves on."""
    current = _locked(device)
    _require_received(current, "drives can be added")
    serial = serial.strip()
    if serial and current.media.filter(serial__iexact=serial, removed_at__isnull=True).exists():
        raise DomainError("medium_duplicate", f"{current.asset_tag} already has a drive with serial {serial}.")
    medium = StorageMedium.objects.create(
        device=current, kind=kind, make=make.strip(), model=model.strip(), serial=serial, capacity_gb=capacity_gb
    )
    custody_note(device=current, actor=actor, reason=f"Storage added: {medium}")
    return medium


@transaction.atomic
def medium_remove(*, medium: StorageMedium, actor, reason: str) -> StorageMedium:
    """Mark a drive as taken out (destroyed or replaced). Its wipe records stay on file."""
    current = _locked(medium.device)
    if current.status not in MEDIA_REMOVABLE_STATUSES:
        raise DomainError(
            "media_locked",
            f"{current.asset_tag} is {current.get_status_display().lower()}: its drives cannot be changed now.",
        )
    now = timezone.now()
    if StorageMedium.objects.filter(pk=medium.pk, removed_at__isnull=True).update(removed_at=now) != 1:
        raise DomainError("medium_already_removed", f"{medium} has already been removed.")
    medium.removed_at = now
    custody_note(device=current, actor=actor, reason=f"Storage removed: {medium}. {reason}".strip())
    return medium


@transaction.atomic
def sanitisation_record(
    *,
    device: Device,
    medium: StorageMedium,
    actor,
    category: str,
    technique: str,
    tool: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    result: str,
    tool_version: str = "",
    rounds: int = 1,
    verification_method: str = "",
    verification_result: str = "",
    standard: str = SanitisationRecord.Standard.NIST_R1,
    evidence=None,
    notes: str = "",
) -> SanitisationRecord:
    """Record how one drive of a received device was wiped, with `actor` as operator. Unverified until a
    second technician confirms it (`sanitisation_verify`)."""
    current = _locked(device)
    _require_received(current, "wipes can be recorded")
    if medium.device_id != current.pk or medium.removed_at is not None:
        raise DomainError("medium_not_on_device", f"{medium} is not a current drive of {current.asset_tag}.")
    if ended_at < started_at:
        raise DomainError("wipe_times", "The wipe cannot end before it started.")
    if ended_at > timezone.now() + CLOCK_SKEW:
        raise DomainError("wipe_times", "The wipe cannot end in the future.")
    if wipe_predates_return(current, started_at):
        raise DomainError(
            "wipe_times",
            f"{current.asset_tag} came back on "
            f"{timezone.localtime(current.status_changed_at):%d/%m/%Y at %H:%M}: "
            "a wipe started before then does not count.",
        )
    if (category == SanitisationRecord.Category.DESTROY) != (technique == SanitisationRecord.Technique.SHRED):
        raise DomainError("wipe_category", "Shredding is the Destroy category, and Destroy means shredding.")
    if rounds < 1:
        raise DomainError("wipe_rounds", "A wipe has at least one round.")
    return SanitisationRecord.objects.create(
        device=current,
        medium=medium,
        cycle=current.cycle,
        category=category,
        technique=technique,
        tool=tool.strip(),
        tool_version=tool_version.strip(),
        rounds=rounds,
        started_at=started_at,
        ended_at=ended_at,
        operator=actor,
        result=result,
        verification_method=verification_method.strip(),
        verification_result=verification_result,
        standard=standard,
        evidence=evidence,
        notes=notes.strip(),
    )


@transaction.atomic
def sanitisation_verify(*, record: SanitisationRecord, actor, confirm: bool, reason: str = "") -> SanitisationRecord:
    """A second technician's sign-off on a wipe record: confirm it, or reject it (its verification fails).

    Idempotent: the same verifier sending the same decision again (a double click, a resent form) gets the
    record back unchanged. Raises DomainError `verifier_is_operator`, `record_stale` (from an earlier intake
    cycle), `not_verifiable` (the wipe or the tool's verification did not pass) or `already_verified`.
    """
    device = _locked(record.device)
    # Re-read under the device lock: another verifier may have signed this record off meanwhile.
    record = SanitisationRecord.objects.select_related("verified_by").get(pk=record.pk)
    if record.verified_by_id is not None:
        if record.verified_by_id == actor.pk and _same_decision(record, confirm):
            return record  # the same person's double click or resent form: already done, nothing changes
        raise DomainError("already_verified", _already(record, actor, "this wipe"))
    if record.cycle != device.cycle:
        raise DomainError(
            "record_stale",
            "This wipe was recorded before the device last came back; it no longer counts and cannot be verified.",
        )
    _require_separate(actor, record, "this wipe")
    if confirm and not record.is_confirmable:
        raise DomainError(
            "not_verifiable",
            "Only a wipe that passed, with a verification that passed, can be confirmed. Record a new wipe instead.",
        )
    if not confirm and not reason.strip():
        raise DomainError("reason_required", "Say why you are rejecting this wipe.")
    now = timezone.now()
    changes = {"verified_by": actor, "verified_at": now}
    if not confirm:
        changes["verification_result"] = SanitisationRecord.Result.FAILED
        rejected = f"Rejected by {staff_name(actor)} on {timezone.localtime(now):%d/%m/%Y %H:%M}: {reason.strip()}"
        changes["notes"] = "\n".join(filter(None, [record.notes, rejected]))
    if SanitisationRecord.objects.filter(pk=record.pk, verified_by__isnull=True).update(**changes) != 1:
        raise DomainError("already_verified", "Someone has already verified this wipe.")
    for field, value in changes.items():
        setattr(record, field, value)
    return record


@transaction.atomic
def reset_checklist_record(
    *,
    device: Device,
    actor,
    encryption_on: bool,
    factory_reset: bool,
    activation_lock_removed: bool,
    sim_removed: bool,
    sd_removed: bool,
    notes: str = "",
) -> ResetChecklist:
    """Record a phone, tablet or hotspot's reset, item by item, with `actor` as operator."""
    current = _locked(device)
    _require_received(current, "reset checklists can be recorded")
    if current.kind not in RESET_KINDS:
        raise DomainError(
            "checklist_not_needed",
            f"{current.get_kind_display()}s are wiped drive by drive, not with a reset checklist.",
        )
    return ResetChecklist.objects.create(
        device=current,
        cycle=current.cycle,
        operator=actor,
        encryption_on=encryption_on,
        factory_reset=factory_reset,
        activation_lock_removed=activation_lock_removed,
        sim_removed=sim_removed,
        sd_removed=sd_removed,
        notes=notes.strip(),
    )


def _same_decision(record: SanitisationRecord, confirm: bool) -> bool:
    return (record.verification_result == SanitisationRecord.Result.PASSED) == confirm


def _already(signed, actor, what: str) -> str:
    if signed.verified_by_id == actor.pk:
        return f"You have already verified {what}, with the other decision: record a new wipe to change it."
    return f"{staff_name(signed.verified_by)} has already verified {what}."


@transaction.atomic
def reset_checklist_verify(*, checklist: ResetChecklist, actor) -> ResetChecklist:
    """A second technician confirms a complete reset checklist. The same technician confirming it again (a
    double click) gets it back unchanged; anyone else after them, `already_verified`."""
    device = _locked(checklist.device)
    checklist = ResetChecklist.objects.select_related("verified_by").get(pk=checklist.pk)
    if checklist.verified_by_id is not None:
        if checklist.verified_by_id == actor.pk:
            return checklist
        raise DomainError("already_verified", _already(checklist, actor, "this checklist"))
    if checklist.cycle != device.cycle:
        raise DomainError("record_stale", "This checklist was recorded before the device last came back.")
    _require_separate(actor, checklist, "this checklist")
    if checklist.missing_items:
        raise DomainError(
            "checklist_incomplete",
            f"Only a complete checklist can be verified; still to do: {', '.join(checklist.missing_items)}.",
        )
    if ResetChecklist.objects.filter(pk=checklist.pk, verified_by__isnull=True).update(verified_by=actor) != 1:
        raise DomainError("already_verified", "Someone has already verified this checklist.")
    checklist.verified_by = actor
    return checklist


# Batches -------------------------------------------------------------------------------------------


@dataclass
class BatchOutcome:
    done: list[Device]
    failed: list[tuple[Device, DomainError]]


def batch_mark_sanitised(*, devices: Iterable[Device], actor, reason: str = "") -> BatchOutcome:
    """Mark each device sanitised through the lifecycle gate, one transaction per device.

    Not all-or-nothing on purpose: a batch is often 200 laptops, and one drive that failed must not
    hold back the 199 that passed. Each device either moves with its custody event or stays as it
    was; the outcome names every device that did not move and why.
    """
    outcome = BatchOutcome(done=[], failed=[])
    for device in devices:
        try:
            device_transition(
                device=device,
                to_status=S.SANITISED,
                actor=actor,
                reason=reason or "All storage wiped and verified (batch)",
            )
        except DomainError as error:
            outcome.failed.append((device, error))
        else:
            outcome.done.append(device)
    return outcome


def devices_for_batch(*, ids: Iterable[int] = (), lot: str = "") -> list[Device]:
    """The devices of a batch worklist: chosen one by one (inventory bulk action) or by lot."""
    query = Q(pk__in=[int(i) for i in ids])
    if lot:
        query |= Q(lot=lot)
    return list(Device.objects.filter(query).select_related("site").order_by("asset_tag"))


@dataclass
class VerifyOutcome:
    confirmed: list[SanitisationRecord | ResetChecklist]
    refused: list[tuple[SanitisationRecord | ResetChecklist, DomainError]]


def sanitisation_confirm_many(
    *, records: Iterable[SanitisationRecord] = (), checklists: Iterable[ResetChecklist] = (), actor
) -> VerifyOutcome:
    """Confirm many wipe records and reset checklists at once, each through its own verify service (so the
    separate-verifier rule and the stale-cycle checks hold), one transaction each: a refusal leaves the
    others confirmed. Rejecting stays one at a time, because each rejection needs its own reason."""
    outcome = VerifyOutcome(confirmed=[], refused=[])
    for record in records:
        try:
            outcome.confirmed.append(sanitisation_verify(record=record, actor=actor, confirm=True))
        except DomainError as error:
            outcome.refused.append((record, error))
    for checklist in checklists:
        try:
            outcome.confirmed.append(reset_checklist_verify(checklist=checklist, actor=actor))
        except DomainError as error:
            outcome.refused.append((checklist, error))
    return outcome
