"""Loan reminders by email, or by text message for borrowers who prefer it: due soon, then overdue at each
of OVERDUE_REMINDER_DAYS.

Each reminder is recorded before it is sent, in the same transaction, under a unique (loan, kind)
index: a reminder goes once however often the schedule runs, and a failed send is rolled back and
tried again next run. The kind names the due date, so a renewed loan is reminded afresh. Log lines
carry loan ids only.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.notify import NotifyError
from core.sms import send_sms
from lending.models import Loan, Reminder
from lending.services.messages import message_channel

log = logging.getLogger(__name__)


def reminder_kind(loan: Loan, today: datetime.date) -> str | None:
    """Which reminder `loan` is due today, if any: the latest step it has reached."""
    days_left = (loan.due_date - today).days
    if 0 <= days_left <= settings.LOAN_DUE_SOON_DAYS:
        return f"due_soon:{loan.due_date.isoformat()}"
    reached = [step for step in settings.OVERDUE_REMINDER_DAYS if -days_left >= step]
    if reached:
        return f"overdue_{reached[-1]}:{loan.due_date.isoformat()}"
    return None


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Send every reminder due today that has not gone yet. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.LOAN_DUE_SOON_DAYS)
    loans = (
        Loan.objects.open()
        .filter(due_date__lte=horizon)
        .exclude(borrower__email="", borrower__phone="")
        .select_related("borrower", "device", "site")
    )
    sent = 0
    for loan in loans.iterator(chunk_size=500):
        kind = reminder_kind(loan, today)
        if kind and reminder_send(loan=loan, kind=kind, today=today):
            sent += 1
    return sent


def reminder_channel(loan: Loan) -> str | None:
    """How this borrower is reminded: by text if they prefer it and SMS is on, else by email if they have one."""
    return message_channel(loan.borrower)


def reminder_send(*, loan: Loan, kind: str, today: datetime.date) -> bool:
    channel = reminder_channel(loan)
    if channel is None:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(loan=loan, kind=kind)
            (_sms if channel == "sms" else _email)(loan, kind, today)
    except IntegrityError:
        return False  # already sent
    except NotifyError as error:  # rolled back: tried again on the next run
        log.warning("GOV.UK Notify refused the %s reminder for loan %s: %s", channel, loan.pk, error)
        return False
    log.info("Sent %s reminder for loan %s by %s", kind.split(":")[0], loan.pk, channel)
    return True


def _sms(loan: Loan, kind: str, today: datetime.date) -> None:
    context = {"loan": loan, "overdue": kind.startswith("overdue"), "council": settings.COUNCIL_NAME}
    send_sms(
        to=loan.borrower.phone,
        body=render_to_string("lending/sms/reminder.txt", {**context, "phone": settings.COUNCIL_PHONE}).strip(),
    )


def _email(loan: Loan, kind: str, today: datetime.date) -> None:
    overdue = kind.startswith("overdue")
    context = {
        "loan": loan,
        "borrower": loan.borrower,
        "overdue": overdue,
        "days_overdue": (today - loan.due_date).days,
        "council": settings.COUNCIL_NAME,
        "service": settings.SERVICE_NAME,
        "phone": settings.COUNCIL_PHONE,
    }
    subject = (
        f"Your {loan.device.get_kind_display().lower()} loan is overdue"
        if overdue
        else f"Your {loan.device.get_kind_display().lower()} is due back on {loan.due_date:%-d %B}"
    )
    body = render_to_string("lending/email/reminder.txt", context)
    EmailMessage(subject=subject, body=body, to=[loan.borrower.email]).send()
