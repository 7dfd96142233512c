"""Reads more than one page needs: a request's progress in plain words (status page, coordinator page),
duplicate hints for triage, what the coordinator's home panel counts, and the depot's view."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from matching.models import (
    Allocation,
    CollectionBooking,
    CommunityRequest,
    FollowUp,
    MatchRun,
    Proposal,
    RequestEvent,
    RequestLine,
    RequestStatus,
)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class LineProgress:
    line: RequestLine
    allocated: int  # reserved for the group, not yet handed over
    handed_over: int
    remaining: int
    sentence: str


def line_progress(request: CommunityRequest, *, today: datetime.date | None = None) -> list[LineProgress]:
    """'2 of 5 laptops so far: tier 2, waiting 34 days; 3 more when stock allows.'"""
    today = today or timezone.localdate()
    live = Q(allocations__cancelled_at__isnull=True)
    lines = request.lines.annotate(
        reserved=Count("allocations", filter=live & Q(allocations__handover__isnull=True)),
        handed=Count("allocations", filter=live & Q(allocations__handover__isnull=False)),
    ).order_by("pk")
    out = []
    for line in lines:
        got = line.reserved + line.handed
        remaining = max(0, line.quantity - got)
        kind = line.get_kind_display().lower()
        plural = kind if line.quantity == 1 else f"{kind}s"
        sentence = f"{got} of {line.quantity} {plural} so far"
        if got and not remaining:
            sentence = f"{got} of {line.quantity} {plural}: " + ("handed over." if got == line.handed else "set aside.")
        elif request.is_approved and request.approved_at:
            waiting = (today - timezone.localdate(request.approved_at)).days
            place = f"tier {request.tier}" + ("" if request.in_area else ", outside the council's area")
            sentence += f": {place}, waiting {_n(waiting, 'day')}"
            sentence += f"; {remaining} more when stock allows." if remaining else "."
        else:
            sentence += "."
        out.append(LineProgress(line, line.reserved, line.handed, remaining, sentence))
    return out


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    when: datetime.datetime | None = None


def request_steps(request: CommunityRequest) -> list[Step]:
    """The request's progress as the status page lists it."""
    events = {e.kind: e.at for e in request.events.filter(public=True).order_by("at")}
    K = RequestEvent.Kind
    steps = [Step("We received your request", True, request.submitted_at)]
    if request.is_declined:
        return [*steps, Step("Declined", True, events.get(K.DECLINED))]
    steps.append(Step("Checked and approved", request.approved_at is not None, request.approved_at))
    steps.append(Step("Devices allocated", K.ALLOCATED in events, events.get(K.ALLOCATED)))
    steps.append(Step("Collection booked", K.BOOKED in events, events.get(K.BOOKED)))
    steps.append(Step("Handed over", K.HANDED_OVER in events, events.get(K.HANDED_OVER)))
    steps.append(Step("Told us how it went", K.FOLLOW_UP in events, events.get(K.FOLLOW_UP)))
    return steps


def open_follow_ups(request: CommunityRequest):
    """Follow-ups sent and not answered yet: the status page links to them."""
    return request.follow_ups.filter(sent_at__isnull=False, answered_at__isnull=True).order_by("due_on")


def duplicate_hints(request: CommunityRequest) -> list[tuple[str, CommunityRequest]]:
    """Other requests a coordinator should look at before approving this one."""
    hints: list[tuple[str, CommunityRequest]] = []
    same_org = CommunityRequest.objects.open().filter(organisation=request.organisation).exclude(pk=request.pk)
    for other in same_org.order_by("submitted_at"):
        hints.append(("Another open request from the same organisation", other))
    if request.client_reference_hmac:
        same_household = (
            CommunityRequest.objects.filter(client_reference_hmac=request.client_reference_hmac)
            .exclude(pk=request.pk)
            .exclude(status__in=(RequestStatus.DECLINED, RequestStatus.WITHDRAWN))
            .select_related("organisation")
        )
        for other in same_household:
            who = (
                "the same organisation" if other.organisation_id == request.organisation_id else other.organisation.name
            )
            hints.append((f"The same household reference, given by {who}", other))
    return hints


def coordinator_panel() -> dict:
    """What the coordinator's part of the staff home counts."""
    today = timezone.localdate()
    submitted = CommunityRequest.objects.filter(status=RequestStatus.SUBMITTED)
    pending = Proposal.objects.pending()
    due = CollectionBooking.objects.live().filter(date__lte=today + datetime.timedelta(days=7))
    return {
        "to_triage": submitted.count(),
        "oldest_waiting": submitted.order_by("submitted_at").first(),
        "proposals_pending": pending.count(),
        "requests_with_proposals": pending.values("request").distinct().count(),
        "latest_run": MatchRun.objects.filter(status=MatchRun.Status.DONE).first(),
        "handovers_due": due.select_related("request__organisation", "site").order_by("date", "part")[:10],
        "handovers_due_count": due.count(),
        "follow_ups_unanswered": FollowUp.objects.filter(sent_at__isnull=False, answered_at__isnull=True).count(),
        "impact": FollowUp.objects.figures(),
    }


def devices_to_move() -> list[tuple[str, str, int]]:
    """Allocated devices not yet at their collection branch: (from, to, how many), for the depot's van."""
    rows = (
        Allocation.objects.awaiting_handover()
        .exclude(device__site=F("request__collection_site"))
        .values_list("device__site__name", "request__collection_site__name")
    )
    return sorted((frm, to, n) for (frm, to), n in Counter(rows).items())


def awaiting_pickup_at(site) -> int:
    """Devices allocated to community groups, at `site` and collected there, not yet handed over: what a
    branch keeps aside for a group's pickup (the handovers page lists them)."""
    return Allocation.objects.awaiting_handover().filter(device__site=site, request__collection_site=site).count()


def shortage_summary() -> dict:
    """What the shortage report (/matching/shortages/) asks the depot for: the latest run's shortfalls
    and the allocated devices still to take to their branch."""
    run = MatchRun.objects.filter(status=MatchRun.Status.DONE).first()
    return {"shortfalls": len(run.shortages) if run else 0, "to_move": sum(n for _f, _t, n in devices_to_move())}
