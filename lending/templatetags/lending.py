"""Lending's part of the staff device page (reuse's template includes it; reuse's code never imports lending)."""

from django import template

from lending.models import Hold, Loan

register = template.Library()


@register.inclusion_tag("reuse/device/_lending_panel.html", takes_context=True)
def device_lending(context, device):
    loans = list(
        Loan.objects.filter(device=device).select_related("borrower", "site", "device").order_by("-issued_at")[:10]
    )
    last = loans[0] if loans else None
    return {
        "perms": context.get("perms"),
        "device": device,
        "loans": loans,
        "open_loan": next((loan for loan in loans if loan.is_open), None),
        "needs_wipe_after_loan": last is not None and last.back_and_not_wiped,
        "hold": Hold.objects.filter(device=device, status=Hold.Status.OFFERED).select_related("site").first(),
    }
