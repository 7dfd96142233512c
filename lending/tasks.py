"""django-q2 entry points. Each takes ids (never personal data) and calls a service."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from core.notify import NotifyError
from core.sms import send_sms
from lending.models import Hold, Loan
from lending.pdf import agreement_filename, build_loan_agreement
from lending.services.holds import hold_offer_next, holds_expire
from lending.services.messages import SMS, message_channel
from lending.services.reminders import reminders_send_due

log = logging.getLogger(__name__)


def email_agreement(loan_id: int) -> bool:
    """Email the borrower their signed agreement as a PDF attachment: by email whatever their preference (a
    text cannot carry it), and not at all without an address."""
    loan = Loan.objects.select_related("borrower", "device", "site").get(pk=loan_id)
    if not loan.borrower.email:
        return False
    body = render_to_string(
        "lending/email/agreement.txt",
        {"loan": loan, "borrower": loan.borrower, "council": settings.COUNCIL_NAME, "phone": settings.COUNCIL_PHONE},
    )
    message = EmailMessage(subject=f"Your {settings.SERVICE_NAME} loan agreement", body=body, to=[loan.borrower.email])
    message.attach(agreement_filename(loan), build_loan_agreement(loan), "application/pdf")
    message.send()
    log.info("Emailed the agreement for loan %s", loan.pk)
    return True


def notify_hold(hold_id: int) -> bool:
    """Tell a borrower that a device is waiting for them: by text if they prefer it, else by email. A refused
    text leaves the hold unmarked, so the desk's list still says to phone them."""
    hold = Hold.objects.select_related("borrower", "site", "device").get(pk=hold_id)
    channel = message_channel(hold.borrower)
    if hold.status != Hold.Status.OFFERED or channel is None or hold.notified_at:
        return False
    context = {
        "hold": hold,
        "borrower": hold.borrower,
        "council": settings.COUNCIL_NAME,
        "phone": settings.COUNCIL_PHONE,
    }
    if channel == SMS:
        try:  # no name in a text: it can be read over a shoulder
            send_sms(to=hold.borrower.phone, body=render_to_string("lending/sms/hold_ready.txt", context).strip())
        except NotifyError as error:
            log.warning("GOV.UK Notify refused the hold-ready text for hold %s: %s", hold.pk, error)
            return False
    else:
        EmailMessage(
            subject=f"Your {hold.get_device_kind_display().lower()} is ready to collect",
            body=render_to_string("lending/email/hold_ready.txt", context),
            to=[hold.borrower.email],
        ).send()
    Hold.objects.filter(pk=hold.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    log.info("Told the borrower on hold %s by %s that a device is waiting", hold.pk, channel)
    return True


def offer_holds_for_device(device_id: int):
    hold = hold_offer_next(device_id=device_id)
    return hold.pk if hold else None


def send_reminders() -> int:
    sent = reminders_send_due()
    log.info("Sent %s loan reminders", sent)
    return sent


def expire_holds() -> int:
    released = holds_expire()
    log.info("Released %s uncollected reservations", released)
    return released
