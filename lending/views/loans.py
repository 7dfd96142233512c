"""Loans after the desk: the list, one loan, its agreement PDF, renew, return and lost."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import DESK, role_required
from lending.filters import LoanFilter
from lending.forms import LostForm, ReturnForm
from lending.models import Loan
from lending.pdf import agreement_filename, build_loan_agreement
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


@role_required(DESK)
def loan_detail(request, pk):
    loan = get_object_or_404(
        Loan.objects.at_desks_of(request.user).select_related(
            "device", "borrower", "site", "issued_by", "closed_by", "closed_site", "agreement"
        ),
        pk=pk,
    )
    return render(
        request,
        "lending/loan_detail.html",
        {
            "loan": loan,
            "connectivity": loan.connectivity.select_related("item"),
            "reminders": loan.reminders.all(),
        },
    )


@role_required(DESK)
def loan_agreement_pdf(request, pk):
    loan = get_object_or_404(Loan.objects.at_desks_of(request.user).select_related("device"), pk=pk)
    response = HttpResponse(build_loan_agreement(loan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement_filename(loan)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(DESK)
def loan_renew_view(request, pk):
    loan = get_object_or_404(Loan.objects.at_desks_of(request.user), pk=pk)
    try:
        loan = loan_renew(loan=loan, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Renewed: now due back on {loan.due_date:%A %-d %B %Y}.")
    return redirect(loan)


@role_required(DESK)
def loan_return_view(request, pk):
    """Take a device back. Any desk may take back any open loan: borrowers return wherever is handy."""
    loan = get_object_or_404(Loan.objects.open().select_related("device", "borrower", "site"), pk=pk)
    branches = Site.objects.desks_for(request.user)
    initial = {"branch": loan.site if branches.filter(pk=loan.site_id).exists() else branches.first()}
    form = ReturnForm(request.POST if request.method == "POST" else None, loan=loan, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            loan_return(
                loan=loan,
                actor=request.user,
                site=form.cleaned_data["branch"],
                damaged=form.cleaned_data["damaged"],
                condition_notes=form.cleaned_data["condition_notes"],
                missing_accessories=form.cleaned_data.get("missing", []),
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("lending:desk")
        messages.success(
            request,
            f"{loan.device.asset_tag} is back. It held the borrower's data, so put it in "
            "the tray for IT to wipe before anyone borrows it again.",
        )
        if Loan.objects.at_desks_of(request.user).filter(pk=loan.pk).exists():
            return redirect(loan)
        return redirect("lending:desk")
    return render(request, "lending/loan_return.html", {"loan": loan, "form": form})


@role_required(DESK)
def loan_lost_view(request, pk):
    loans = Loan.objects.at_desks_of(request.user).open().select_related("device", "borrower", "site")
    loan = get_object_or_404(loans, pk=pk)
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
