"""Lending's listeners: devices becoming ready (to fill holds) and post_migrate (task schedules)."""

import datetime

from django.conf import settings
from django.utils import timezone

from core.tasks import on_commit_task
from lending.models import Hold
from reuse.models import DeviceStatus

SCHEDULES = [
    # name, task, schedule type, minutes (for MINUTES)
    ("Loan reminders", "lending.tasks.send_reminders", "D", None),
    ("Release uncollected reservations", "lending.tasks.expire_holds", "H", None),
]


def device_changed(sender, *, device_id, from_status, to_status, site_id, **kwargs):
    """A device became ready (or was moved while ready): offer it to a waiting hold, if anyone waits there."""
    if to_status != DeviceStatus.READY or site_id is None:
        return
    if not Hold.objects.filter(site_id=site_id, status=Hold.Status.WAITING).exists():
        return
    on_commit_task("lending.tasks.offer_holds_for_device", device_id)


def ensure_defaults(**kwargs):
    """After every migrate: loan terms (version 1) and a default policy if there are none, and the
    django-q2 schedules. Idempotent; an administrator may change any of them afterwards."""
    from django_q.models import Schedule

    from lending.defaults import create_defaults
    from lending.models import AgreementVersion, LoanPolicy

    create_defaults(AgreementVersion, LoanPolicy)

    first_run = timezone.localtime().replace(hour=settings.LOAN_REMINDER_HOUR, minute=0, second=0, microsecond=0)
    if first_run <= timezone.localtime():
        first_run += datetime.timedelta(days=1)
    for name, func, schedule_type, minutes in SCHEDULES:
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": schedule_type,
                "minutes": minutes,
                "next_run": first_run,
                "repeats": -1,
            },
        )
