"""Lending's listeners: devices becoming ready (to fill holds) and post_migrate (task schedules)."""

from django.conf import settings

from core.schedules import Scheduled, ensure_schedules
from core.tasks import on_commit_task
from lending.models import Hold
from reuse.models import DeviceStatus


def _schedules() -> list[Scheduled]:
    return [
        Scheduled("Loan reminders", "lending.tasks.send_reminders", "D", hour=settings.LOAN_REMINDER_HOUR),
        Scheduled("Release uncollected reservations", "lending.tasks.expire_holds", "H"),
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
    from lending.defaults import create_defaults
    from lending.models import AgreementVersion, LoanPolicy

    create_defaults(AgreementVersion, LoanPolicy)
    ensure_schedules(_schedules())
