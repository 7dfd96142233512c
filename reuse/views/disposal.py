"""Disposal batches: recycle or destroy devices with the recycler's paperwork."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.roles import IT, role_required
from reuse.forms.disposal import DestructionCertificateForm, DisposalForm
from reuse.models import Device, DisposalBatch
from reuse.services.disposal import disposal_batch_create, disposal_batch_record_certificate
from reuse.views.devices import selected_ids


@role_required(IT)
def disposal_list(request):
    batches = (
        DisposalBatch.objects.annotate(device_count=Count("items"))
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "reuse/disposal/list.html", {"page": page})


@role_required(IT)
@require_http_methods(["GET", "POST"])
def disposal_new(request):
    initial = {}
    ids = selected_ids(request.GET.getlist("device"))
    if ids:
        initial["tags"] = "\n".join(
            Device.objects.filter(pk__in=ids).order_by("asset_tag").values_list("asset_tag", flat=True)
        )
    form = DisposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags")
        devices = list(Device.objects.filter(asset_tag__in=tags))
        unknown = sorted(set(tags) - {d.asset_tag for d in devices})
        if unknown:
            form.add_error("tags", f"No device has the tag{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        else:
            try:
                batch = disposal_batch_create(devices=devices, actor=request.user, **data)
            except DomainError as error:
                form.add_error("tags", error.message)
            else:
                messages.success(
                    request,
                    f"Disposal batch {batch.reference}: {len(devices)} device"
                    f"{'s' if len(devices) != 1 else ''} {batch.get_method_display().lower()}d"
                    f" by {batch.recycler}.",
                )
                return redirect(batch)
    return render(request, "reuse/disposal/new.html", {"form": form})


@role_required(IT)
@require_http_methods(["GET", "POST"])
def disposal_detail(request, reference: str):
    batch = get_object_or_404(DisposalBatch.objects.select_related("created_by"), reference=reference.upper())
    form = DestructionCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disposal_batch_record_certificate(
                batch=batch, actor=request.user, reference=form.cleaned_data["destruction_certificate"]
            )
        except DomainError as error:
            form.add_error("destruction_certificate", error.message)
        else:
            messages.success(request, "Certificate of destruction reference recorded.")
            return redirect(batch)
    devices = Device.objects.filter(disposal_item__batch=batch).select_related("site").order_by("asset_tag")
    return render(request, "reuse/disposal/detail.html", {"batch": batch, "devices": devices, "form": form})
