"""matching's listener: after every migrate, the default tiers and terms and the django-q2 schedules."""

import datetime

from django.conf import settings
from django.utils import timezone

SCHEDULES = [
    # name, task, schedule type, hour of the first run
    ("Nightly matching", "matching.tasks.run_nightly", "D", "MATCHING_HOUR"),
    ("Request follow-ups", "matching.tasks.send_follow_ups", "D", "LOAN_REMINDER_HOUR"),
]


def _next(hour: int) -> datetime.datetime:
    first = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return first + datetime.timedelta(days=1) if first <= timezone.localtime() else first


def ensure_defaults(**kwargs):
    """Idempotent: creates what is missing and leaves what an administrator changed alone."""
    from django_q.models import Schedule

    from matching.defaults import create_defaults
    from matching.models import HandoverTerms, Tier

    create_defaults(Tier, HandoverTerms)
    for name, func, schedule_type, hour_setting in SCHEDULES:
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": schedule_type,
                "next_run": _next(getattr(settings, hour_setting)),
                "repeats": -1,
            },
        )
