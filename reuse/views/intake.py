"""Intake pages: register one device, or upload a CSV, check its preview and confirm the import."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.errors import DomainError
from core.roles import IT, role_required
from reuse.forms.intake import DeviceForm, DriveRowForm, ImportOptionsForm, UploadForm, medium_formset
from reuse.intake import native
from reuse.models import DeviceImport
from reuse.services.intake import (
    device_receive,
    devices_import,
    upload_plan,
    upload_preview_refresh,
    upload_recheck,
    upload_store,
)

CARRIED_OVER = ("kind", "make", "model", "site", "lot", "source_department")  # "Save and add another"


@role_required(IT)
def device_add(request):
    if request.method == "POST" and ("add_drive" in request.POST or "refresh" in request.POST):
        form, media = _redisplay(request, extra_drive="add_drive" in request.POST)
    elif request.method == "POST":
        form = DeviceForm(request.POST, user=request.user)
        media = medium_formset(data=request.POST, kind=request.POST.get("kind"))
        if form.is_valid() & media.is_valid():  # both, so every error shows at once
            device = _register(request, form, media)
            if device is not None:
                messages.success(request, f"{device.asset_tag} registered: {device.make} {device.model}.")
                if "another" in request.POST:
                    carry = {k: request.POST.get(k, "") for k in CARRIED_OVER if request.POST.get(k)}
                    return redirect(f"{reverse('reuse:device-add')}?{urlencode(carry)}")
                return redirect(device)
    else:
        form = DeviceForm(initial={k: v for k, v in request.GET.items() if k in CARRIED_OVER}, user=request.user)
        media = medium_formset()
    return render(request, "reuse/intake/device_form.html", {"form": form, "media": media})


def _register(request, form, media):
    try:
        return device_receive(
            actor=request.user,
            site=form.cleaned_data["site"],
            fields=form.device_fields(),
            media=media.media(),
            asset_tag=form.cleaned_data["label"],
        )
    except DomainError as exc:  # a pre-printed label's tag refused (taken, or not one Relay printed)
        form.add_error("label" if form.cleaned_data["label"] else None, exc.message)
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


def _redisplay(request, *, extra_drive: bool):
    """Show the form again as typed (plus a blank drive row if asked), judging nothing yet.

    The drive rows come back as initial values of unbound forms, so no error appears for a form that
    is only half filled in.
    """
    post = request.POST
    try:
        count = max(0, min(int(post.get("media-TOTAL_FORMS", 1)), 8))
    except ValueError:
        count = 1
    initial = [{name: post.get(f"media-{i}-{name}", "") for name in DriveRowForm.base_fields} for i in range(count)]
    initial_device = {
        k: post.getlist(k) if k == "accessories" else post.get(k) for k in post if k in DeviceForm.base_fields
    }
    form = DeviceForm(initial=initial_device, user=request.user)
    return form, medium_formset(initial=initial, extra=1 if extra_drive or not initial else 0)


@role_required(IT)
def intake_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = upload_store(
            actor=request.user,
            site=form.cleaned_data["site"],
            file_name=upload.name,
            content=upload.read(),
            date_format=form.cleaned_data["date_format"],
            lot=form.cleaned_data["lot"],
        )
        return redirect("reuse:intake-preview", token=record.token)
    recent = DeviceImport.objects.filter(imported_at__isnull=False).select_related("uploaded_by", "site")[:10]
    return render(request, "reuse/intake/upload.html", {"form": form, "recent": recent})


@role_required(IT)
def intake_preview(request, token: str):
    record = get_object_or_404(
        DeviceImport.objects.defer("content", "plan"),
        token=token,
        uploaded_by=request.user,
        imported_at__isnull=True,
        content__isnull=False,
        plan__isnull=False,
    )
    options = ImportOptionsForm(instance=record)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        record.delete()
        messages.info(request, "Import cancelled: the uploaded file has been deleted.")
        return redirect("reuse:intake")
    if action == "options":
        options = ImportOptionsForm(request.POST, instance=record)
        if options.is_valid():
            upload_recheck(record=options.save(commit=False))
            return redirect("reuse:intake-preview", token=record.token)
    if action == "import":
        done = _confirm(request, record)
        if done:
            return done
        record.refresh_from_db(fields=["preview"])
    # The summary stored at upload: the first rows, then only rows with something to say.
    summary = record.preview
    context = {"record": record, "plan": summary, "options": options, "row_lines": set(summary["row_lines"])}
    return render(request, "reuse/intake/preview.html", context)


def _confirm(request, record):
    plan = upload_plan(record=DeviceImport.objects.get(pk=record.pk))
    if str(len(plan.to_create)) != request.POST.get("expected"):
        upload_preview_refresh(record=record, plan=plan)
        messages.warning(
            request,
            "The check of this file changed since you looked at it (someone may have added "
            "some of these devices): review it again.",
        )
        return None
    try:
        devices_import(plan=plan, actor=request.user, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    skipped = f"; {record.skipped_count} already imported were skipped" if record.skipped_count else ""
    messages.success(
        request, f"Imported {record.created_count} devices from {record.file_name} at {record.site}{skipped}."
    )
    return redirect(f"{reverse('reuse:device-list')}?{urlencode({'intake': record.pk})}")


@require_GET
@role_required(IT)
def intake_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="relay-intake-template.csv"'
    response.write("\ufeff")  # so Excel opens it as UTF-8
    csv.writer(response).writerows(native.template_rows())
    return response
