"""Numbers handed out in order from named counters: asset tags, certificate and disposal references,
request numbers (`REQ-2026-0042`).

The counter rows live in an app's table (`settings.RELAY_COUNTER_MODEL`, the way Django finds
`AUTH_USER_MODEL`), so core imports no app. The model needs a `name` primary key and a `value`.
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone


def counter_model():
    return apps.get_model(settings.RELAY_COUNTER_MODEL)


def allocate_numbers(name: str, count: int) -> range:
    """Reserve `count` consecutive numbers from the counter `name`. Safe with several writers at once:
    the increment is one UPDATE, so two callers never get the same number."""
    if count < 1:
        return range(0)
    counter = counter_model()
    with transaction.atomic():
        counter.objects.get_or_create(name=name)
        counter.objects.filter(name=name).update(value=F("value") + count)
        end = counter.objects.get(name=name).value
    return range(end - count + 1, end + 1)


def allocate_references(
    series: str, count: int = 1, *, width: int, counter: str = "", yearly: bool = False
) -> list[str]:
    """`count` new references `SERIES-000042` (zero-padded to `width` digits).

    `counter` names the counter row (default: the series). With `yearly` the number restarts each
    calendar year and the year is part of the reference: `REQ-2026-0042`.
    """
    name = counter or series
    if yearly:
        year = timezone.localdate().year
        name, series = f"{name}-{year}", f"{series}-{year}"
    return [f"{series}-{n:0{width}d}" for n in allocate_numbers(name, count)]
