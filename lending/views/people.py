"""Borrowers and their waiting-list holds."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import DESK, role_required
from lending.forms import BorrowerForm, HoldForm
from lending.models import Borrower, Hold
from lending.services.holds import hold_cancel, hold_mark_notified, hold_place, hold_position
from lending.services.loans import borrower_create
from lending.views.desk import _int, desk_branch_or_404, desk_url
from reuse.models import Site


@role_required(DESK)
def borrower_new(request, code):
    """Register a borrower. Reached from the desk with an unknown card, which arrives pre-filled by POST."""
    branch = desk_branch_or_404(request.user, code)
    device_id = _int(request.POST.get("device") or request.GET.get("device"))
    starting = request.method == "POST" and "start" in request.POST
    form = BorrowerForm(
        None if starting or request.method != "POST" else request.POST,
        initial={"card_number": request.POST.get("card_number", "")} if starting else None,
    )
    if request.method == "POST" and not starting and form.is_valid():
        try:
            borrower = borrower_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{borrower.name} is registered.")
            return redirect(desk_url(branch, device_id, borrower.pk))
    return render(request, "lending/borrower_form.html", {"form": form, "branch": branch, "device_id": device_id})


@role_required(DESK)
def borrower_detail(request, pk):
    borrower = get_object_or_404(Borrower, pk=pk)
    branches = Site.objects.desks_for(request.user)
    return render(
        request,
        "lending/borrower_detail.html",
        {
            "borrower": borrower,
            "loans": borrower.loans.filter(site__in=branches).select_related("device", "site"),
            "holds": borrower.holds.select_related("site", "device").order_by("-created_at"),
            "branches": branches,
        },
    )


@role_required(DESK)
def borrower_edit(request, pk):
    borrower = get_object_or_404(Borrower, pk=pk)
    form = BorrowerForm(request.POST if request.method == "POST" else None, instance=borrower)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Details saved.")
        return redirect(borrower)
    return render(request, "lending/borrower_form.html", {"form": form, "borrower": borrower})


@role_required(DESK)
def hold_new(request, code, borrower_pk):
    branch = desk_branch_or_404(request.user, code)
    borrower = get_object_or_404(Borrower, pk=borrower_pk)
    form = HoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            hold = hold_place(
                borrower=borrower, site=branch, device_kind=form.cleaned_data["device_kind"], actor=request.user
            )
        except DomainError as error:
            form.add_error("device_kind", error.message)
        else:
            messages.success(
                request,
                f"{borrower.name} is number {hold_position(hold)} on the waiting list for a "
                f"{hold.get_device_kind_display().lower()} at {branch}.",
            )
            return redirect(borrower)
    return render(request, "lending/hold_form.html", {"form": form, "branch": branch, "borrower": borrower})


def _hold_in_scope(request, pk):
    return get_object_or_404(Hold.objects.at_desks_of(request.user), pk=pk)


@require_POST
@role_required(DESK)
def hold_cancel_view(request, pk):
    hold = _hold_in_scope(request, pk)
    try:
        hold_cancel(hold=hold, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The hold is cancelled.")
    return redirect(hold.borrower)


@require_POST
@role_required(DESK)
def hold_told_view(request, pk):
    hold = _hold_in_scope(request, pk)
    hold_mark_notified(hold=hold, actor=request.user)
    messages.success(request, f"Noted: {hold.borrower.name} knows their device is waiting.")
    return redirect("lending:desk-branch", code=hold.site.code)
