"""Community requests: submitted by a group through the public form, then triaged by coordinators.

Each action checks its rule against a fresh row, changes the request with a conditional update, writes a
`RequestEvent` (public ones are what the group sees), and queues the group's email after commit with the
request's id only. Codes: open_limit, not_a_branch, no_lines, too_many_lines, quantity_out_of_range,
needed_by_past, organisation_not_verified, not_submitted, not_open, area_undecided, reason_missing,
below_allocated, request_changed.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.numbering import allocate_references
from core.tasks import on_commit_task
from matching.models import (
    MAX_LINE_QUANTITY,
    MAX_LINES,
    Allocation,
    CommunityRequest,
    Organisation,
    Proposal,
    RequestEvent,
    RequestLine,
    RequestStatus,
    Tier,
)
from reuse.models import Site
from reuse.services.reservations import reservation_release

S = RequestStatus
E = RequestEvent.Kind
# A UK postcode district (the outward code), alone or at the start of a full postcode.
DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(\s*[0-9][A-Z]{2})?$")


@dataclass(frozen=True)
class LineDraft:
    kind: str
    quantity: int
    min_ram_gb: int = 0
    min_storage_gb: int = 0
    webcam: bool = False
    updates_until: date | None = None
    accessibility: str = ""
    connectivity: str = ""
    setup_help: bool = False


@dataclass(frozen=True)
class RequestDraft:
    """Everything the public form collected, checked field by field by its forms."""

    organisation_name: str
    organisation_kind: str
    contact_name: str
    contact_email: str
    served_groups: list[str]
    people_count: int
    area: str
    collection_site_id: int
    needed_by: date
    lines: list[LineDraft] = field(default_factory=list)
    charity_number: str = ""
    company_number: str = ""
    contact_phone: str = ""
    served_other: str = ""
    client_reference: str = ""


def client_reference_hmac(reference: str) -> str:
    """The keyed HMAC a household reference is kept as ("" for none). Spaces, punctuation and case are
    ignored, so two groups typing the same reference differently still match."""
    normal = re.sub(r"[^0-9A-Z]", "", reference.upper())
    if not normal:
        return ""
    return hmac.new(settings.CLIENT_REFERENCE_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def area_reading(text: str) -> tuple[str, bool | None]:
    """The area as stored, and whether it is inside the council's area: a postcode district (or a full
    postcode, of which the district counts) is judged from COUNCIL_POSTCODE_DISTRICTS; a ward name is left
    for a coordinator to decide (None)."""
    cleaned = " ".join(text.split())
    match = DISTRICT.match(cleaned.upper())
    if match:
        district = match.group(1)
        return district, district in settings.COUNCIL_POSTCODE_DISTRICTS
    return cleaned[:60], None


def _event(request: CommunityRequest, kind: str, *, actor=None, text: str = "", public: bool = False) -> RequestEvent:
    return RequestEvent.objects.create(request=request, kind=kind, actor=actor, text=text[:1000], public=public)


def _link_organisation(draft: RequestDraft) -> Organisation:
    found = list(
        Organisation.objects.matching(
            name=draft.organisation_name, charity_number=draft.charity_number, company_number=draft.company_number
        ).order_by("verified_at", "pk")
    )
    verified = [org for org in found if org.is_verified]
    if verified or found:
        return (verified or found)[0]
    return Organisation.objects.create(
        name=draft.organisation_name,
        kind=draft.organisation_kind,
        charity_number=draft.charity_number,
        company_number=draft.company_number,
    )


def _check_lines(lines: list[LineDraft]) -> None:
    if not lines:
        raise DomainError("no_lines", "Add at least one type of device.")
    if len(lines) > MAX_LINES:
        raise DomainError("too_many_lines", f"Ask for at most {MAX_LINES} types of device in one request.")
    for line in lines:
        if not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            raise DomainError(
                "quantity_out_of_range", f"Ask for between 1 and {MAX_LINE_QUANTITY} of each type of device."
            )


@transaction.atomic
def request_submit(*, draft: RequestDraft, now=None) -> CommunityRequest:
    """A group's request from the public form: linked to its organisation (matched by charity or company
    number, else by name; a new one otherwise), numbered `REQ-2026-0042`, with a private status token. The
    confirmation email (with the status link) is queued after commit."""
    now = now or timezone.now()
    _check_lines(draft.lines)
    if draft.needed_by < timezone.localdate(now):
        raise DomainError("needed_by_past", "The date you need the devices by is in the past.")
    site = Site.objects.active().branches().filter(pk=draft.collection_site_id).first()
    if site is None:
        raise DomainError("not_a_branch", "Choose one of the library branches to collect from.")
    organisation = _link_organisation(draft)
    open_count = CommunityRequest.objects.open().filter(organisation=organisation).count()
    if open_count >= settings.REQUEST_OPEN_LIMIT:
        raise DomainError(
            "open_limit",
            f"Your organisation already has {settings.REQUEST_OPEN_LIMIT} requests open, the most we can take at "
            "once. We will be in touch about those; contact us if this one is urgent.",
        )
    area, in_area = area_reading(draft.area)
    request = CommunityRequest.objects.create(
        reference=allocate_references("REQ", width=4, yearly=True)[0],
        organisation=organisation,
        organisation_given={
            "name": draft.organisation_name,
            "kind": draft.organisation_kind,
            "charity_number": draft.charity_number,
            "company_number": draft.company_number,
        },
        submitted_at=now,
        served_groups=list(draft.served_groups),
        served_other=draft.served_other.strip(),
        people_count=draft.people_count,
        area=area,
        in_area=in_area,
        collection_site=site,
        needed_by=draft.needed_by,
        contact_name=draft.contact_name.strip(),
        contact_email=draft.contact_email.strip(),
        contact_phone=draft.contact_phone.strip(),
        client_reference_hmac=client_reference_hmac(draft.client_reference),
        consent_at=now,
        status_token=secrets.token_urlsafe(32),
    )
    RequestLine.objects.bulk_create(
        [
            RequestLine(
                request=request,
                kind=line.kind,
                quantity=line.quantity,
                asked_quantity=line.quantity,
                min_ram_gb=line.min_ram_gb,
                min_storage_gb=line.min_storage_gb,
                webcam=line.webcam,
                updates_until=line.updates_until,
                accessibility=line.accessibility.strip(),
                connectivity=line.connectivity,
                setup_help=line.setup_help,
            )
            for line in draft.lines
        ]
    )
    _event(request, E.SUBMITTED, text="We received your request.", public=True)
    on_commit_task("matching.tasks.email_request_received", request.pk)
    return request


def _changed() -> DomainError:
    return DomainError("request_changed", "This request has just been changed by someone else; look again.")


def _move(request: CommunityRequest, *, frm: tuple[str, ...], to: str, **fields) -> None:
    """Change the request's status from one of `frm`, only if nobody changed it meanwhile."""
    if to in CommunityRequest.FINISHED:
        fields.setdefault("finished_at", timezone.now())
    updated = CommunityRequest.objects.filter(pk=request.pk, status__in=frm).update(status=to, **fields)
    if updated != 1:
        raise _changed()
    request.refresh_from_db()


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor, note: str = "", request: CommunityRequest | None = None):
    """A coordinator has checked the organisation is who it says (once: later requests are linked to it)."""
    updated = Organisation.objects.filter(pk=organisation.pk, verified_at__isnull=True).update(
        verified_at=timezone.now(), verified_by=actor, verification_note=note.strip()[:300]
    )
    organisation.refresh_from_db()
    if updated and request is not None:
        _event(request, E.VERIFIED, actor=actor, text="We checked your organisation's details.", public=True)
    return organisation


def tier_exists(tier: int) -> bool:
    return Tier.objects.filter(number=tier).exists()


@transaction.atomic
def request_approve(*, request: CommunityRequest, actor, tier: int, in_area: bool | None = None) -> CommunityRequest:
    """Approve a checked request at `tier`: it joins the queue for matching from today."""
    request = CommunityRequest.objects.select_related("organisation").get(pk=request.pk)
    if request.status != S.SUBMITTED:
        raise DomainError("not_submitted", f"{request.reference} is {request.get_status_display().lower()}.")
    if not request.organisation.is_verified:
        raise DomainError("organisation_not_verified", f"Verify {request.organisation} before approving its requests.")
    if not tier_exists(tier):
        raise DomainError("unknown_tier", f"There is no priority tier {tier}.")
    in_area = request.in_area if in_area is None else in_area
    if in_area is None:
        raise DomainError("area_undecided", "Decide whether the area served is inside the council's area.")
    _move(
        request,
        frm=(S.SUBMITTED,),
        to=S.APPROVED,
        tier=tier,
        in_area=in_area,
        approved_at=timezone.now(),
        approved_by=actor,
    )
    where = "" if in_area else " It serves people outside our area, so it is matched after requests inside it."
    _event(request, E.APPROVED, actor=actor, text=f"Approved at priority tier {tier}.{where}", public=True)
    on_commit_task("matching.tasks.email_decision", request.pk)
    return request


@transaction.atomic
def request_decline(*, request: CommunityRequest, actor, reason: str) -> CommunityRequest:
    if not reason.strip():
        raise DomainError("reason_missing", "Say why, in words the group will see.")
    _move(request, frm=(S.SUBMITTED, S.APPROVED), to=S.DECLINED, decision_reason=reason.strip())
    _release_unhanded(request, actor=actor, reason=f"{request.reference} declined")
    _event(request, E.DECLINED, actor=actor, text=reason.strip(), public=True)
    on_commit_task("matching.tasks.email_decision", request.pk)
    return request


@transaction.atomic
def request_withdraw(*, request: CommunityRequest, actor=None, reason: str = "") -> CommunityRequest:
    """The group (from its status page, `actor` None) or a coordinator withdraws an open request; devices
    reserved for it and not yet collected go back to the shelf."""
    _move(request, frm=CommunityRequest.OPEN, to=S.WITHDRAWN, decision_reason=reason.strip())
    _release_unhanded(request, actor=actor, reason=f"{request.reference} withdrawn")
    who = "by the group" if actor is None else "by us"
    _event(request, E.WITHDRAWN, actor=actor, text=f"Withdrawn {who}. {reason.strip()}".strip(), public=True)
    return request


@transaction.atomic
def request_close(*, request: CommunityRequest, actor, reason: str) -> CommunityRequest:
    """End an approved request before every device was found (the group no longer needs the rest)."""
    if not reason.strip():
        raise DomainError("reason_missing", "Say why, in words the group will see.")
    _move(request, frm=(S.APPROVED,), to=S.CLOSED, decision_reason=reason.strip())
    _release_unhanded(request, actor=actor, reason=f"{request.reference} closed")
    _event(request, E.CLOSED, actor=actor, text=reason.strip(), public=True)
    return request


def _release_unhanded(request: CommunityRequest, *, actor, reason: str) -> None:
    """Devices reserved for the request and not collected go back to `ready`; its pending proposals lapse."""
    for allocation in Allocation.objects.awaiting_handover().filter(request=request).select_related("reservation"):
        Allocation.objects.filter(pk=allocation.pk).update(
            cancelled_at=timezone.now(), cancelled_by=actor, cancel_reason=reason[:300]
        )
        if allocation.reservation.is_live:
            reservation_release(reservation=allocation.reservation, actor=actor, reason=reason)
    Proposal.objects.pending().filter(request=request).update(
        status=Proposal.Status.REJECTED, decided_at=timezone.now(), decided_by=actor, decision_note=reason[:300]
    )
    request.bookings.live().update(cancelled_at=timezone.now())


@transaction.atomic
def request_set_tier(*, request: CommunityRequest, actor, tier: int) -> CommunityRequest:
    if not tier_exists(tier):
        raise DomainError("unknown_tier", f"There is no priority tier {tier}.")
    if request.tier == tier:
        return request
    before = request.tier
    updated = CommunityRequest.objects.filter(pk=request.pk, status=S.APPROVED, tier=before).update(tier=tier)
    if updated != 1:
        raise _changed()
    request.refresh_from_db()
    _event(request, E.TIER, actor=actor, text=f"Priority tier {before} → {tier}.", public=True)
    return request


@transaction.atomic
def request_set_area(*, request: CommunityRequest, actor, in_area: bool) -> CommunityRequest:
    updated = CommunityRequest.objects.filter(pk=request.pk, status__in=CommunityRequest.OPEN).update(in_area=in_area)
    if updated != 1:
        raise DomainError("not_open", f"{request.reference} is {request.get_status_display().lower()}.")
    request.refresh_from_db()
    inside = "inside" if in_area else "outside"
    _event(request, E.AREA, actor=actor, text=f"{request.area} counted as {inside} the council's area.")
    return request


@transaction.atomic
def request_note(*, request: CommunityRequest, actor, text: str) -> RequestEvent:
    """A coordinator's note on the request (staff only; never shown to the group)."""
    if not text.strip():
        raise DomainError("note_empty", "Write the note first.")
    return _event(request, E.NOTE, actor=actor, text=text.strip())


@transaction.atomic
def line_change_quantity(*, line: RequestLine, actor, quantity: int, reason: str) -> RequestLine:
    """Change how many of a line's devices are wanted, with a reason the group sees. Never below what is
    already allocated to it."""
    if not reason.strip():
        raise DomainError("reason_missing", "Say why the quantity changes, in words the group will see.")
    if not 0 <= quantity <= MAX_LINE_QUANTITY:
        raise DomainError("quantity_out_of_range", f"Enter a quantity from 0 to {MAX_LINE_QUANTITY}.")
    line = RequestLine.objects.select_related("request").get(pk=line.pk)
    if not line.request.is_open:
        raise DomainError("not_open", f"{line.request.reference} is {line.request.get_status_display().lower()}.")
    allocated = Allocation.objects.live().filter(line=line).count()
    if quantity < allocated:
        raise DomainError(
            "below_allocated",
            f"{allocated} {line.get_kind_display().lower()}{'s are' if allocated != 1 else ' is'} already allocated "
            "to this line: cancel an allocation first.",
        )
    before = line.quantity
    updated = RequestLine.objects.filter(pk=line.pk, quantity=before).update(quantity=quantity)
    if updated != 1:
        raise _changed()
    line.refresh_from_db()
    _event(
        line.request,
        E.QUANTITY,
        actor=actor,
        text=f"{line.get_kind_display()}: {before} → {quantity}. {reason.strip()}",
        public=True,
    )
    request_fulfil_if_complete(request=line.request)
    return line


def request_fulfil_if_complete(*, request: CommunityRequest) -> bool:
    """An approved request whose every line has been handed over in full is complete."""
    request.refresh_from_db()
    if request.status != S.APPROVED:
        return False
    for line in request.lines.all():
        if Allocation.objects.handed_over().filter(line=line).count() < line.quantity:
            return False
    if not Allocation.objects.handed_over().filter(request=request).exists():
        return False
    _move(request, frm=(S.APPROVED,), to=S.FULFILLED)
    _event(request, E.FULFILLED, text="Every device you asked for has been handed over.", public=True)
    return True
