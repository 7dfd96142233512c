"""Recount the published figures from the custody record and the community requests.

`figures_refresh` is the only writer of `Tally`: it counts with a few GROUP BY queries over the source
tables and replaces every row in one transaction, under a row lock so two refreshes never interleave.
It runs on a django-q2 schedule (OPEN_DATA_REFRESH_MINUTES) and when a coordinator asks for it.
"""

import datetime
import string
import time
import zoneinfo
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from insights.models import Measure, Outcome, Publication, Tally
from matching.models import CommunityRequest, FollowUp, RequestStatus
from matching.services.requests import DISTRICT
from reuse.models import CustodyEvent, DeviceStatus

S = DeviceStatus
REUSE_STATUSES = (S.ON_LOAN, S.GIFTED)
# A ward (any area that is not a postcode district) is named in the figures only once this many requests
# name it: the area is typed by the group, and a name typed once or twice may be anything, a person's too.
AREA_NAMED_FROM = 5
OTHER_AREA = "other"


OUTCOME_OF: dict[str, Outcome] = {
    RequestStatus.SUBMITTED: Outcome.WAITING,
    RequestStatus.APPROVED: Outcome.WAITING,
    RequestStatus.FULFILLED: Outcome.FULFILLED,
    RequestStatus.DECLINED: Outcome.DECLINED,
    RequestStatus.WITHDRAWN: Outcome.WITHDRAWN,
    RequestStatus.CLOSED: Outcome.CLOSED,
}


def council_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the month `moment` falls in, on the council's clock."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment, council_zone()).date()
    return moment.replace(day=1)


def _status_tallies() -> Iterator[Tally]:
    """Devices entering each status per month, site and type. Notes that keep a status (a move) are not
    entries; `received` counts the first event only, dated by the device's own received date."""
    zone = council_zone()
    changes = CustodyEvent.objects.exclude(from_status=F("to_status")).exclude(
        Q(to_status=S.RECEIVED) | Q(from_status="")
    )
    intake = CustodyEvent.objects.filter(from_status="", to_status=S.RECEIVED)
    for queryset, when in ((changes, "at"), (intake, "device__received_at")):
        rows = (
            queryset.annotate(month=TruncMonth(when, tzinfo=zone))
            .values("month", "site_id", "device__kind", "to_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            yield Tally(
                measure=Measure.STATUS,
                month=month_of(row["month"]),
                site_id=row["site_id"],
                kind=row["device__kind"],
                category=row["to_status"],
                value=row["n"],
            )


def _first_reuse_tallies() -> Iterator[Tally]:
    """Each device's first loan or gift, counted once: per month, site and type, and as whole days from
    its received date (the histogram the median reads)."""
    firsts: Counter = Counter()
    days: Counter = Counter()
    events = (
        CustodyEvent.objects.filter(to_status__in=REUSE_STATUSES)
        .exclude(from_status=F("to_status"))
        .order_by("device_id", "seq")
        .values_list("device_id", "at", "site_id", "device__kind", "device__received_at")
    )
    zone, last_device = council_zone(), None
    for device_id, at, site_id, kind, received_at in events.iterator(chunk_size=5000):
        if device_id == last_device:
            continue
        last_device = device_id
        month = month_of(at)
        firsts[(month, site_id, kind)] += 1
        waited = (timezone.localtime(at, zone).date() - timezone.localtime(received_at, zone).date()).days
        days[(month, site_id, max(0, waited))] += 1
    for (month, site_id, kind), n in firsts.items():
        yield Tally(measure=Measure.FIRST_REUSE, month=month, site_id=site_id, kind=kind, value=n)
    for (month, site_id, waited), n in days.items():  # by site only: the median is never asked per type
        yield Tally(measure=Measure.REUSE_DAYS, month=month, site_id=site_id, bucket=waited, value=n)


def _area_key(text: str) -> str:
    """A postcode district as itself (from a full postcode too); any other area case- and space-folded."""
    cleaned = " ".join((text or "").split())
    match = DISTRICT.match(cleaned.upper())
    return match.group(1) if match else cleaned.casefold()


def published_areas(areas: list[str]) -> dict[str, str]:
    """How each area a request gave is named in the figures: a postcode district as itself; a ward by its
    name once AREA_NAMED_FROM requests name it, else "other" (a name typed by one group stays unpublished)."""
    keys = {area: _area_key(area) for area in set(areas)}
    named = Counter(keys[area] for area in areas)
    published = {}
    for area, key in keys.items():
        if DISTRICT.match(key):
            published[area] = key
        elif key and named[key] >= AREA_NAMED_FROM:
            published[area] = string.capwords(key)
        else:
            published[area] = OTHER_AREA
    return published


def _month_after(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _request_tallies() -> Iterator[Tally]:
    """Requests received (by their outcome now), fulfilled and waiting at each month's end, and the people
    their handovers reached: per month, collection branch, organisation type and published area."""
    rows = list(
        CommunityRequest.objects.values_list(
            "pk", "submitted_at", "finished_at", "status", "collection_site_id", "organisation__kind", "area"
        )
    )
    area_of = published_areas([row[6] for row in rows])
    this_month = month_of(timezone.now())
    counts: Counter = Counter()
    where: dict[int, tuple] = {}
    for pk, submitted_at, finished_at, status, site_id, org_type, area in rows:
        place = (site_id, org_type, area_of[area])
        where[pk] = place
        start = month_of(submitted_at)
        counts[(Measure.REQUESTS, start, *place, OUTCOME_OF[status])] += 1
        if status == RequestStatus.FULFILLED and finished_at is not None:
            counts[(Measure.REQUESTS_FULFILLED, month_of(finished_at), *place, "")] += 1
        # Waiting at the end of each month from its submission until the month it finished (this month: now).
        until = month_of(finished_at) if finished_at else _month_after(this_month)
        month = start
        while month < until:
            counts[(Measure.REQUESTS_WAITING, month, *place, "")] += 1
            month = _month_after(month)
    for (handover_month, request_id), people in _people_reached().items():
        counts[(Measure.PEOPLE_REACHED, handover_month, *where[request_id], "")] += people
    for (measure, month, site_id, org_type, area, outcome), n in counts.items():
        if n:
            yield Tally(
                measure=measure,
                month=month,
                site_id=site_id,
                organisation_type=org_type,
                area=area,
                category=outcome,
                value=n,
            )


def _people_reached() -> Counter:
    """People reached per (handover month, request): each handover's latest answered follow-up, once
    (as `FollowUp.objects.figures()` counts them)."""
    latest: dict[int, tuple] = {}
    answers = FollowUp.objects.answered().values_list(
        "handover_id", "days", "people_reached", "request_id", "handover__performed_at"
    )
    for handover_id, days, people, request_id, performed_at in answers:
        if handover_id not in latest or days > latest[handover_id][0]:
            latest[handover_id] = (days, people or 0, request_id, performed_at)
    reached: Counter = Counter()
    for _days, people, request_id, performed_at in latest.values():
        reached[(month_of(performed_at), request_id)] += people
    return reached


def figures_refresh() -> Publication:
    """Recount every published figure and replace the rollup in one transaction; returns the new publication."""
    Publication.objects.get_or_create(pk=1)
    started = time.monotonic()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=1)
        rows = [*_status_tallies(), *_first_reuse_tallies(), *_request_tallies()]
        Tally.objects.all().delete()
        Tally.objects.bulk_create(rows, batch_size=2000)
        publication.refreshed_at = timezone.now()
        publication.duration_ms = round((time.monotonic() - started) * 1000)
        publication.save()
    return publication
