"""IT technicians' sanitisation pages: drives, wipes and reset checklists with their verification, the
verification queue, batches of devices, and wipe-log imports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.roles import IT, role_required
from reuse.forms.sanitisation import (
    MediumAddForm,
    MediumRemoveForm,
    ResetChecklistForm,
    SanitisationRecordForm,
    VerifyRecordForm,
    WipeLogForm,
)
from reuse.gates import gate_problems_bulk
from reuse.models import Certificate, Device, DeviceStatus, Evidence, ResetChecklist, SanitisationRecord, StorageMedium
from reuse.services import sanitisation as services
from reuse.services.certificates import certificate_issue
from reuse.services.evidence import evidence_discard, evidence_store
from reuse.services.sanitisation import batch_mark_sanitised, devices_for_batch, sanitisation_confirm_many
from reuse.services.wipelog import as_sentence, wipe_log_import, wipe_logs_import
from reuse.views.devices import device_in_scope, selected_ids, show_refusal

GET_POST = require_http_methods(["GET", "POST"])


@role_required(IT)
@GET_POST
def medium_add(request, tag: str):
    device = device_in_scope(tag, request.user)
    form = MediumAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            medium = services.medium_add(device=device, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Added {medium} to {device.asset_tag}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/medium_add.html", {"device": device, "form": form})


@role_required(IT)
@GET_POST
def medium_remove(request, tag: str, pk: int):
    device = device_in_scope(tag, request.user)
    medium = get_object_or_404(device.media, pk=pk, removed_at__isnull=True)
    form = MediumRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.medium_remove(medium=medium, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Marked {medium} as removed from {device.asset_tag}.")
            return redirect(device)
    return render(request, "reuse/sanitisation/medium_remove.html", {"device": device, "medium": medium, "form": form})


@role_required(IT)
@GET_POST
def record_wipe(request, tag: str, medium_pk: int):
    device = device_in_scope(tag, request.user)
    medium = get_object_or_404(device.media, pk=medium_pk, removed_at__isnull=True)
    form = SanitisationRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("evidence")
        stored = None
        try:
            if upload:
                stored = evidence_store(upload=upload, actor=request.user)
            services.sanitisation_record(
                device=device, medium=medium, actor=request.user, evidence=stored[0] if stored else None, **data
            )
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
        SanitisationRecord.objects.select_related("device", "medium", "operator", "verified_by", "evidence"), pk=pk
    )
    form = VerifyRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services.sanitisation_verify(
                record=record, actor=request.user, confirm=confirm, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            verb = "confirmed" if confirm else "rejected"
            messages.success(request, f"You {verb} the wipe of {record.medium or 'the device'}.")
            return redirect(record.device)
    return render(request, "reuse/sanitisation/record_verify.html", {"record": record, "form": form})


@role_required(IT)
@GET_POST
def checklist_record(request, tag: str):
    device = device_in_scope(tag, request.user)
    form = ResetChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_checklist_record(device=device, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
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
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# The worklists ----------------------------------------------------------------------------------------

BATCH_MAX = 500
LIST_MAX = 100
REFUSALS_KEY = "sanitisation_confirm_refusals"


@role_required(IT)
def sanitisation_home(request):
    records = SanitisationRecord.objects.verification_queue(request.user).select_related(
        "device", "medium", "operator", "evidence"
    )
    checklists = ResetChecklist.objects.verification_queue(request.user).select_related("device", "operator")
    page = Paginator(records, LIST_MAX).get_page(request.GET.get("page"))
    lots = Device.objects.received_lots().values("lot").annotate(devices=Count("id"))[:200]
    return render(
        request,
        "reuse/sanitisation/home.html",
        {
            "records": page.object_list,
            "page": page,
            "record_count": page.paginator.count,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "checklists": checklists[:LIST_MAX],
            "checklist_count": checklists.count(),
            "refusals": request.session.pop(REFUSALS_KEY, []),
            "lots": lots,
            "certificates": Certificate.objects.select_related("issued_by")[:10],
        },
    )


def _describe(item) -> str:
    if isinstance(item, ResetChecklist):
        return f"{item.device.asset_tag}, reset checklist"
    return f"{item.device.asset_tag}, {item.medium or 'the device'}"


@role_required(IT)
@require_http_methods(["POST"])
def sanitisation_confirm(request):
    """Confirm the wipes and checklists ticked in the queue, each through its own verify service."""
    record_ids, checklist_ids = _ids(request.POST.getlist("record")), _ids(request.POST.getlist("checklist"))
    back = reverse("reuse:sanitisation")
    if request.POST.get("page", "").isdigit():
        back += f"?page={request.POST['page']}"
    if not record_ids and not checklist_ids:
        messages.error(request, "Tick the wipes or checklists you have checked, then confirm them.")
        return HttpResponseRedirect(back, status=303)
    outcome = sanitisation_confirm_many(
        records=SanitisationRecord.objects.filter(pk__in=record_ids[:BATCH_MAX])
        .select_related("device", "medium")
        .order_by("ended_at"),
        checklists=ResetChecklist.objects.filter(pk__in=checklist_ids[:BATCH_MAX]).select_related("device"),
        actor=request.user,
    )
    if outcome.confirmed:
        wipes = sum(1 for c in outcome.confirmed if isinstance(c, SanitisationRecord))
        lists = len(outcome.confirmed) - wipes
        parts = [f"{wipes} wipe{pluralize(wipes)}"] * bool(wipes)
        parts += [f"{lists} reset checklist{pluralize(lists)}"] * bool(lists)
        messages.success(request, f"You confirmed {' and '.join(parts)}.")
    # The refusals are listed on the queue page, one line each with its reason; a message is text only.
    request.session[REFUSALS_KEY] = [
        {"what": _describe(item), "reason": error.message} for item, error in outcome.refused
    ]
    return HttpResponseRedirect(back, status=303)


def _ids(values) -> list[int]:
    return selected_ids(values)[: BATCH_MAX + 1]


def _batch_url(ids, lot) -> str:
    query = [("lot", lot)] if lot else []
    query += [("device", i) for i in ids]
    return f"{reverse('reuse:sanitisation-batch')}?{urlencode(query)}"


@role_required(IT)
@require_http_methods(["GET", "POST"])
def sanitisation_batch(request):
    """GET `?device=<pk>&device=...` or `?lot=<lot>`: the worklist. POST `device` pks (the inventory's bulk
    action) to open it; POST `action=mark` or `action=certificate` to act on it."""
    data = request.POST if request.method == "POST" else request.GET
    ids, lot = _ids(data.getlist("device")), data.get("lot", "").strip()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "mark":
            _mark(request, _ids(request.POST.getlist("mark")))
        elif action == "certificate":
            certificate = _certify(request, devices_for_batch(ids=ids, lot=lot))
            if certificate:
                return redirect(certificate)
        # 303: the browser fetches the worklist with GET, so reloading it never re-posts the action.
        response = HttpResponseRedirect(_batch_url(ids, lot))
        response.status_code = 303
        return response

    devices = devices_for_batch(ids=ids, lot=lot) if ids or lot else []
    if len(devices) > BATCH_MAX:
        messages.error(request, f"A batch can hold up to {BATCH_MAX} devices: showing the first {BATCH_MAX}.")
        devices = devices[:BATCH_MAX]
    rows = _rows(devices)
    return render(
        request,
        "reuse/sanitisation/batch.html",
        {
            "rows": rows,
            "ids": ids,
            "lot": lot,
            "ready": sum(1 for r in rows if r["ready"]),
            "certifiable": sum(1 for r in rows if r["device"].wipe_stands),
            "lots": Device.objects.received_lots().values_list("lot", flat=True).distinct()[:200],
        },
    )


def _rows(devices: list[Device]) -> list[dict]:
    received = [d for d in devices if d.status == DeviceStatus.RECEIVED]
    problems = gate_problems_bulk(received)
    media = dict(
        StorageMedium.objects.filter(device__in=devices, removed_at__isnull=True)
        .order_by()
        .values_list("device_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for device in devices:
        found = problems.get(device.pk)
        rows.append(
            {
                "device": device,
                "drives": media.get(device.pk, 0),
                "problems": found or [],
                "ready": device.status == DeviceStatus.RECEIVED and found == [],
            }
        )
    return rows


def _mark(request, ids: list[int]):
    if not ids:
        messages.error(request, "Choose the devices to mark as sanitised.")
        return
    outcome = batch_mark_sanitised(devices=devices_for_batch(ids=ids), actor=request.user)
    if outcome.done:
        messages.success(
            request, f"{len(outcome.done)} device{'s' if len(outcome.done) != 1 else ''} marked sanitised."
        )
    if outcome.failed:
        failed = "; ".join(f"{d.asset_tag}: {e.message}" for d, e in outcome.failed[:20])
        more = f"; and {len(outcome.failed) - 20} more" if len(outcome.failed) > 20 else ""
        messages.error(request, f"{len(outcome.failed)} not marked (each left as it was). {failed}{more}")


def _certify(request, devices: list[Device]):
    devices = [d for d in devices if d.wipe_stands]
    try:
        return certificate_issue(devices=devices, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return None


@role_required(IT)
@require_http_methods(["GET", "POST"])
def wipe_log_upload(request):
    """One log: imported, then the device page (or its problems in the error summary). Several: each imported
    on its own, then a table of what became of every file."""
    form = WipeLogForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["log"]
        if len(uploads) > 1:
            outcomes = wipe_logs_import(files=((u.name, u.read()) for u in uploads), actor=request.user)
            return render(
                request,
                "reuse/sanitisation/import_summary.html",
                {
                    # Refused first (a stable sort keeps upload order within each group): they need action.
                    "outcomes": sorted(outcomes, key=lambda o: o.result is not None),
                    "imported": sum(1 for o in outcomes if o.result),
                    "refused": sum(1 for o in outcomes if o.error),
                    "form": WipeLogForm(),
                },
            )
        upload = uploads[0]
        try:
            result = wipe_log_import(content=upload.read(), filename=upload.name, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            for problem in error.details.get("problems", []):
                form.add_error(None, as_sentence(problem))
        else:
            passed = sum(1 for r in result.records if r.result == SanitisationRecord.Result.PASSED)
            messages.success(
                request,
                f"nwipe log imported for {result.device.asset_tag}: {len(result.records)} "
                f"wipe{'s' if len(result.records) != 1 else ''} recorded, {passed} passed. "
                "A second technician must now verify each one.",
            )
            if result.notes:
                messages.info(request, " ".join(result.notes))
            return redirect(result.device)
    return render(request, "reuse/sanitisation/import.html", {"form": form})
