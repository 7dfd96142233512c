"""A device's own pages: its staff page, its status change, its details, a correction, and where its QR
label leads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import parse_ids
from core.ratelimit import for_anonymous, rate_limit
from core.roles import ADMIN, COORDINATOR, DESK, IT, has_role, role_required
from core.timeline import timeline
from reuse.forms.devices import CorrectionForm, DeviceEditForm, TransitionForm, page_statuses
from reuse.gates import sanitisation_gate_problems
from reuse.models import Device, DeviceStatus, PreprintedTag
from reuse.services.devices import device_edit
from reuse.services.lifecycle import allowed_next, correctable, device_correct, device_transition
from reuse.services.reservations import live_reservation


def device_in_scope(tag: str, user) -> Device:
    """The device with `tag`, if `user` may see it (desk staff: only at their own sites); 404 otherwise."""
    return get_object_or_404(Device.objects.visible_to(user).select_related("site"), asset_tag=tag.upper())


def selected_ids(values) -> list[int]:
    """The device ids a list page posted (`device=<pk>` once per ticked row); anything else is dropped."""
    return parse_ids(values)


def show_refusal(form, error: DomainError) -> None:
    """A service's refusal in the form's error summary, one line per gate problem if it has them."""
    for problem in error.details.get("problems") or [error.message]:
        form.add_error(None, problem)


@role_required(IT, DESK, COORDINATOR)
def device_detail(request, tag: str):
    device = device_in_scope(tag, request.user)
    context = {
        "device": device,
        "history": timeline([device.pk], request.user),
        "next_statuses": allowed_next(device.status),
        "gate_problems": sanitisation_gate_problems(device) if device.status == DeviceStatus.RECEIVED else [],
        "reservation": live_reservation(device) if device.status == DeviceStatus.RESERVED else None,
        "is_it": has_role(request.user, IT),
        "correctable": correctable(device),
    }
    return render(request, "reuse/device_detail.html", context)


@role_required(IT)
@require_http_methods(["GET", "POST"])
def device_transition_view(request, tag: str):
    device = device_in_scope(tag, request.user)
    allowed = page_statuses(device.status, allowed_next(device.status))
    form = TransitionForm(request.POST or None, allowed=allowed, prefix="status")
    if request.method == "POST" and form.is_valid():
        to_status = form.cleaned_data["to_status"]
        try:
            device_transition(
                device=device, to_status=to_status, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, f"{device.asset_tag} cannot become {DeviceStatus(to_status).label.lower()}:")
            show_refusal(form, error)
        else:
            messages.success(request, f"{device.asset_tag} is now {DeviceStatus(to_status).label.lower()}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/transition.html", {"device": device, "form": form})


@never_cache
@rate_limit("label-landing", for_anonymous("60/m"))
def device_label_landing(request, tag: str):
    """Where a QR label leads. Staff go to the device; anyone else sees how to return it, nothing personal.

    A label printed ahead of time and not yet stuck on a logged device still says whose it is; staff
    are offered to log a device with it.
    """
    tag = tag.strip().upper()
    device = Device.objects.only("asset_tag", "kind", "status").filter(asset_tag=tag).first()
    staff = has_role(request.user, IT, DESK, COORDINATOR, ADMIN)
    if device is not None:
        # Desk staff of another branch see what a finder sees: the device page is for those it is visible to.
        if staff and Device.objects.visible_to(request.user).filter(pk=device.pk).exists():
            return redirect(device)
        return render(request, "reuse/device_public.html", {"device": device})
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


@role_required(IT)
@require_http_methods(["GET", "POST"])
def device_edit_view(request, tag: str):
    device = device_in_scope(tag, request.user)
    form = DeviceEditForm(request.POST or None, instance=device)
    if request.method == "POST" and form.is_valid():
        try:
            device_edit(
                device=device_in_scope(tag, request.user),
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **form.device_fields(),
            )
        except DomainError as error:
            show_refusal(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{device.asset_tag}'s details are saved.")
            return redirect(device)
    return render(request, "reuse/device/edit.html", {"device": device, "form": form})


@role_required(IT)
@require_http_methods(["GET", "POST"])
def device_correct_view(request, tag: str):
    """Undo the device's latest status change, made by mistake, with a correction event (`device_correct`)."""
    device = device_in_scope(tag, request.user)
    event = correctable(device)
    form = CorrectionForm(request.POST or None, initial={"event": event.pk if event else None})
    if request.method == "POST" and form.is_valid():
        chosen = device.events.filter(pk=form.cleaned_data["event"]).first()
        try:
            if chosen is None:
                raise DomainError("not_correctable", "That status change is not this device's.")
            device_correct(device=device, event=chosen, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{device.asset_tag} is back to {device.get_status_display().lower()}.")
            return redirect(device)
    return render(request, "reuse/device/correct.html", {"device": device, "event": event, "form": form})
