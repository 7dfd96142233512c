"""The device page's sanitisation panel: drives, wipes, checklists, status change and certificates.

An inclusion tag so the panel brings its own queries and the device page needs one line to show it.
"""

from django import template

from core.roles import IT, has_role
from reuse.forms.devices import TransitionForm, page_statuses
from reuse.models import Certificate, DeviceStatus, DisposalItem, separate_verifier_required
from reuse.services.lifecycle import allowed_next

register = template.Library()


def _medium_state(records) -> tuple[str, str]:
    """(label, tag colour) for a drive from its current-cycle records, newest first."""
    if any(r.is_passing for r in records):
        return "Wiped and verified", "green"
    if not records:
        return "Not wiped", "grey"
    if not records[0].is_confirmable:
        return "Wipe failed", "red"
    return "Awaiting verification", "yellow"


@register.inclusion_tag("reuse/device/_sanitisation.html", takes_context=True)
def sanitisation_panel(context, device):
    user = context["request"].user
    records = list(
        device.sanitisations.select_related("medium", "operator", "verified_by", "evidence").order_by(
            "-ended_at", "-pk"
        )
    )
    current = [r for r in records if r.cycle == device.cycle]
    media = list(device.media.order_by("removed_at", "id"))
    for medium in media:
        medium.state = _medium_state([r for r in current if r.medium_id == medium.pk])
    checklists = list(device.reset_checklists.filter(cycle=device.cycle).select_related("operator", "verified_by"))
    for item in [*current, *checklists]:
        item.can_verify = item.can_be_verified_by(user)
    allowed = page_statuses(device.status, allowed_next(device.status))
    form = TransitionForm(allowed=allowed, prefix="status")
    return {
        "device": device,
        "is_it": has_role(user, IT),
        "received": device.status == DeviceStatus.RECEIVED,
        "media": media,
        "current": current,
        "earlier": [r for r in records if r.cycle != device.cycle],
        "checklists": checklists,
        "transition_form": form if form.fields["to_status"].choices else None,
        "certificates": Certificate.objects.filter(entries__device=device).order_by("-issued_at"),
        "disposal": DisposalItem.objects.filter(device=device).select_related("batch").first(),
        "separate": separate_verifier_required(),
        "user": user,
    }
