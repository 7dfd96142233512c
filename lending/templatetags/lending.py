"""Lending's part of the staff device page (reuse's template includes it; reuse's code never imports lending)."""

from django import template

from lending.models import Hold, Loan
from reuse.models import DeviceStatus

register = template.Library()


@register.inclusion_tag("reuse/device/_lending_panel.html", takes_context=True)
def device_lending(context, device):
    loans = list(Loan.objects.filter(device=device).select_related("borrower", "site").order_by("-issued_at")[:10])
    last = loans[0] if loans else None
    return {
        "perms": context.get("perms"),
        "device": device,
        "loans": loans,
        "open_loan": next((loan for loan in loans if loan.is_open), None),
        # Back from a loan and not wiped since (a wipe moves it on from `received`): the borrower's data
        # may still be on it.
        "needs_wipe_after_loan": device.status == DeviceStatus.RECEIVED and last is not None
        and last.outcome == Loan.Outcome.RETURNED,
        "hold": Hold.objects.filter(device=device, status=Hold.Status.OFFERED).select_related("site").first(),
    }

