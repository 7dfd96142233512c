"""Lending's part of the staff device page (reuse's template includes it; reuse's code never imports lending)."""

from django import template

from lending.models import Hold, Loan

register = template.Library()


@register.inclusion_tag("reuse/device/_lending_panel.html", takes_context=True)
def device_lending(context, device):
    loans = list(Loan.objects.filter(device=device).select_related("borrower", "site").order_by("-issued_at")[:10])
    last_closed = next((loan for loan in loans if not loan.is_open), None)
    return {
        "perms": context.get("perms"),
        "device": device,
        "loans": loans,
        "open_loan": next((loan for loan in loans if loan.is_open), None),
        # Back from a loan and not yet wiped again: the borrower's data may still be on it.
        "needs_wipe_after_loan": device.status == "received" and last_closed is not None
        and last_closed.outcome == Loan.Outcome.RETURNED and last_closed.closed_at >= _last_received(device),
        "hold": Hold.objects.filter(device=device, status=Hold.Status.OFFERED).select_related("site").first(),
    }


def _last_received(device):
    event = device.events.filter(to_status="received").order_by("-seq").first()
    return event.at if event else device.received_at
