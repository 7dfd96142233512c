from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from reuse.models import Device
from reuse.roles import ADMIN, COORDINATOR, DESK, IT, has_role


@never_cache
def device_label_landing(request, tag: str):
    """Where a QR label leads. Staff go to the device; anyone else sees how to return it, nothing personal."""
    device = get_object_or_404(Device.objects.only("asset_tag", "kind", "status"), asset_tag=tag.strip().upper())
    if has_role(request.user, IT, DESK, COORDINATOR, ADMIN):
        return redirect(device)
    return render(request, "reuse/device_public.html", {"device": device})
