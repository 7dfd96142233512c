"""The library desk: one scan box, then the agreement and signature, then the loan."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.privacy import log_access
from core.roles import DESK, role_required
from lending import panels
from lending.forms import IssueForm, ScanForm
from lending.models import AgreementVersion, Borrower, ConnectivityItem, Hold, LoanPolicy
from lending.services.loans import device_accessories, due_date_for, loan_issue
from lending.services.scanning import find_borrower, find_device, lending_problem, open_loan_for, parse_scan
from reuse.models import Device, DeviceStatus, Site

# Where the desk keeps a borrower search between the POST that asks and the page that answers.
SEARCH_SESSION_KEY = "lending:borrower-search"


def desk_branch_or_404(user, code: str) -> Site:
    """One of the branches `user` acts for at the desk, by its code; 404 for any other."""
    return get_object_or_404(Site.objects.desks_for(user), code=code.upper())


@role_required(DESK)
def desk(request):
    """The Desk menu entry: straight to the desk of one's branch, or a choice of branches."""
    branches = list(Site.objects.desks_for(request.user))
    if len(branches) == 1:
        return redirect("lending:desk-branch", code=branches[0].code)
    return render(request, "lending/branch_choose.html", {"branches": branches})


def desk_url(branch, device_id=None, borrower_key=None) -> str:
    """The desk with what has been scanned so far: the device by id, the borrower by their random key."""
    params = {k: v for k, v in (("device", device_id), ("borrower", borrower_key)) if v}
    url = reverse("lending:desk-branch", kwargs={"code": branch.code})
    return f"{url}?{urlencode(params)}" if params else url


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@role_required(DESK)
def desk_branch(request, code):
    branch = desk_branch_or_404(request.user, code)
    device_id, borrower_key = _int(request.GET.get("device")), _key(request.GET.get("borrower"))
    return _render_desk(request, branch, device_id, borrower_key)


def _render_desk(
    request, branch, device_id, borrower_key, *, scan_form=None, issue_form=None, unknown_card="", status=200
):
    device = Device.objects.select_related("site").filter(pk=device_id).first() if device_id else None
    borrower = Borrower.objects.current().filter(key=borrower_key).first() if borrower_key else None
    borrower_id = borrower.key if borrower else None
    if borrower:
        log_access(actor=request.user, subject=borrower, what="desk: borrower card")
    context = {
        "branch": branch,
        "device": device,
        "borrower": borrower,
        "unknown_card": unknown_card,
        "scan_form": scan_form or ScanForm(initial={"device": device_id, "borrower": borrower_id}),
        "several_branches": Site.objects.desks_for(request.user).count() > 1,
    }
    if device:
        context["problem"] = lending_problem(device, site=branch, borrower=borrower)
        context["open_loan"] = open_loan_for(device) if device.status == DeviceStatus.ON_LOAN else None
        context["device_hold"] = Hold.objects.filter(device=device, status=Hold.Status.OFFERED).first()
    if borrower:
        context["borrower_loans"] = borrower.loans.open().select_related("device")
        context["borrower_holds"] = borrower.holds.filter(status__in=Hold.LIVE).select_related("site")
    if device and borrower and not context["problem"]:
        policy = LoanPolicy.for_device(kind=device.kind, site=branch)
        context.update(
            policy=policy,
            due_date=due_date_for(site=branch, loan_days=policy.loan_days),
            agreement=AgreementVersion.current(),
            accessories=device_accessories(device),
            issue_form=issue_form
            or IssueForm(
                initial={"device": device.pk, "borrower": borrower.key},
                connectivity=ConnectivityItem.objects.lendable_at(branch),
            ),
        )
    else:
        context.update(panels.desk_panels(branch))
    for form in (context.get("issue_form"), context["scan_form"]):
        if form is not None and form.errors:
            context["form"] = form
    return render(request, "lending/desk.html", context, status=status)


@require_POST
@role_required(DESK)
def desk_scan(request, code):
    """One scan: a device label (URL or tag) or a library card. Keeps what was scanned before."""
    branch = desk_branch_or_404(request.user, code)
    form = ScanForm(request.POST)
    device_id, borrower_id = _int(request.POST.get("device")), _key(request.POST.get("borrower"))
    if not form.is_valid():
        return _render_desk(request, branch, device_id, borrower_id, scan_form=form)
    scan = parse_scan(form.cleaned_data["scan"])
    if scan.kind == "device":
        device = find_device(scan.value)
        if device:
            return redirect(desk_url(branch, device.pk, borrower_id))
        form.add_error("scan", f"No device has the tag {scan.value}. Check the label and scan it again.")
        return _render_desk(request, branch, device_id, borrower_id, scan_form=form)
    if scan.kind == "card":
        borrower = find_borrower(scan.value)
        if borrower:
            return redirect(desk_url(branch, device_id, borrower.key))
        form.add_error(
            "scan",
            f"No borrower has the library card {scan.value}. Check the number, or register them as a new borrower.",
        )
        return _render_desk(request, branch, device_id, borrower_id, scan_form=form, unknown_card=scan.value)
    if scan.kind == "search":
        # A name, email or postcode: to the borrower search, by way of the session (never in a URL).
        request.session[SEARCH_SESSION_KEY] = scan.value
        return redirect("lending:borrower-search")
    form.add_error(
        "scan",
        "That is not a device label, a library card number or a name. Scan the QR label on the device "
        "(or type its tag, like RLY-000123) or the barcode on the library card.",
    )
    return _render_desk(request, branch, device_id, borrower_id, scan_form=form)


@require_POST
@role_required(DESK)
def desk_issue(request, code):
    branch = desk_branch_or_404(request.user, code)
    device = get_object_or_404(Device, pk=_int(request.POST.get("device")))
    borrower = get_object_or_404(Borrower.objects.current(), key=_key(request.POST.get("borrower")))
    form = IssueForm(request.POST, connectivity=ConnectivityItem.objects.lendable_at(branch))
    if not form.is_valid():
        return _render_desk(request, branch, device.pk, borrower.key, issue_form=form)
    try:
        loan = loan_issue(
            device=device,
            borrower=borrower,
            site=branch,
            actor=request.user,
            idempotency_key=form.cleaned_data["token"],
            signature_method=form.cleaned_data["signature_method"],
            signature_png=form.cleaned_data.get("signature_png"),
            connectivity=form.cleaned_data.get("connectivity", []),
            extra_accessories=form.extra_accessory_list,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(desk_url(branch, device.pk, borrower.key))
    messages.success(request, f"Loan issued: {loan.device.asset_tag} is due back on {loan.due_date:%A %-d %B %Y}.")
    return redirect(loan)
