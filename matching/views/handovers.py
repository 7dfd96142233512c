"""Handovers at the collection branch: what is due where, the signing itself (signature pad, or paper /
read aloud), the signed agreement and its PDF. Desk staff see and act for their own branches only;
coordinators for every branch (`matching.services.handovers.handover_branches`)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.privacy import log_access
from core.roles import COORDINATOR, DESK, role_required
from matching.forms.handovers import HandoverForm, ReturnedForm
from matching.models import Allocation, CollectionBooking, CommunityRequest, Handover, HandoverKind, HandoverTerms
from matching.pdf import agreement_filename, build_handover_agreement
from matching.services.handovers import handover_branches, handover_device_returned, handover_perform

branch_staff = role_required(DESK, COORDINATOR)


@branch_staff
def handover_list(request):
    """Collections booked at the user's branches, and requests with devices waiting but no day booked yet."""
    branches = handover_branches(request.user)
    bookings = (
        CollectionBooking.objects.live()
        .filter(site__in=branches)
        .select_related("request__organisation", "site")
        .annotate(
            devices=Count(
                "request__allocations",
                filter=Q(request__allocations__cancelled_at__isnull=True, request__allocations__handover__isnull=True),
            )
        )
        .order_by("date", "part")
    )
    unbooked = (
        CommunityRequest.objects.approved()
        .filter(
            collection_site__in=branches, allocations__cancelled_at__isnull=True, allocations__handover__isnull=True
        )
        .exclude(bookings__in=CollectionBooking.objects.live())
        .select_related("organisation", "collection_site")
        .annotate(devices=Count("allocations"))
        .order_by("reference")
        .distinct()
    )
    recent = Handover.objects.filter(site__in=branches).select_related("request__organisation", "site")[:20]
    return render(
        request, "matching/handovers/list.html", {"bookings": bookings, "unbooked": unbooked, "recent": recent}
    )


@never_cache
@branch_staff
@require_http_methods(["GET", "POST"])
def handover_new(request, reference: str):
    req = get_object_or_404(
        CommunityRequest.objects.select_related("organisation", "collection_site"),
        reference=reference.upper(),
        collection_site__in=handover_branches(request.user),
    )
    waiting = (
        req.allocations.awaiting_handover()
        .select_related("device", "device__site", "line")
        .order_by("device__asset_tag")
    )
    form = HandoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = handover_perform(
                request=req,
                site=req.collection_site,
                actor=request.user,
                kind=data["kind"],
                signed_by_name=data["signed_by_name"],
                signed_by_role=data["signed_by_role"],
                signature_method=data["signature_method"],
                signature_png=data.get("signature_png"),
                idempotency_key=data["token"],
                connectivity=form.connectivity_lines,
                accessories=form.accessory_list,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Handed over: {handover.reference}. Print or download the signed agreement.")
            return redirect(handover)
    context = {
        "req": req,
        "form": form,
        "waiting": waiting,
        "booking": req.bookings.live().first(),
        "terms": {kind: HandoverTerms.current(kind) for kind in HandoverKind.values},
        "connectivity_asked": req.lines.exclude(connectivity="").select_related(),
        "elsewhere": [a for a in waiting if a.device.site_id != req.collection_site_id],
    }
    return render(request, "matching/handovers/new.html", context, status=400 if form.errors else 200)


def _handover(request, reference: str) -> Handover:
    return get_object_or_404(
        Handover.objects.select_related("request__organisation", "site", "terms", "performed_by"),
        reference=reference.upper(),
        site__in=handover_branches(request.user),
    )


@never_cache
@branch_staff
def handover_detail(request, reference: str):
    handover = _handover(request, reference)
    log_access(actor=request.user, subject=handover, what="handover: who signed")
    allocations = handover.allocations.select_related("device", "line").order_by("device__asset_tag")
    return render(
        request,
        "matching/handovers/detail.html",
        {"handover": handover, "allocations": allocations, "returned_form": ReturnedForm()},
    )


@never_cache
@branch_staff
def handover_pdf(request, reference: str):
    handover = _handover(request, reference)
    log_access(actor=request.user, subject=handover, action="export", what="signed agreement PDF")
    response = HttpResponse(build_handover_agreement(handover), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement_filename(handover)}"'
    return response


@require_POST
@branch_staff
def allocation_returned(request, pk: int):
    allocation = get_object_or_404(Allocation.objects.select_related("handover", "device"), pk=pk)
    if (
        allocation.handover is None
        or not handover_branches(request.user).filter(pk=allocation.handover.site_id).exists()
    ):
        raise Http404("No such handover at your branches")
    form = ReturnedForm(request.POST)
    if form.is_valid():
        try:
            handover_device_returned(allocation=allocation, actor=request.user, site=allocation.handover.site)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{allocation.device.asset_tag} is back: it goes to IT to be wiped again.")
    else:
        messages.error(request, "Tick to confirm that the device is back.")
    return redirect(allocation.handover)
