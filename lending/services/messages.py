"""How lending reaches a borrower: by text message when they prefer it (and have a phone number, and SMS is
on), else by email when they have an address. Reminders and the hold-ready message both ask here; the
signed agreement is a PDF, so it only ever goes by email."""

from core.sms import sms_enabled
from lending.models import Borrower

SMS, EMAIL = "sms", "email"


def message_channel(borrower: Borrower) -> str | None:
    """ "sms", "email", or None when there is no way to reach them (staff phone them instead)."""
    if borrower.prefers_sms and sms_enabled():
        return SMS
    return EMAIL if borrower.email else None
