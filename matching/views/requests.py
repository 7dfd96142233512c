"""Coordinators' triage: the queue of requests, one request (with its contact: personal data, so every
view is logged and never cached), and the actions on it. Each action: form, service, message, redirect."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.privacy import log_access
from core.roles import COORDINATOR, role_required
from matching.estimates import estimate_waits
from matching.filters import RequestFilter
from matching.forms.triage import (
    ApproveForm,
    CancelAllocationForm,
    NoteForm,
    QuantityForm,
    ReasonForm,
    TierForm,
    VerifyForm,
)
from matching.models import Allocation, CommunityRequest, RequestLine
from matching.selectors import duplicate_hints, line_progress
from matching.services.allocations import allocation_cancel
from matching.services.requests import (
    line_change_quantity,
    organisation_verify,
    request_approve,
    request_close,
    request_decline,
    request_note,
    request_set_tier,
    request_withdraw,
)

coordinators = role_required(COORDINATOR)


def _request(reference: str) -> CommunityRequest:
    return get_object_or_404(
        CommunityRequest.objects.select_related("organisation", "collection_site", "approved_by"),
        reference=reference.upper(),
    )


@coordinators
def request_list(request):
    queryset = CommunityRequest.objects.select_related("organisation", "collection_site").prefetch_related("lines")
    request_filter = RequestFilter(request.GET or None, queryset=queryset.order_by("status", "submitted_at", "pk"))
    page = Paginator(request_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "matching/requests/list.html", {"filter": request_filter, "page": page, "query": query.urlencode()}
    )


@never_cache
@coordinators
def request_detail(request, reference: str, forms: dict | None = None, status: int = 200):
    req = _request(reference)
    log_access(actor=request.user, subject=req, what="request and contact")
    forms = forms or {}
    context = {
        "req": req,
        "lines": line_progress(req),
        "estimates": estimate_waits(req) if req.is_open else [],
        "hints": duplicate_hints(req),
        "events": req.events.select_related("actor").order_by("-at", "-pk"),
        "allocations": req.allocations.select_related("device", "device__site", "line", "handover").order_by("pk"),
        "booking": req.bookings.live().first(),
        "awaiting": req.allocations.awaiting_handover().exists(),
        "handovers": req.handovers.select_related("site").order_by("-performed_at"),
        "follow_ups": req.follow_ups.order_by("due_on"),
        "pending": req.proposals.pending().select_related("run").first(),
        "verify_form": forms.get("verify") or VerifyForm(),
        "approve_form": forms.get("approve")
        or ApproveForm(initial={"in_area": None if req.in_area is None else ("yes" if req.in_area else "no")}),
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "close_form": forms.get("close") or ReasonForm(prefix="close"),
        "note_form": forms.get("note") or NoteForm(),
        "tier_form": forms.get("tier") or TierForm(initial={"tier": req.tier}),
    }
    context["form"] = next((f for f in forms.values() if f.errors), None)
    return render(request, "matching/requests/detail.html", context, status=status)


def _act(request, reference: str, key: str, form, action, done: str):
    """Validate `form`, run `action(req, form)`, and show `done`; on a problem, the page again with it."""
    req = _request(reference)
    if form.is_valid():
        try:
            action(req, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done.format(req=req))
            return redirect(req)
    return request_detail(request, reference, forms={key: form}, status=400)


@require_POST
@coordinators
def request_verify(request, reference):
    return _act(
        request,
        reference,
        "verify",
        VerifyForm(request.POST),
        lambda req, data: organisation_verify(
            organisation=req.organisation, actor=request.user, note=data["note"], request=req
        ),
        "{req.organisation} is verified: its later requests are linked to it.",
    )


@require_POST
@coordinators
def request_approve_view(request, reference):
    return _act(
        request,
        reference,
        "approve",
        ApproveForm(request.POST),
        lambda req, data: request_approve(
            request=req, actor=request.user, tier=data["tier"].number, in_area=data["in_area"]
        ),
        "{req.reference} is approved and in the queue for matching.",
    )


@require_POST
@coordinators
def request_decline_view(request, reference):
    return _act(
        request,
        reference,
        "decline",
        ReasonForm(request.POST, prefix="decline"),
        lambda req, data: request_decline(request=req, actor=request.user, reason=data["reason"]),
        "{req.reference} is declined; the group has been told why.",
    )


@require_POST
@coordinators
def request_close_view(request, reference):
    return _act(
        request,
        reference,
        "close",
        ReasonForm(request.POST, prefix="close"),
        lambda req, data: request_close(request=req, actor=request.user, reason=data["reason"]),
        "{req.reference} is closed.",
    )


@require_POST
@coordinators
def request_withdraw_view(request, reference):
    return _act(
        request,
        reference,
        "close",
        ReasonForm(request.POST, prefix="close"),
        lambda req, data: request_withdraw(request=req, actor=request.user, reason=data["reason"]),
        "{req.reference} is withdrawn.",
    )


@require_POST
@coordinators
def request_note_view(request, reference):
    return _act(
        request,
        reference,
        "note",
        NoteForm(request.POST),
        lambda req, data: request_note(request=req, actor=request.user, text=data["text"]),
        "Note added.",
    )


@require_POST
@coordinators
def request_tier_view(request, reference):
    return _act(
        request,
        reference,
        "tier",
        TierForm(request.POST),
        lambda req, data: request_set_tier(request=req, actor=request.user, tier=data["tier"].number),
        "Priority tier changed.",
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def line_quantity(request, pk: int):
    line = get_object_or_404(RequestLine.objects.select_related("request__organisation"), pk=pk)
    form = QuantityForm(request.POST if request.method == "POST" else None, initial={"quantity": line.quantity})
    if request.method == "POST" and form.is_valid():
        try:
            line_change_quantity(line=line, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{line.get_kind_display()}: now {form.cleaned_data['quantity']}.")
            return redirect(line.request)
    return render(request, "matching/requests/quantity.html", {"line": line, "req": line.request, "form": form})


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def allocation_cancel_view(request, pk: int):
    allocation = get_object_or_404(Allocation.objects.select_related("request", "device", "line"), pk=pk)
    form = CancelAllocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation_cancel(allocation=allocation, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{allocation.device.asset_tag} is back on the shelf.")
            return redirect(allocation.request)
    return render(request, "matching/requests/cancel_allocation.html", {"allocation": allocation, "form": form})
