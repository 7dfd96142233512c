"""Loans after the desk: the list, one loan, its agreement PDF, renew, return and lost."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import DESK, role_required
from lending.filters import LoanFilter
from lending.forms import LostForm, RenewalUndoForm, RenewForm, ReturnForm, ReturnUndoForm
from lending.models import Loan, LoanChange
from lending.pdf import SLIP_LAYOUTS, agreement_filename, build_loan_agreement, build_loan_slip, slip_filename
from lending.services.corrections import loan_renewal_undo, loan_return_undo, return_undo_refusal
from lending.services.loans import loan_mark_lost, loan_renew, loan_return
from reuse.models import Site


@role_required(DESK)
def loan_list(request):
    branches = Site.objects.desks_for(request.user)
    queryset = (
        Loan.objects.at_desks_of(request.user).select_related("device", "borrower", "site").order_by("-issued_at")
    )
    loan_filter = LoanFilter(request.GET or {"state": "open"}, queryset=queryset, branches=branches)
    page = Paginator(loan_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "lending/loan_list.html", {"filter": loan_filter, "page": page, "query": query.urlencode()})


def _loan_here(request, pk):
    return get_object_or_404(
        Loan.objects.at_desks_of(request.user).select_related(
            "device", "borrower", "site", "issued_by", "closed_by", "closed_site", "agreement"
        ),
        pk=pk,
    )


@role_required(DESK)
def loan_detail(request, pk):
    loan = _loan_here(request, pk)
    return render(
        request,
        "lending/loan_detail.html",
        {
            "loan": loan,
            "connectivity": loan.connectivity.select_related("item"),
            "reminders": loan.reminders.all(),
            "changes": loan.changes.select_related("actor", "site", "corrects"),
            "renew_form": RenewForm(),
            "undoable": loan.undoable_renewal,
            "return_undoable": loan.undoable_return is not None and not return_undo_refusal(loan),
            "slip_layouts": SLIP_LAYOUTS,
        },
    )


@role_required(DESK)
def loan_agreement_pdf(request, pk):
    loan = get_object_or_404(Loan.objects.at_desks_of(request.user).select_related("device"), pk=pk)
    response = HttpResponse(build_loan_agreement(loan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement_filename(loan)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(DESK)
def loan_slip(request, pk, layout):
    """The slip the desk prints at issue (open loan) or at return (returned loan): receipt or A4."""
    if layout not in SLIP_LAYOUTS:
        raise Http404
    loan = get_object_or_404(Loan.objects.at_desks_of(request.user), pk=pk)
    if loan.is_lost:
        raise Http404
    response = HttpResponse(build_loan_slip(loan, layout=layout), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slip_filename(loan, layout)}"'
    return response


@require_POST
@role_required(DESK)
def loan_renew_view(request, pk):
    loan = get_object_or_404(Loan.objects.at_desks_of(request.user), pk=pk)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "This page had expired, so nothing was renewed. Try again.")
        return redirect(loan)
    renewals_before = loan.renewals
    try:
        loan = loan_renew(loan=loan, actor=request.user, token=form.cleaned_data["token"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        times = f"{loan.renewals} of {loan.renewals_allowed} renewals used"
        if loan.renewals == renewals_before:
            messages.info(request, f"Already renewed: due back on {loan.due_date:%A %-d %B %Y} ({times}).")
        else:
            messages.success(request, f"Renewed: now due back on {loan.due_date:%A %-d %B %Y} ({times}).")
    return redirect(loan)


@role_required(DESK)
def loan_renewal_undo_view(request, pk):
    """Undo the latest renewal, with a reason: the due date before it comes back, and both stay on record."""
    loan = _loan_here(request, pk)
    renewal = loan.undoable_renewal
    if renewal is None and request.method != "POST":
        messages.info(request, "This loan has no renewal to undo.")
        return redirect(loan)
    form = RenewalUndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            loan = loan_renewal_undo(
                loan=loan, actor=request.user, reason=form.cleaned_data["reason"], token=form.cleaned_data["token"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Renewal undone: due back on {loan.due_date:%A %-d %B %Y} again.")
        return redirect(loan)
    return render(request, "lending/renewal_undo.html", {"loan": loan, "renewal": renewal, "form": form})


@role_required(DESK)
def loan_return_undo_view(request, pk):
    """Undo a return taken by mistake, with a reason: the loan reopens and the device goes back on loan, while
    IT has not started on it. Staff of the lending branch or of the branch that took it back."""
    branches = Site.objects.desks_for(request.user)
    loans = Loan.objects.filter(Q(site__in=branches) | Q(closed_site__in=branches))
    loan = get_object_or_404(loans.select_related("device", "borrower", "site", "closed_site"), pk=pk)
    returned = loan.undoable_return
    refusal = return_undo_refusal(loan) if returned else ""
    if (returned is None or refusal) and request.method != "POST":
        messages.info(request, refusal or "This loan has no return to undo.")
        return _after_return(request, loan)
    form = ReturnUndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            loan = loan_return_undo(
                loan=loan, actor=request.user, reason=form.cleaned_data["reason"], token=form.cleaned_data["token"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Return undone: {loan.device.asset_tag} is on loan again, due back on {loan.due_date:%A %-d %B %Y}.",
            )
        return _after_return(request, loan)
    back = loan.get_absolute_url() if branches.filter(pk=loan.site_id).exists() else reverse("lending:desk")
    context = {"loan": loan, "returned": returned, "form": form, "back": back}
    return render(request, "lending/return_undo.html", context)


def _after_return(request, loan: Loan):
    if Loan.objects.at_desks_of(request.user).filter(pk=loan.pk).exists():
        return redirect(loan)
    return redirect("lending:desk")


@role_required(DESK)
def loan_return_view(request, pk):
    """Take a device back. Any desk may take back any open loan: borrowers return wherever is handy.

    The return page of a loan that has ended (Back after a return, the form sent twice) leads to the
    loan, not to a dead end: the first return's result, and its slip."""
    loan = get_object_or_404(Loan.objects.select_related("device", "borrower", "site"), pk=pk)
    branches = Site.objects.desks_for(request.user)
    if not loan.is_open:
        token = request.POST.get("token", "")
        if not LoanChange.objects.filter(loan=loan, token__in=_uuids(token)).exists():
            messages.info(request, f"{loan.device.asset_tag} was already taken back on {loan.closed_at:%-d %B %Y}.")
        return _after_return(request, loan)
    if not branches.exists():
        raise Http404
    initial = {"branch": loan.site if branches.filter(pk=loan.site_id).exists() else branches.first()}
    form = ReturnForm(request.POST if request.method == "POST" else None, loan=loan, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            loan_return(
                loan=loan,
                actor=request.user,
                site=form.cleaned_data["branch"],
                token=form.cleaned_data["token"],
                damaged=form.cleaned_data["damaged"],
                condition_notes=form.cleaned_data["condition_notes"],
                missing_accessories=form.cleaned_data.get("missing", []),
            )
        except DomainError as error:
            messages.error(request, error.message)
            return _after_return(request, loan)
        messages.success(
            request,
            f"{loan.device.asset_tag} is back. It held the borrower's data, so put it in "
            "the tray for IT to wipe before anyone borrows it again.",
        )
        return _after_return(request, loan)
    return render(request, "lending/loan_return.html", {"loan": loan, "form": form})


def _uuids(value: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


@role_required(DESK)
def loan_lost_view(request, pk):
    loans = Loan.objects.at_desks_of(request.user).select_related("device", "borrower", "site")
    loan = get_object_or_404(loans, pk=pk)
    if not loan.is_open:  # Back after reporting it, or the form sent twice: the loan, not a dead end
        messages.info(request, f"This loan ended on {loan.closed_at:%-d %B %Y}.")
        return redirect(loan)
    form = LostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            loan_mark_lost(loan=loan, actor=request.user, site=loan.site, notes=form.cleaned_data["notes"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{loan.device.asset_tag} is recorded as lost and the loan has ended.")
        return redirect(loan)
    return render(request, "lending/loan_lost.html", {"loan": loan, "form": form})
