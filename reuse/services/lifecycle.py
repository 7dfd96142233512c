"""The device lifecycle: the one writer of `Device.status`, and its HMAC-chained custody record.

`TRANSITIONS` says which status may follow which; `device_transition` is the only code that changes
a status, checking the table and the gates (`reuse.gates`) and appending the custody event in the
same transaction. `devices_create` writes new devices with a whole history at once, in bulk (CSV
intake, the demo), under the same table and the same hashing; `verify_audit` checks both afterwards.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError
from reuse.gates import check_gates
from reuse.models import CustodyEvent, Device, DeviceStatus, ResetChecklist, SanitisationRecord, Site
from reuse.signals import device_changed

S = DeviceStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.SANITISED, S.QUARANTINED, S.RECYCLED, S.DESTROYED}),
    S.SANITISED: frozenset({S.READY, S.REPAIR, S.RECYCLED}),
    S.REPAIR: frozenset({S.READY, S.RECEIVED, S.RECYCLED}),
    S.READY: frozenset({S.RESERVED, S.ON_LOAN, S.RECEIVED}),
    S.RESERVED: frozenset({S.ON_LOAN, S.GIFTED, S.READY}),
    S.ON_LOAN: frozenset({S.RECEIVED, S.LOST}),
    S.QUARANTINED: frozenset({S.RECEIVED, S.DESTROYED}),
    S.LOST: frozenset({S.RECEIVED}),
    S.GIFTED: frozenset(),
    S.RECYCLED: frozenset(),
    S.DESTROYED: frozenset(),
}
# Every device's record starts with this event, from no status at all.
FIRST_STATUS = S.RECEIVED

# Corrections. A status change made by mistake is undone by a new event that goes back along it, never by
# rewriting or deleting the old one. These (from, to) steps may be undone, and only while they are the
# device's latest change: the correction goes from `to` back to `from`. Not here: steps into `received`
# (they start a new intake cycle), steps that lending, matching or disposal make (reserved, on loan,
# gifted, lost, recycled, destroyed: their own records undo them).
CORRECTABLE: frozenset[tuple[str, str]] = frozenset(
    {
        (S.RECEIVED, S.SANITISED),
        (S.RECEIVED, S.QUARANTINED),
        (S.SANITISED, S.READY),
        (S.SANITISED, S.REPAIR),
        (S.REPAIR, S.READY),
    }
)
# A return taken by mistake (the borrower still has the device) is undone by lending
# (`lending.services.corrections`), which reopens the loan: the device goes back on loan, in the intake
# cycle whose wipe it was lent under, while nothing has been done to it since it came back.
RETURN_STEP: tuple[str, str] = (S.ON_LOAN, S.RECEIVED)
# A correction's reason starts with this and the number of the event it corrects, inside the hashed text.
CORRECTION_PREFIX = "Correction of event "
CORRECTION = re.compile(rf"^{CORRECTION_PREFIX}(\d+): ")
CONCURRENT = "Someone else changed this device at the same moment; try again."


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS[status]


def corrected_seq(reason: str) -> int | None:
    """The number of the event a correction undoes, read from its reason; None for any other event."""
    match = CORRECTION.match(reason)
    return int(match.group(1)) if match else None


def step_allowed(from_status: str, to_status: str, *, correcting: tuple[str, str] | None = None) -> bool:
    """Whether a custody event may go from `from_status` to `to_status`. The first event ("" -> received)
    starts the record; an event that keeps the status (a move, a drive added) is a note, not a change.
    A correction (`correcting`: the (from, to) of the event it undoes) may only go back along a step in
    `CORRECTABLE` (or undo a return, `RETURN_STEP`); anything else must follow `TRANSITIONS`."""
    if correcting is not None:
        return correcting == (to_status, from_status) and (correcting in CORRECTABLE or correcting == RETURN_STEP)
    if not from_status:
        return to_status == FIRST_STATUS
    return to_status == from_status or to_status in TRANSITIONS.get(from_status, ())


def status_changes(device: Device, to_status: str) -> dict:
    """The fields a move to `to_status` sets: entering `received` starts a new intake cycle, and
    `sanitised` records the cycle whose wipe passed gate 1."""
    changes: dict = {"status": to_status}
    if to_status == S.RECEIVED:
        changes["cycle"] = device.cycle + 1
    if to_status == S.SANITISED:
        changes["sanitised_cycle"] = device.cycle
    return changes


def _chained(
    *,
    device: Device,
    seq: int,
    prev_hash: str,
    from_status: str,
    to_status: str,
    actor,
    site: Site | None,
    reason: str,
    at: datetime.datetime,
) -> CustodyEvent:
    """One custody event, hashed onto the one before it (`prev_hash`; "" for the first)."""
    event = CustodyEvent(
        device=device,
        seq=seq,
        at=at,
        actor=actor,
        site=site,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    return event


def _announce(device: Device, from_status: str, to_status: str):
    device_id, site_id = device.pk, device.site_id
    transaction.on_commit(
        lambda: device_changed.send(
            sender=Device, device_id=device_id, from_status=from_status, to_status=to_status, site_id=site_id
        )
    )


@transaction.atomic
def append_event(
    *, device: Device, to_status: str, from_status: str, actor, site: Site | None, reason: str, at=None
) -> CustodyEvent:
    """Append one custody event to `device`'s hash chain. Call inside the transaction that changes it.

    Appends to one device queue on its row lock (PostgreSQL; on SQLite the write lock that IMMEDIATE
    transactions take at BEGIN), so the chain never forks; the unique (device, seq) index is the backstop.
    """
    Device.objects.select_for_update().filter(pk=device.pk).values_list("pk", flat=True).first()
    last = CustodyEvent.objects.filter(device=device).order_by("-seq").values("seq", "hash").first()
    event = _chained(
        device=device,
        seq=(last["seq"] + 1) if last else 1,
        prev_hash=last["hash"] if last else "",
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        site=site,
        reason=reason,
        at=at or timezone.now(),
    )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise DomainError("concurrent_change", CONCURRENT) from None
    return event


@dataclass(frozen=True)
class Step:
    """One step of a history written in bulk: the status reached, when, by whom, where and why."""

    to_status: str
    at: datetime.datetime
    actor: object = None
    site: Site | None = None
    reason: str = ""


def _replay(device: Device, steps: Sequence[Step]) -> None:
    """Check `steps` against `TRANSITIONS` as `device_transition` would, and set the device's status,
    cycle, sanitised cycle and status date to where they leave it. The gates are not checked here:
    the evidence is written in bulk beside the history."""
    if not steps:
        raise DomainError("transition_not_allowed", f"{device.asset_tag} has no history.")
    from_status = ""
    device.cycle, device.sanitised_cycle = 1, None
    for step in steps:
        if not step_allowed(from_status, step.to_status):
            raise DomainError(
                "transition_not_allowed",
                f"{device.asset_tag}: {from_status or 'nothing'} cannot become {step.to_status}.",
                from_status=from_status,
                to_status=step.to_status,
            )
        if from_status and step.to_status != from_status:
            for field, value in status_changes(device, step.to_status).items():
                setattr(device, field, value)
        device.status, device.status_changed_at, from_status = step.to_status, step.at, step.to_status


def _history_events(device: Device, steps: Sequence[Step]) -> list[CustodyEvent]:
    events: list[CustodyEvent] = []
    from_status, prev_hash = "", ""
    for seq, step in enumerate(steps, start=1):
        event = _chained(
            device=device,
            seq=seq,
            prev_hash=prev_hash,
            from_status=from_status,
            to_status=step.to_status,
            actor=step.actor,
            site=step.site,
            reason=step.reason,
            at=step.at,
        )
        events.append(event)
        from_status, prev_hash = step.to_status, event.hash
    return events


def devices_create(histories: Sequence[tuple[Device, Sequence[Step]]], *, batch_size: int = 500) -> list[Device]:
    """Insert new devices with their whole custody history, in bulk: CSV intake (one step each) and the demo.

    Each history is checked against `TRANSITIONS` first (DomainError `transition_not_allowed`, and
    nothing is written); each device's status fields come from its history, and its events are
    chained and hashed exactly as `append_event` does it, so `verify_audit` checks them like any other.
    Call inside a transaction: devices and events go in together or not at all.
    """
    for device, steps in histories:
        _replay(device, steps)
    devices = Device.objects.bulk_create([device for device, _steps in histories], batch_size=batch_size)
    CustodyEvent.objects.bulk_create(
        [event for device, steps in histories for event in _history_events(device, steps)], batch_size=batch_size
    )
    return devices


def received(*, at: datetime.datetime, actor, site: Site, reason: str) -> list[Step]:
    """The history of a device that has just come in: one step, into `received`."""
    return [Step(FIRST_STATUS, at, actor, site, reason)]


@transaction.atomic
def device_transition(*, device: Device, to_status: str, actor, reason: str = "", site: Site | None = None) -> Device:
    """Move `device` to `to_status`: the only code that changes a device's status.

    Checks the transition table and the gates against a fresh copy of the row, updates it only if
    nobody else changed it meanwhile, and appends the custody event in the same transaction.
    Raises DomainError with code `transition_not_allowed`, `not_sanitised` or `concurrent_change`.
    """
    current = Device.objects.select_for_update().get(pk=device.pk)
    from_status = current.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise DomainError(
            "transition_not_allowed",
            f"{current.asset_tag} is {current.get_status_display().lower()}; "
            f"it cannot become {DeviceStatus(to_status).label.lower()}.",
            from_status=from_status,
            to_status=to_status,
        )
    check_gates(current, to_status)

    now = timezone.now()
    changes = {**status_changes(current, to_status), "status_changed_at": now}
    if site is not None:
        changes["site"] = site
    updated = Device.objects.filter(pk=current.pk, status=from_status, cycle=current.cycle).update(**changes)
    if updated != 1:
        raise DomainError("concurrent_change", CONCURRENT)
    append_event(
        device=current,
        to_status=to_status,
        from_status=from_status,
        actor=actor,
        site=site or current.site,
        reason=reason,
        at=now,
    )
    for field, value in changes.items():
        setattr(device, field, value)
    _announce(device, from_status, to_status)
    return device


@transaction.atomic
def device_move(*, device: Device, site: Site, actor, reason: str = "") -> Device:
    """Record that `device` is now at `site`. Its status stays; the custody record notes the move.

    The status written in the event is the row's, locked, never the caller's copy: a device reserved or
    lent since the caller read it (a worker offering it to a waiting list) stays so on the record."""
    current = Device.objects.select_for_update().select_related("site").get(pk=device.pk)
    device.status = current.status
    if current.site_id == site.pk:
        device.site = site
        return device
    old_site = current.site
    Device.objects.filter(pk=device.pk).update(site=site)
    append_event(
        device=current,
        to_status=current.status,
        from_status=current.status,
        actor=actor,
        site=site,
        reason=(reason or f"Moved from {old_site} to {site}"),
    )
    device.site = site
    _announce(device, device.status, device.status)
    return device


def custody_note(*, device: Device, actor, reason: str) -> CustodyEvent:
    """A custody event that changes no status (a drive added or removed): the record says what happened."""
    return append_event(
        device=device, to_status=device.status, from_status=device.status, actor=actor, site=device.site, reason=reason
    )


def last_status_change(device: Device) -> CustodyEvent | None:
    """The device's latest event that changed its status (a move or a note does not)."""
    events = CustodyEvent.objects.filter(device=device).exclude(from_status=F("to_status")).exclude(from_status="")
    return events.order_by("-seq").first()


def correctable(device: Device) -> CustodyEvent | None:
    """The status change that `device_correct` may undo now, if any."""
    event = last_status_change(device)
    if event and event.to_status == device.status and (event.from_status, event.to_status) in CORRECTABLE:
        return event
    return None


@transaction.atomic
def device_correct(*, device: Device, event: CustodyEvent, actor, reason: str) -> CustodyEvent:
    """Undo `event`, a status change made by mistake, with a new custody event that goes back along it
    (`CORRECTABLE`) and names it ("Correction of event 7: ..."). The old event stays as it was.

    Only the device's latest status change can be corrected, once. DomainError `not_correctable` otherwise,
    `reason_required` without a reason, `concurrent_change` if the device changed meanwhile.
    """
    if not reason.strip():
        raise DomainError("reason_required", "Enter why the status change was a mistake")
    current = Device.objects.select_for_update().get(pk=device.pk)
    latest = correctable(current)
    if latest is None or latest.pk != event.pk:
        raise DomainError(
            "not_correctable",
            f"{current.asset_tag}: only its latest status change can be corrected, and only if it went from "
            "received to sanitised or quarantined, sanitised to ready or repair, or repair to ready.",
        )
    back_to = event.from_status
    changes: dict = {"status": back_to, "status_changed_at": timezone.now()}
    if event.to_status == S.SANITISED:
        changes["sanitised_cycle"] = None  # the wipe no longer stands for this cycle: gate 1 judges it again
    updated = Device.objects.filter(pk=current.pk, status=current.status, cycle=current.cycle).update(**changes)
    if updated != 1:
        raise DomainError("concurrent_change", CONCURRENT)
    correction = append_event(
        device=current,
        to_status=back_to,
        from_status=current.status,
        actor=actor,
        site=current.site,
        reason=f"{CORRECTION_PREFIX}{event.seq}: {reason.strip()}",
        at=changes["status_changed_at"],
    )
    for field, value in changes.items():
        setattr(device, field, value)
    _announce(device, event.to_status, back_to)
    return correction


def return_refusal(device: Device) -> str:
    """Why a return of `device` can no longer be undone ("" if it can): something has been recorded since it
    came back, or IT has started on it in the cycle the return opened (a wipe, a reset checklist)."""
    last = CustodyEvent.objects.filter(device=device).order_by("-seq").values("from_status", "to_status").first()
    if last is None or (last["from_status"], last["to_status"]) != RETURN_STEP or device.status != S.RECEIVED:
        return (
            f"{device.asset_tag} has been moved on since it came back, so the return cannot be undone. "
            "It can be lent again once IT has wiped it."
        )
    started = (
        SanitisationRecord.objects.filter(device=device, cycle=device.cycle).exists()
        or ResetChecklist.objects.filter(device=device, cycle=device.cycle).exists()
    )
    if started or device.sanitised_cycle != device.cycle - 1:
        return f"IT has started wiping {device.asset_tag} since it came back, so the return cannot be undone."
    return ""


@transaction.atomic
def device_return_correct(*, device: Device, actor, reason: str, site: Site) -> CustodyEvent:
    """Undo a return taken by mistake: the device goes back on loan at `site` (the lending branch), in the
    intake cycle it was lent under, with a new custody event that names the return event it corrects.
    The return event stays as it was. Lending calls this when it reopens the loan; nothing else should.

    Allowed only while the return is the device's latest event and IT has started nothing on it in the
    cycle the return opened (no wipe, no reset checklist): the wipe it was lent under still stands for
    the data on it. DomainError `not_correctable` otherwise, `concurrent_change` if it changed meanwhile.
    """
    current = Device.objects.select_for_update().get(pk=device.pk)
    refusal = return_refusal(current)
    if refusal:
        raise DomainError("not_correctable", refusal)
    returned_seq = CustodyEvent.objects.filter(device=current).latest("seq").seq
    now = timezone.now()
    changes = {"status": S.ON_LOAN, "cycle": current.cycle - 1, "site": site, "status_changed_at": now}
    updated = Device.objects.filter(pk=current.pk, status=S.RECEIVED, cycle=current.cycle).update(**changes)
    if updated != 1:
        raise DomainError("concurrent_change", CONCURRENT)
    correction = append_event(
        device=current,
        to_status=S.ON_LOAN,
        from_status=S.RECEIVED,
        actor=actor,
        site=site,
        reason=f"{CORRECTION_PREFIX}{returned_seq}: {reason.strip()}",
        at=now,
    )
    for field, value in changes.items():
        setattr(device, field, value)
    _announce(device, S.RECEIVED, S.ON_LOAN)
    return correction
