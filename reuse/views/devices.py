from django.shortcuts import get_object_or_404, render

from reuse.models import Device
from reuse.roles import COORDINATOR, DESK, IT, role_required
from reuse.services.lifecycle import allowed_next, sanitisation_gate_problems


@role_required(IT, DESK, COORDINATOR)
def device_detail(request, tag: str):
    device = get_object_or_404(Device.objects.select_related("site"), asset_tag=tag.upper())
    events = device.events.select_related("actor", "site").order_by("-seq")
    context = {
        "device": device,
        "events": events,
        "next_statuses": allowed_next(device.status),
        "gate_problems": sanitisation_gate_problems(device) if device.status == "received" else [],
    }
    return render(request, "reuse/device_detail.html", context)
