"""Matching runs: read the ready stock and the open request lines, let the engine share the stock out, and
keep what it saw and proposed (with the shortage report) so each decision can be explained later.

The engine's tiers are the requests' own, except that a request serving people outside the council's
area is given one tier below the lowest tier of any request inside it in the run, whatever its own tier:
the council's own communities come first. A committed run replaces the proposals earlier runs left
unreviewed; its own proposals wait for a coordinator (`matching.services.allocations`).
"""

import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.errors import DomainError
from matching.engine import EngineError, Need, Pick, Shortage, Stock, allocate, shortages
from matching.models import CommunityRequest, MatchRun, Proposal, RequestLine, RequestStatus
from reuse.models import Device, Site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineInput:
    stock: list[Stock]
    needs: list[Need]
    own_tier: dict[int, int]  # request pk -> its own tier
    outside: set[int]  # request pks serving people outside the council's area


def engine_stock() -> list[Stock]:
    """Every device ready for reuse now (gate 2 standing), as the engine sees it. Unknown RAM or storage
    counts as 0 and an unchecked webcam as none, so a device is never credited with what nobody saw."""
    rows = Device.objects.lendable().values_list(
        "pk", "kind", "site_id", "ram_gb", "storage_gb", "webcam", "updates_until", "status_changed_at"
    )
    return [
        Stock(
            key=pk,
            kind=kind,
            site=site,
            ram_gb=ram or 0,
            storage_gb=storage or 0,
            webcam=bool(webcam),
            updates_until=updates,
            ready_since=timezone.localdate(changed),
        )
        for pk, kind, site, ram, storage, webcam, updates, changed in rows.iterator(chunk_size=5000)
    ]


def engine_input() -> EngineInput:
    """The ready stock, and the open lines of approved requests (what is still wanted once live allocations
    are counted), as the engine takes them."""
    lines = (
        RequestLine.objects.filter(request__status=RequestStatus.APPROVED)
        .annotate(allocated=Count("allocations", filter=Q(allocations__cancelled_at__isnull=True)))
        .values_list(
            "pk",
            "request_id",
            "request__tier",
            "request__in_area",
            "request__approved_at",
            "request__collection_site_id",
            "kind",
            "quantity",
            "allocated",
            "min_ram_gb",
            "min_storage_gb",
            "webcam",
            "updates_until",
        )
    )
    rows = [row for row in lines if row[7] - row[8] > 0]
    inside_tiers = [row[2] or 1 for row in rows if row[3]]  # an approved request always has a tier
    outside_tier = max(inside_tiers, default=0) + 1
    needs: list[Need] = []
    own_tier: dict[int, int] = {}
    outside: set[int] = set()
    for pk, request, tier, in_area, approved, site, kind, quantity, allocated, ram, storage, webcam, until in rows:
        tier = tier or 1
        own_tier[request] = tier
        if not in_area:
            outside.add(request)
        needs.append(
            Need(
                key=pk,
                request=request,
                tier=tier if in_area else outside_tier,
                waiting_since=timezone.localdate(approved),
                site=site,
                kind=kind,
                quantity=quantity - allocated,
                min_ram_gb=ram,
                min_storage_gb=storage,
                webcam=webcam,
                updates_until=until,
            )
        )
    return EngineInput(stock=engine_stock(), needs=needs, own_tier=own_tier, outside=outside)


def _n(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _days(n: int) -> str:
    return _n(n, "day")


def pick_reasons(pick: Pick, *, sites: dict[int, str], own_tier: int, outside: bool, approved_on: date) -> list[str]:
    """The engine's reasons in the council's words: branch names instead of site numbers, and the area rule."""
    if outside:
        priority = (
            f"Serves people outside the council's area, so it comes after every request inside it (its own "
            f"tier is {own_tier}); waiting {_days(pick.waiting_days or 0)} since it was approved on "
            f"{approved_on:%-d %B %Y}."
        )
    else:
        priority = (
            f"Tier {pick.tier} request, waiting {_days(pick.waiting_days or 0)} since it was approved on "
            f"{approved_on:%-d %B %Y}; within a tier everyone gets one before anyone gets two, longest waiting first."
        )
    to_site = sites.get(pick.to_site or 0, "the collection branch")
    if pick.at_collection_branch:
        branch = f"Already at {to_site}, the collection branch."
    else:
        branch = f"Needs moving from {sites.get(pick.from_site or 0, 'another site')} to {to_site}."
    spec, ready = pick.reasons[1], pick.reasons[3]
    return [priority, spec, branch, ready]


def shortage_rows(found: list[Shortage]) -> list[dict]:
    """The shortage report as stored and shown: headline and causes per device type."""
    return [
        {
            "kind": s.kind,
            "asked": s.asked,
            "allocated": s.allocated,
            "unmet": s.unmet,
            "ready": s.ready,
            "update_candidates": s.update_candidates,
            "sentences": list(s.sentences),
        }
        for s in found
    ]


def run_summary(run: MatchRun, picks: list[Pick], found: list[Shortage]) -> str:
    requests_served = len({p.request for p in picks})
    at_branch = sum(1 for p in picks if p.at_collection_branch)
    lines = [
        f"Matching run {run.pk} ({'proposals stored for review' if run.committed else 'dry run: no proposals'}), "
        f"as of {run.today:%-d %B %Y}:",
        f"  {_n(run.devices_seen, 'ready device')}; {_n(run.lines_seen, 'open line')} in "
        f"{_n(run.requests_seen, 'approved request')}, asking for {_n(run.units_asked, 'device')}.",
        f"  Proposed {_n(len(picks), 'device')} for {_n(requests_served, 'request')}; {at_branch:,} already at "
        "their collection branch.",
    ]
    if found:
        lines.append("  Not met:")
        for shortage in found:
            lines += [f"    {sentence}" for sentence in shortage.sentences]
    else:
        lines.append("  Every open line was met.")
    return "\n".join(lines)


def match_run_start(*, actor, trigger: str) -> MatchRun:
    """Record that a run has started (committed at once, so a second start is refused while it runs)."""
    try:
        with transaction.atomic():
            return MatchRun.objects.create(actor=actor, trigger=trigger, today=timezone.localdate())
    except IntegrityError:
        raise DomainError("run_in_progress", "A matching run is already in progress; wait for it to finish.") from None


def match_run(
    *, actor=None, trigger: str = MatchRun.Trigger.COMMAND, commit: bool = False, run: MatchRun | None = None
) -> MatchRun:
    """Run the engine over the current stock and lines. With `commit`, its picks become proposals for review
    (replacing proposals earlier runs left unreviewed). Raises DomainError `run_in_progress`, or the
    engine's code if it refused its input (the run is then recorded as failed)."""
    run = run or match_run_start(actor=actor, trigger=trigger)
    started = time.perf_counter()
    try:
        wanted = engine_input()
        stock = wanted.stock
        picks = allocate(stock, wanted.needs, today=run.today)
        found = shortages(stock, wanted.needs, picks)
    except EngineError as error:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, finished_at=timezone.now(), error=f"{error.code}: {error}"[:500]
        )
        raise DomainError(error.code, f"The matching engine refused its input: {error}") from None
    with transaction.atomic():
        run.committed = commit
        run.devices_seen, run.lines_seen = len(stock), len(wanted.needs)
        run.requests_seen = len({n.request for n in wanted.needs})
        run.units_asked = sum(n.quantity for n in wanted.needs)
        run.proposed = len(picks)
        run.store(stock=stock, needs=wanted.needs, picks=picks)
        run.shortages = shortage_rows(found)
        run.summary = run_summary(run, picks, found)
        if commit:
            _propose(run, picks, wanted)
        run.status, run.finished_at = MatchRun.Status.DONE, timezone.now()
        run.seconds = time.perf_counter() - started
        run.save()
    log.info("Matching run %s: %s devices proposed (%s)", run.pk, len(picks), "committed" if commit else "dry run")
    return run


def _known(value: int | None) -> int:
    """A pick's structured field: `allocate` fills every one in."""
    assert value is not None
    return value


def _propose(run: MatchRun, picks: list[Pick], wanted: EngineInput) -> None:
    Proposal.objects.pending().update(status=Proposal.Status.SUPERSEDED, decided_at=timezone.now())
    sites = dict(Site.objects.values_list("pk", "name"))
    approved_on = {
        pk: timezone.localdate(at)
        for pk, at in CommunityRequest.objects.filter(pk__in=wanted.own_tier).values_list("pk", "approved_at")
    }
    Proposal.objects.bulk_create(
        [
            Proposal(
                run=run,
                request_id=_known(pick.request),
                line_id=pick.need,
                device_id=pick.stock,
                tier=_known(pick.tier),
                waiting_days=_known(pick.waiting_days),
                from_site_id=_known(pick.from_site),
                to_site_id=_known(pick.to_site),
                reasons=pick_reasons(
                    pick,
                    sites=sites,
                    own_tier=wanted.own_tier[_known(pick.request)],
                    outside=pick.request in wanted.outside,
                    approved_on=approved_on[_known(pick.request)],
                ),
            )
            for pick in picks
        ],
        batch_size=1000,
    )


def run_counts(run: MatchRun) -> dict[str, int]:
    """How the run's proposals have been reviewed so far."""
    counts = Counter(dict(run.proposals.order_by().values_list("status").annotate(n=Count("id"))))
    return defaultdict(int, counts)
