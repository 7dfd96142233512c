"""The worker's schedules: written by code after every migrate, from each app's own list, never in the admin
(a schedule names the function the worker calls; core.admin keeps them read-only)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Scheduled:
    name: str  # what people see in the admin's list of schedules
    func: str  # the dotted path of one of the app's own tasks
    schedule_type: str  # django-q2's: "H" hourly, "D" daily
    hour: int | None = None  # for daily ones: the hour of the council's clock to run at


def first_run(hour: int | None) -> datetime.datetime:
    now = timezone.localtime()
    if hour is None:
        return now
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def ensure_schedules(entries: list[Scheduled]) -> None:
    """Create each schedule once (by name); one an administrator paused or moved is left as it is."""
    from django_q.models import Schedule

    for entry in entries:
        Schedule.objects.get_or_create(
            name=entry.name,
            defaults={
                "func": entry.func,
                "schedule_type": entry.schedule_type,
                "next_run": first_run(entry.hour),
                "repeats": -1,
            },
        )
