"""Borrowers and their waiting-list holds."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import AccessAction
from core.privacy import log_access, log_access_many
from core.roles import DESK, role_required
from lending.filters import HoldFilter
from lending.forms import BorrowerForm, BorrowerSearchForm, HoldForm
from lending.models import Borrower, Hold
from lending.services.holds import hold_cancel, hold_mark_notified, hold_place, hold_position
from lending.services.loans import borrower_create
from lending.services.scanning import SEARCH_ROWS, search_borrowers
from lending.views.desk import SEARCH_SESSION_KEY, _int, desk_branch_or_404, desk_url
from reuse.models import Site

BORROWERS_PER_PAGE = 50
NEW_CARD_SESSION_KEY = "lending:new-card"


def borrower_by_key(key) -> Borrower:
    """A borrower by the random key in their pages' URLs; 404 for anything else."""
    return get_object_or_404(Borrower, key=key)


@role_required(DESK)
def borrower_search(request):
    """Find a borrower by name, card, email or postcode. The words go by POST and wait in the session
    for the page that shows the results, so they never appear in a URL or an access log."""
    if request.method == "POST":
        form = BorrowerSearchForm(request.POST)
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"]
            return redirect("lending:borrower-search")
        return render(request, "lending/borrower_search.html", {"form": form, "searched": False}, status=400)
    text = request.session.get(SEARCH_SESSION_KEY, "")
    form = BorrowerSearchForm({"q": text}) if text else BorrowerSearchForm()
    results = search_borrowers(form.cleaned_data["q"]) if text and form.is_valid() else []
    log_access_many(actor=request.user, subjects=results, what="borrower search results")
    context = {"form": form, "results": results, "searched": bool(text), "limit": SEARCH_ROWS}
    return render(request, "lending/borrower_search.html", context)


@role_required(DESK)
def borrower_list(request):
    """Every borrower whose details are held, by name, a page at a time."""
    page = Paginator(Borrower.objects.current().order_by("name", "pk"), BORROWERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    log_access_many(actor=request.user, subjects=page.object_list, what="borrower list")
    return render(request, "lending/borrower_list.html", {"page": page, "query": ""})


@role_required(DESK)
def borrower_new(request, code):
    """Register a borrower. Reached from the desk with an unknown card, which arrives pre-filled by POST."""
    branch = desk_branch_or_404(request.user, code)
    device_id = _int(request.POST.get("device") or request.GET.get("device"))
    if request.method == "POST" and "start" in request.POST:
        # The unknown card, kept in the session (never the URL) for the form the redirect shows.
        request.session[NEW_CARD_SESSION_KEY] = request.POST.get("card_number", "")[:30]
        url = reverse("lending:borrower-new", args=[branch.code])
        return redirect(f"{url}?device={device_id}" if device_id else url)
    card = request.session.pop(NEW_CARD_SESSION_KEY, "") if request.method == "GET" else ""
    form = BorrowerForm(
        request.POST if request.method == "POST" else None, initial={"card_number": card} if card else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            borrower = borrower_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{borrower.name} is registered.")
            return redirect(desk_url(branch, device_id, borrower.key))
    return render(request, "lending/borrower_form.html", {"form": form, "branch": branch, "device_id": device_id})


@role_required(DESK)
def borrower_detail(request, key):
    borrower = borrower_by_key(key)
    log_access(actor=request.user, subject=borrower, what="borrower record")
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
def borrower_edit(request, key):
    borrower = borrower_by_key(key)
    form = BorrowerForm(request.POST if request.method == "POST" else None, instance=borrower)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_access(actor=request.user, subject=borrower, action=AccessAction.CHANGE, what="details changed")
        messages.success(request, "Details saved.")
        return redirect(borrower)
    return render(request, "lending/borrower_form.html", {"form": form, "borrower": borrower})


@role_required(DESK)
def hold_new(request, code, borrower_key):
    branch = desk_branch_or_404(request.user, code)
    borrower = borrower_by_key(borrower_key)
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


@role_required(DESK)
def hold_list(request):
    """The waiting lists at one's branches, filtered (the desk home's counts link here)."""
    branches = Site.objects.desks_for(request.user)
    queryset = (
        Hold.objects.at_desks_of(request.user).select_related("borrower", "site", "device").order_by("collect_by", "pk")
    )
    hold_filter = HoldFilter(request.GET or {"state": "offered"}, queryset=queryset, branches=branches)
    page = Paginator(hold_filter.qs, BORROWERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "lending/hold_list.html", {"filter": hold_filter, "page": page, "query": query.urlencode()})
