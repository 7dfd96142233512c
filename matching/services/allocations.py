"""Reviewing proposals: accept one (the device is reserved for the request), swap it for another
compatible device, or reject it; and cancel an allocation later.

Accepting is idempotent (issue 11): the proposal moves from "proposed" with a conditional update, so a
double click or two coordinators at once make exactly one allocation and one reservation; the second
call gets the same allocation back. Reservations go through `reuse.services.reservations`, which holds
the one-live-reservation-per-device index; devices move only through `device_transition`.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from core.tasks import on_commit_task
from matching.engine import Need, Stock
from matching.engine.types import fits
from matching.models import Allocation, CommunityRequest, Proposal, RequestEvent, RequestLine, RequestStatus
from reuse.models import Device, Reservation
from reuse.services.reservations import reservation_open, reservation_release

P = Proposal.Status
DECIDED = (P.ACCEPTED, P.SWAPPED)


def device_fits_line(device: Device, line: RequestLine) -> bool:
    """The engine's own hard rule, for a device a coordinator picks by hand."""
    stock = Stock(
        key=device.pk,
        kind=device.kind,
        site=device.site_id,
        ram_gb=device.ram_gb or 0,
        storage_gb=device.storage_gb or 0,
        webcam=bool(device.webcam),
        updates_until=device.updates_until,
        ready_since=timezone.localdate(device.status_changed_at),
    )
    need = Need(
        key=line.pk,
        request=line.request_id,
        tier=1,
        waiting_since=timezone.localdate(),
        site=line.request.collection_site_id,
        kind=line.kind,
        quantity=max(1, line.quantity),
        min_ram_gb=line.min_ram_gb,
        min_storage_gb=line.min_storage_gb,
        webcam=line.webcam,
        updates_until=line.updates_until,
    )
    return fits(stock, need)


def swap_candidates(proposal: Proposal, *, limit: int = 20):
    """Other ready devices that meet the proposal's line, none proposed elsewhere and waiting: those at the
    collection branch first, then the longest ready."""
    line = proposal.line
    conditions = Q(kind=line.kind)
    if line.min_ram_gb:
        conditions &= Q(ram_gb__gte=line.min_ram_gb)
    if line.min_storage_gb:
        conditions &= Q(storage_gb__gte=line.min_storage_gb)
    if line.webcam:
        conditions &= Q(webcam=True)
    if line.updates_until:
        conditions &= Q(updates_until__gte=line.updates_until)
    pending = Proposal.objects.pending().values("device_id")
    devices = Device.objects.lendable().filter(conditions).exclude(pk__in=pending).select_related("site")
    at_branch = list(devices.filter(site_id=proposal.to_site_id).order_by("status_changed_at", "pk")[:limit])
    others = list(
        devices.exclude(site_id=proposal.to_site_id).order_by("status_changed_at", "pk")[: limit - len(at_branch)]
    )
    return at_branch + others


def _existing(proposal: Proposal) -> Allocation | None:
    return Allocation.objects.live().filter(proposal=proposal).first()


def proposal_accept(*, proposal: Proposal, actor, device: Device | None = None) -> Allocation:
    """Confirm a proposal (with `device` instead of the proposed one: a swap). Returns the allocation; the
    same one again if the proposal was accepted already. DomainError codes: proposal_closed,
    request_not_approved, line_full, device_does_not_fit, already_reserved, transition_not_allowed."""
    existing = _existing(proposal)
    if existing:
        return existing
    try:
        with transaction.atomic():
            return _accept(proposal, actor=actor, device=device)
    except (IntegrityError, DomainError) as error:
        existing = _existing(proposal)  # the other click or coordinator confirmed it meanwhile
        if existing:
            return existing
        if isinstance(error, IntegrityError):
            raise DomainError("already_reserved", "That device has just been reserved for someone else.") from None
        raise


def _accept(proposal: Proposal, *, actor, device: Device | None) -> Allocation:
    status = P.ACCEPTED if device is None or device.pk == proposal.device_id else P.SWAPPED
    # The conditional update is the lock: of two confirmations at once, one moves the row, the other waits
    # (PostgreSQL) or queues (SQLite) and then finds nothing to move.
    moved = Proposal.objects.filter(pk=proposal.pk, status=P.PROPOSED).update(
        status=status, decided_at=timezone.now(), decided_by=actor
    )
    if moved != 1:
        raise DomainError("proposal_closed", "This proposal has already been reviewed.")
    proposal.refresh_from_db()
    request = CommunityRequest.objects.get(pk=proposal.request_id)
    if request.status != RequestStatus.APPROVED:
        raise DomainError("request_not_approved", f"{request.reference} is {request.get_status_display().lower()}.")
    line = RequestLine.objects.select_related("request").get(pk=proposal.line_id)
    if Allocation.objects.live().filter(line=line).count() >= line.quantity:
        raise DomainError("line_full", f"Every {line.get_kind_display().lower()} this line asks for is allocated.")
    chosen = Device.objects.get(pk=(device or proposal.device).pk)
    if status == P.SWAPPED and not device_fits_line(chosen, line):
        raise DomainError("device_does_not_fit", f"{chosen.asset_tag} does not meet what this line asks for.")
    reservation = reservation_open(
        device=chosen,
        owner=Reservation.Owner.ALLOCATION,
        actor=actor,
        reason=f"Allocated to community request {request.reference}",
    )
    reasons = list(proposal.reasons)
    if status == P.SWAPPED:
        reasons.append(f"Swapped by a coordinator for {chosen.asset_tag} in place of the proposed device.")
    return Allocation.objects.create(
        request=request,
        line=line,
        device=chosen,
        reservation=reservation,
        proposal=proposal,
        reasons=reasons,
        created_by=actor,
    )


@transaction.atomic
def proposal_reject(*, proposal: Proposal, actor, note: str = "") -> Proposal:
    moved = Proposal.objects.filter(pk=proposal.pk, status=P.PROPOSED).update(
        status=P.REJECTED, decided_at=timezone.now(), decided_by=actor, decision_note=note.strip()[:300]
    )
    proposal.refresh_from_db()
    if moved != 1 and proposal.status != P.REJECTED:
        raise DomainError("proposal_closed", "This proposal has already been reviewed.")
    return proposal


def _counted(allocations: Iterable[Allocation]) -> str:
    counts = Counter(a.line.get_kind_display().lower() for a in allocations)
    return ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items()))


def proposals_decide(
    *,
    request: CommunityRequest,
    actor,
    accept: Iterable[Proposal] = (),
    reject: Iterable[Proposal] = (),
    swaps: dict[int, Device] | None = None,
) -> tuple[list[Allocation], list[str]]:
    """A coordinator's review of one request's proposals: each accepted (or swapped: `swaps` maps a
    proposal pk to the device used instead) or rejected. Returns the allocations made and a plain message
    for each proposal that could not be accepted; the group is told once about what was allocated."""
    swaps = swaps or {}
    made, problems = [], []
    for proposal in reject:
        try:
            proposal_reject(proposal=proposal, actor=actor)
        except DomainError as error:
            problems.append(error.message)
    for proposal in accept:
        before = _existing(proposal)
        try:
            allocation = proposal_accept(proposal=proposal, actor=actor, device=swaps.get(proposal.pk))
        except DomainError as error:
            problems.append(f"{proposal.device.asset_tag}: {error.message}")
            continue
        if before is None:
            made.append(allocation)
    if made:
        with transaction.atomic():
            RequestEvent.objects.create(
                request=request,
                kind=RequestEvent.Kind.ALLOCATED,
                actor=actor,
                text=f"Allocated: {_counted(made)}. Book a day to collect them.",
                public=True,
            )
            on_commit_task("matching.tasks.email_allocated", request.pk)
    return made, problems


@transaction.atomic
def allocation_cancel(*, allocation: Allocation, actor, reason: str) -> Allocation:
    """Take back a device allocated and not yet handed over: it goes back to the shelf."""
    if not reason.strip():
        raise DomainError("reason_missing", "Say why the allocation is cancelled.")
    cancelled = Allocation.objects.filter(pk=allocation.pk, cancelled_at__isnull=True, handover__isnull=True).update(
        cancelled_at=timezone.now(), cancelled_by=actor, cancel_reason=reason.strip()[:300]
    )
    if cancelled != 1:
        raise DomainError("allocation_closed", "This allocation has already been cancelled or handed over.")
    allocation.refresh_from_db()
    reservation = Reservation.objects.get(pk=allocation.reservation_id)
    if reservation.is_live:
        reservation_release(
            reservation=reservation, actor=actor, reason=f"Allocation {allocation.pk} cancelled: {reason}"
        )
    RequestEvent.objects.create(
        request=allocation.request,
        kind=RequestEvent.Kind.ALLOCATION_CANCELLED,
        actor=actor,
        text=f"A {allocation.line.get_kind_display().lower()} allocated to you is no longer available: "
        f"{reason.strip()}",
        public=True,
    )
    return allocation
