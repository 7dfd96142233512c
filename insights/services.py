"""Recount the published figures from the custody record (and, once matching lands, the requests).

`figures_refresh` is the only writer of `Tally`: it counts with a few GROUP BY queries over the source
tables and replaces every row in one transaction, under a row lock so two refreshes never interleave.
It runs on a django-q2 schedule (OPEN_DATA_REFRESH_MINUTES) and when a coordinator asks for it.
"""

import datetime
import time
import zoneinfo
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from insights.models import Measure, Publication, Tally
from reuse.models import CustodyEvent, DeviceStatus

S = DeviceStatus
REUSE_STATUSES = (S.ON_LOAN, S.GIFTED)


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


def figures_refresh() -> Publication:
    """Recount every published figure and replace the rollup in one transaction; returns the new publication."""
    Publication.objects.get_or_create(pk=1)
    started = time.monotonic()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=1)
        rows = [*_status_tallies(), *_first_reuse_tallies()]
        Tally.objects.all().delete()
        Tally.objects.bulk_create(rows, batch_size=2000)
        publication.refreshed_at = timezone.now()
        publication.duration_ms = round((time.monotonic() - started) * 1000)
        publication.save()
    return publication
