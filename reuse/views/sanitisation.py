"""IT technicians' pages for drives, wipes, reset checklists, their verification, and status changes."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from reuse.errors import DomainError
from reuse.forms.sanitisation import (
    MediumForm,
    MediumRemoveForm,
    ResetChecklistForm,
    SanitisationRecordForm,
    TransitionForm,
    VerifyRecordForm,
)
from reuse.models import Device, DeviceStatus, Evidence, ResetChecklist, SanitisationRecord
from reuse.roles import IT, role_required
from reuse.services import sanitisation as services
from reuse.services.evidence import evidence_discard, evidence_store
from reuse.services.lifecycle import allowed_next, device_transition

GET_POST = require_http_methods(["GET", "POST"])


def _device(tag: str) -> Device:
    return get_object_or_404(Device.objects.select_related("site"), asset_tag=tag.upper())


def _error(form, error: DomainError):
    """Show a service's refusal in the form's error summary, one line per gate problem if it has them."""
    for problem in error.details.get("problems") or [error.message]:
        form.add_error(None, problem)


@role_required(IT)
@GET_POST
def device_transition_view(request, tag: str):
    device = _device(tag)
    form = TransitionForm(request.POST or None, allowed=allowed_next(device.status), prefix="status")
    if request.method == "POST" and form.is_valid():
        to_status = form.cleaned_data["to_status"]
        try:
            device_transition(device=device, to_status=to_status, actor=request.user,
                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, f"{device.asset_tag} cannot become {DeviceStatus(to_status).label.lower()}:")
            _error(form, error)
        else:
            messages.success(request, f"{device.asset_tag} is now {DeviceStatus(to_status).label.lower()}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/transition.html", {"device": device, "form": form})


@role_required(IT)
@GET_POST
def medium_add(request, tag: str):
    device = _device(tag)
    form = MediumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            medium = services.medium_add(device=device, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _error(form, error)
        else:
            messages.success(request, f"Added {medium} to {device.asset_tag}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/medium_add.html", {"device": device, "form": form})


@role_required(IT)
@GET_POST
def medium_remove(request, tag: str, pk: int):
    device = _device(tag)
    medium = get_object_or_404(device.media, pk=pk, removed_at__isnull=True)
    form = MediumRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.medium_remove(medium=medium, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _error(form, error)
        else:
            messages.success(request, f"Marked {medium} as removed from {device.asset_tag}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/medium_remove.html",
                  {"device": device, "medium": medium, "form": form})


@role_required(IT)
@GET_POST
def record_wipe(request, tag: str, medium_pk: int):
    device = _device(tag)
    medium = get_object_or_404(device.media, pk=medium_pk, removed_at__isnull=True)
    form = SanitisationRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("evidence")
        stored = None
        try:
            if upload:
                stored = evidence_store(upload=upload, actor=request.user)
            services.sanitisation_record(device=device, medium=medium, actor=request.user,
                                         evidence=stored[0] if stored else None, **data)
        except DomainError as error:
            evidence_discard(stored)
            field = "evidence" if error.code.startswith("evidence") else None
            form.add_error(field, error.message)
        else:
            messages.success(request, f"Wipe of {medium} recorded. A second technician must now verify it.")
            return redirect(device)
    return render(request, "reuse/sanitisation/record_wipe.html", {"device": device, "medium": medium, "form": form})


@role_required(IT)
@GET_POST
def record_verify(request, pk: int):
    record = get_object_or_404(
        SanitisationRecord.objects.select_related("device", "medium", "operator", "verified_by", "evidence"), pk=pk)
    form = VerifyRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services.sanitisation_verify(record=record, actor=request.user, confirm=confirm,
                                         reason=form.cleaned_data["reason"])
        except DomainError as error:
            _error(form, error)
        else:
            verb = "confirmed" if confirm else "rejected"
            messages.success(request, f"You {verb} the wipe of {record.medium or 'the device'}.")
            return redirect(record.device)
    return render(request, "reuse/sanitisation/record_verify.html", {"record": record, "form": form})


@role_required(IT)
@GET_POST
def checklist_record(request, tag: str):
    device = _device(tag)
    form = ResetChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_checklist_record(device=device, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _error(form, error)
        else:
            messages.success(request, "Reset checklist recorded. A second technician must now verify it.")
            return redirect(device)
    return render(request, "reuse/sanitisation/checklist_record.html", {"device": device, "form": form})


@role_required(IT)
@require_http_methods(["POST"])
def checklist_verify(request, pk: int):
    checklist = get_object_or_404(ResetChecklist.objects.select_related("device"), pk=pk)
    try:
        services.reset_checklist_verify(checklist=checklist, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You verified the reset checklist of {checklist.device.asset_tag}.")
    return redirect(checklist.device)


@role_required(IT)
def evidence_download(request, pk: int):
    """The tool's report, byte for byte, always as a download: never rendered by the browser."""
    evidence = get_object_or_404(Evidence, pk=pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
