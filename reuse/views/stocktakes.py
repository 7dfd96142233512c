"""Stocktake pages, for IT and desk staff at the sites they may see: start, scan (one tag a submit, or a
pasted list; no JavaScript needed), finish, and the report as a page and a CSV."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.roles import DESK, IT, role_required
from reuse.forms.stocktakes import PasteForm, ScanForm, StocktakeStartForm
from reuse.models import ScanOutcome, Stocktake
from reuse.services.stocktakes import (
    stocktake_finish,
    stocktake_report,
    stocktake_scan,
    stocktake_scan_many,
    stocktake_start,
)
from reuse.views.inventory import safe_cell

SAID = {
    ScanOutcome.FOUND: "{tag} is here, as recorded.",
    ScanOutcome.ELSEWHERE: "{tag} is recorded at {site}: it will be moved here when you finish.",
    ScanOutcome.NOT_ON_SHELF: "{tag} is recorded as {status}: check it.",
    ScanOutcome.UNKNOWN: "{tag} is not a tag Relay knows.",
}


def _stocktake(request, pk) -> Stocktake:
    return get_object_or_404(Stocktake.objects.visible_to(request.user).select_related("site"), pk=pk)


@role_required(IT, DESK)
@require_http_methods(["GET", "POST"])
def stocktake_list(request):
    form = StocktakeStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        stocktake = stocktake_start(actor=request.user, **form.cleaned_data)
        return redirect(stocktake)
    stocktakes = Stocktake.objects.visible_to(request.user).select_related("site", "started_by")[:50]
    return render(request, "reuse/stocktake/list.html", {"form": form, "stocktakes": stocktakes})


def _said(scan) -> str:
    device = scan.device
    return SAID[scan.outcome].format(
        tag=scan.tag,
        site=scan.recorded_site,
        status=device.get_status_display().lower() if device else "",
    )


@role_required(IT, DESK)
@require_http_methods(["GET", "POST"])
def stocktake_detail(request, pk):
    stocktake = _stocktake(request, pk)
    action = request.POST.get("action")
    scan_form = ScanForm(request.POST if action == "scan" else None, prefix="one")
    paste_form = PasteForm(request.POST if action == "paste" else None, prefix="many")
    try:
        if action == "scan" and scan_form.is_valid():
            scan = stocktake_scan(stocktake=stocktake, actor=request.user, scanned=scan_form.cleaned_data["scan"])
            messages.info(request, _said(scan))
            return redirect(stocktake)
        if action == "paste" and paste_form.is_valid():
            scans = stocktake_scan_many(stocktake=stocktake, actor=request.user, text=paste_form.cleaned_data["tags"])
            messages.info(request, f"{len(scans)} tag{'s' if len(scans) != 1 else ''} scanned.")
            return redirect(stocktake)
        if action == "finish":
            stocktake_finish(stocktake=stocktake, actor=request.user)
            messages.success(request, f"{stocktake} is finished.")
            return redirect(stocktake)
    except DomainError as error:
        (paste_form if action == "paste" else scan_form).add_error(None, error.message)
    context = {
        "stocktake": stocktake,
        "report": stocktake_report(stocktake),
        "scan_form": scan_form,
        "paste_form": paste_form,
    }
    return render(request, "reuse/stocktake/detail.html", context)


@require_GET
@role_required(IT, DESK)
def stocktake_csv(request, pk):
    stocktake = _stocktake(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stocktake-{stocktake.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["outcome", "asset_tag", "device", "recorded_site"])
    for row in stocktake_report(stocktake).rows():
        writer.writerow([safe_cell(cell) for cell in row])
    return response
