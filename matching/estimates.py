"""The estimated wait for each line of a request, shown on the confirmation and status pages.

Worked out from the queue ahead of the line (units of the same type that requests served before it still
need), the devices of that type ready now, and how many devices of that type meeting the line's minimum
spec have become ready over the last RATE_DAYS days. It is an estimate, and the page says how it is made.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from matching.models import Allocation, CommunityRequest, RequestLine, RequestStatus
from reuse.models import CustodyEvent, Device, DeviceStatus

RATE_DAYS = 90
# The stock counts behind an estimate are kept a while: with 100,000 devices they take a tenth of a second,
# and an estimate is no worse for counts a few minutes old.
READY_NOW_SECONDS = 5 * 60
RATE_SECONDS = 60 * 60
# Matching, review and booking take a little while even when the devices are on the shelf.
LEAD_WEEKS = 2


@dataclass(frozen=True)
class WaitEstimate:
    line: RequestLine
    remaining: int
    weeks: int | None  # None: cannot be estimated (nothing of the type has become ready lately)
    text: str
    method: str


def _plural(n: int, kind_label: str) -> str:
    word = kind_label.lower()
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _fitting(queryset, line: RequestLine, prefix: str = ""):
    """`queryset` cut to devices meeting the line's kind and minimum spec (what the engine requires)."""
    p = prefix
    conditions = Q(**{f"{p}kind": line.kind})
    if line.min_ram_gb:
        conditions &= Q(**{f"{p}ram_gb__gte": line.min_ram_gb})
    if line.min_storage_gb:
        conditions &= Q(**{f"{p}storage_gb__gte": line.min_storage_gb})
    if line.webcam:
        conditions &= Q(**{f"{p}webcam": True})
    if line.updates_until:
        conditions &= Q(**{f"{p}updates_until__gte": line.updates_until})
    return queryset.filter(conditions)


def _kept(key: str, count: Callable[[], int], seconds: int) -> int:
    """`count()`, from the cache when it was counted in the last `seconds`."""
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, seconds)
    return int(value)


def _ready_now(line: RequestLine) -> int:
    return _fitting(Device.objects.lendable(), line).count()


def _became_ready(line: RequestLine, since: datetime.datetime) -> int:
    """Devices fitting the line that moved into `ready` since `since` (each counted once)."""
    events = CustodyEvent.objects.filter(to_status=DeviceStatus.READY, at__gte=since).exclude(
        from_status=F("to_status")
    )
    return _fitting(events, line, "device__").values("device_id").distinct().count()


def _ahead(line: RequestLine, request: CommunityRequest) -> int:
    """Units of the line's type still needed by approved requests that are matched before this one."""
    approved = CommunityRequest.objects.filter(status=RequestStatus.APPROVED).exclude(pk=request.pk)
    if request.status == RequestStatus.APPROVED and request.tier:
        if request.in_area:
            earlier = Q(tier__lt=request.tier) | Q(tier=request.tier, approved_at__lt=request.approved_at)
            before = Q(in_area=True) & earlier
        else:  # every request inside the area comes first, then those outside it by waiting time
            before = Q(in_area=True) | Q(in_area=False, approved_at__lt=request.approved_at)
        approved = approved.filter(before)
    lines = RequestLine.objects.filter(request__in=approved, kind=line.kind)
    asked = lines.aggregate(n=Sum("quantity"))["n"] or 0
    allocated = Allocation.objects.live().filter(line__in=lines).count()
    return max(0, asked - allocated)


def estimate_waits(request: CommunityRequest, *, today: datetime.date | None = None) -> list[WaitEstimate]:
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=RATE_DAYS)
    estimates = []
    lines = request.lines.annotate(allocated=Count("allocations", filter=Q(allocations__cancelled_at__isnull=True)))
    for line in lines.order_by("pk"):
        remaining = max(0, line.quantity - line.allocated)
        kind_label = line.get_kind_display()
        if remaining == 0:
            estimates.append(WaitEstimate(line, 0, 0, "All allocated", "Every one asked for has been allocated."))
            continue
        ahead = _ahead(line, request)
        spec = f"{line.kind}:{line.min_ram_gb}:{line.min_storage_gb}:{int(line.webcam)}:{line.updates_until or '-'}"
        ready_now = _kept(f"matching:ready-now:{spec}", partial(_ready_now, line), READY_NOW_SECONDS)
        became_ready = _kept(f"matching:became-ready:{spec}:{today}", partial(_became_ready, line, since), RATE_SECONDS)
        per_week = became_ready * 7 / RATE_DAYS
        short = ahead + remaining - ready_now
        spec = " that meet your minimum spec" if line.spec_words else ""
        method = (
            f"Worked out from the {_plural(ahead, kind_label)} still needed by requests ahead of yours, the "
            f"{_plural(ready_now, kind_label)}{spec} ready now, and the {per_week:.1f} a week{spec} that have "
            f"become ready over the last {RATE_DAYS} days."
        )
        if short <= 0:
            weeks = LEAD_WEEKS
        elif per_week == 0:
            estimates.append(
                WaitEstimate(
                    line, remaining, None, "We cannot estimate this yet", method + " None have, so we cannot say."
                )
            )
            continue
        else:
            weeks = LEAD_WEEKS + math.ceil(short / per_week)
        text = f"About {weeks} weeks" if weeks <= 52 else "More than a year"
        estimates.append(WaitEstimate(line, remaining, weeks, text, method))
    return estimates
