"""Label printing pages: choose devices and a label size, print now or follow a background job."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from core.errors import DomainError
from core.roles import IT, role_required
from reuse.forms.labels import CalibrationForm, LabelPrintForm, PreprintForm
from reuse.models import Device, LabelJob, LabelTemplate, Printer, parse_tags
from reuse.services.labels import calibration_render, label_selection, labels_print, preprinted_print
from reuse.views.devices import selected_ids

SESSION_KEY = "label_options"
REFRESH_SECONDS = 3


def _remembered(request) -> dict:
    """Initial label size and printer: what this person used last time."""
    saved = request.session.get(SESSION_KEY, {})
    initial = {"skip": 0}
    if LabelTemplate.objects.active().filter(pk=saved.get("template")).exists():
        initial["template"] = saved["template"]
    elif first := LabelTemplate.objects.active().values_list("pk", flat=True).first():
        initial["template"] = first
    if Printer.objects.active().filter(pk=saved.get("printer")).exists():
        initial["printer"] = saved["printer"]
    return initial


def _remember(request, cleaned: dict) -> None:
    request.session[SESSION_KEY] = {
        "template": cleaned["template"].pk,
        "printer": cleaned["printer"].pk if cleaned.get("printer") else None,
    }


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _deliver(request, result, *, name: str):
    if result.job:
        messages.success(
            request,
            f"Printing {result.job.count:,} labels on {result.sheets} sheets. The PDF will be ready to download here.",
        )
        return redirect("reuse:label-job", pk=result.job.pk)
    return _pdf_response(result.pdf, f"{name}.pdf")


def _recent_jobs(request):
    return LabelJob.objects.select_related("template").filter(created_by=request.user)[:5]


@role_required(IT)
def label_print(request):
    """Print labels for chosen devices. The inventory posts its selection here as `device` ids."""
    handed_over = request.method == "POST" and request.POST.get("step") != "print"
    if request.method == "POST" and not handed_over:
        form = LabelPrintForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            _remember(request, data)
            try:
                items = label_selection(
                    device_ids=[d.pk for d in data["device"]], tags=parse_tags(data["tags"]), status=data["status"]
                )
                result = labels_print(
                    template=data["template"],
                    items=items,
                    skip=data["skip"],
                    printer=data["printer"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return _deliver(request, result, name=f"labels-{data['template'].code}")
    else:
        initial = _remembered(request)
        if handed_over:
            initial["device"] = selected_ids(request.POST.getlist("device"))
        form = LabelPrintForm(initial=initial)
    chosen = form["device"].value() or []
    devices = Device.objects.filter(pk__in=selected_ids(chosen))
    return render(
        request,
        "reuse/labels/print.html",
        {
            "form": form,
            "chosen_count": devices.count(),
            "chosen_tags": list(devices.values_list("asset_tag", flat=True)[:8]),
            "jobs": _recent_jobs(request),
        },
    )


@role_required(IT)
def label_preprint(request):
    """Print labels with new, unattached asset tags, to stick on devices before they are logged."""
    form = PreprintForm(request.POST or None, initial=_remembered(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _remember(request, data)
        try:
            result = preprinted_print(
                count=data["count"],
                template=data["template"],
                skip=data["skip"],
                printer=data["printer"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _deliver(request, result, name=f"preprinted-labels-{data['template'].code}")
    return render(request, "reuse/labels/preprint.html", {"form": form})


@role_required(IT)
def label_calibration(request):
    """A calibration page for a label size and printer. Administrators reach it from the admin too."""
    form = CalibrationForm(
        request.GET if "download" in request.GET else None,
        initial={**_remembered(request), **{k: v for k, v in request.GET.items() if k in ("template", "printer")}},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            pdf = calibration_render(template=data["template"], printer=data["printer"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _pdf_response(pdf, f"calibration-{data['template'].code}.pdf")
    return render(request, "reuse/labels/calibration.html", {"form": form})


@never_cache
@role_required(IT)
def label_job(request, pk: int):
    """A background job's progress. Refreshes itself (HTTP Refresh header, no script) until it finishes."""
    job = get_object_or_404(LabelJob.objects.select_related("template", "printer", "created_by"), pk=pk)
    refreshing = not job.is_finished and request.GET.get("refresh") != "off"
    response = render(
        request, "reuse/labels/job.html", {"job": job, "refreshing": refreshing, "refresh_seconds": REFRESH_SECONDS}
    )
    if refreshing:
        # A header, not <meta http-equiv>: same effect without script, and the page offers a way to stop it.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@role_required(IT)
def label_job_download(request, pk: int):
    job = get_object_or_404(LabelJob.objects.select_related("template"), pk=pk, status=LabelJob.Status.DONE)
    if not job.file:
        raise Http404("This batch's PDF has been deleted")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("This batch's PDF is missing") from None
    return FileResponse(
        handle, as_attachment=True, filename=f"labels-{job.template.code}-{job.pk}.pdf", content_type="application/pdf"
    )
