from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from reuse.models import Device, PreprintedTag
from reuse.roles import ADMIN, COORDINATOR, DESK, IT, has_role


@never_cache
def device_label_landing(request, tag: str):
    """Where a QR label leads. Staff go to the device; anyone else sees how to return it, nothing personal.

    A label printed ahead of time and not yet stuck on a logged device still says whose it is; staff
    are offered to log a device with it.
    """
    tag = tag.strip().upper()
    device = Device.objects.only("asset_tag", "kind", "status").filter(asset_tag=tag).first()
    staff = has_role(request.user, IT, DESK, COORDINATOR, ADMIN)
    if device is not None:
        return redirect(device) if staff else render(request, "reuse/device_public.html", {"device": device})
    spare = PreprintedTag.objects.filter(asset_tag=tag, device__isnull=True).first()
    if spare is None:
        raise Http404("No device has this asset tag")
    if not staff:
        return render(request, "reuse/device_public.html", {"device": spare})
    try:
        add_url = f"{reverse('reuse:device-add')}?asset_tag={tag}"
    except NoReverseMatch:
        add_url = None
    return render(request, "reuse/labels/unclaimed.html", {"tag": spare, "add_url": add_url})
