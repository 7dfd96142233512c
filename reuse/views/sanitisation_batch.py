"""The sanitisation worklists: what awaits verification, a batch of devices, and wipe-log imports."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reuse.errors import DomainError
from reuse.forms.sanitisation import WipeLogForm
from reuse.models import Certificate, Device, ResetChecklist, SanitisationRecord, StorageMedium
from reuse.roles import IT, role_required
from reuse.services.certificates import certificate_issue
from reuse.services.sanitisation import (
    batch_mark_sanitised,
    devices_for_batch,
    gate_problems_bulk,
    sanitisation_confirm_many,
)
from reuse.services.wipelog import as_sentence, wipe_log_import, wipe_logs_import

BATCH_MAX = 500
LIST_MAX = 100
REFUSALS_KEY = "sanitisation_confirm_refusals"


def _awaiting(request):
    """Wipes and checklists of received devices that still need a second person's sign-off."""
    current = Q(cycle=F("device__cycle"), device__status="received", verified_by__isnull=True)
    records = (SanitisationRecord.objects.filter(current, result="passed", verification_result="passed")
               .select_related("device", "medium", "operator").order_by("ended_at"))
    checklists = (ResetChecklist.objects.filter(current, **{item: True for item in ResetChecklist.ITEMS})
                  .select_related("device", "operator").order_by("completed_at"))
    if settings.SANITISATION_SEPARATE_VERIFIER:
        records = records.exclude(operator=request.user)
        checklists = checklists.exclude(operator=request.user)
    return records, checklists


@role_required(IT)
def sanitisation_home(request):
    records, checklists = _awaiting(request)
    records = records.select_related("evidence")
    page = Paginator(records, LIST_MAX).get_page(request.GET.get("page"))
    lots = (Device.objects.filter(status="received").exclude(lot="").order_by("lot").values("lot")
            .annotate(devices=Count("id"))[:200])
    return render(request, "reuse/sanitisation/home.html", {
        "records": page.object_list, "page": page, "record_count": page.paginator.count,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "checklists": checklists[:LIST_MAX], "checklist_count": checklists.count(),
        "refusals": request.session.pop(REFUSALS_KEY, []),
        "lots": lots, "certificates": Certificate.objects.select_related("issued_by")[:10],
    })


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
        records=SanitisationRecord.objects.filter(pk__in=record_ids[:BATCH_MAX]).select_related("device", "medium")
        .order_by("ended_at"),
        checklists=ResetChecklist.objects.filter(pk__in=checklist_ids[:BATCH_MAX]).select_related("device"),
        actor=request.user)
    if outcome.confirmed:
        wipes = sum(1 for c in outcome.confirmed if isinstance(c, SanitisationRecord))
        lists = len(outcome.confirmed) - wipes
        parts = [f"{wipes} wipe{pluralize(wipes)}"] * bool(wipes)
        parts += [f"{lists} reset checklist{pluralize(lists)}"] * bool(lists)
        messages.success(request, f"You confirmed {' and '.join(parts)}.")
    # The refusals are listed on the queue page, one line each with its reason; a message is text only.
    request.session[REFUSALS_KEY] = [{"what": _describe(item), "reason": error.message}
                                     for item, error in outcome.refused]
    return HttpResponseRedirect(back, status=303)


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:BATCH_MAX + 1]


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
    return render(request, "reuse/sanitisation/batch.html", {
        "rows": rows, "ids": ids, "lot": lot,
        "ready": sum(1 for r in rows if r["ready"]),
        "certifiable": sum(1 for r in rows if r["device"].wipe_stands),
        "lots": (Device.objects.filter(status="received").exclude(lot="").order_by("lot")
                 .values_list("lot", flat=True).distinct()[:200]),
    })


def _rows(devices: list[Device]) -> list[dict]:
    received = [d for d in devices if d.status == "received"]
    problems = gate_problems_bulk(received)
    media = dict(StorageMedium.objects.filter(device__in=devices, removed_at__isnull=True).order_by()
                 .values_list("device_id").annotate(n=Count("id")))
    rows = []
    for device in devices:
        found = problems.get(device.pk)
        rows.append({"device": device, "drives": media.get(device.pk, 0), "problems": found or [],
                     "ready": device.status == "received" and found == []})
    return rows


def _mark(request, ids: list[int]):
    if not ids:
        messages.error(request, "Choose the devices to mark as sanitised.")
        return
    outcome = batch_mark_sanitised(devices=devices_for_batch(ids=ids), actor=request.user)
    if outcome.done:
        messages.success(request, f"{len(outcome.done)} device{'s' if len(outcome.done) != 1 else ''} marked "
                                  "sanitised.")
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
            return render(request, "reuse/sanitisation/import_summary.html", {
                # Refused first (a stable sort keeps upload order within each group): they need action.
                "outcomes": sorted(outcomes, key=lambda o: o.result is not None),
                "imported": sum(1 for o in outcomes if o.result),
                "refused": sum(1 for o in outcomes if o.error), "form": WipeLogForm()})
        upload = uploads[0]
        try:
            result = wipe_log_import(content=upload.read(), filename=upload.name, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            for problem in error.details.get("problems", []):
                form.add_error(None, as_sentence(problem))
        else:
            passed = sum(1 for r in result.records if r.result == "passed")
            messages.success(request, f"nwipe log imported for {result.device.asset_tag}: {len(result.records)} "
                                      f"wipe{'s' if len(result.records) != 1 else ''} recorded, {passed} passed. "
                                      "A second technician must now verify each one.")
            if result.notes:
                messages.info(request, " ".join(result.notes))
            return redirect(result.device)
    return render(request, "reuse/sanitisation/import.html", {"form": form})
