"""Matching runs: start one (the coordinator's button), see what it proposed and why, review the proposals
request by request (accept, reject, or swap a device for another compatible one), and the shortage report
the depot works from."""

from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.roles import COORDINATOR, IT, role_required
from core.tasks import on_commit_task
from matching.models import CommunityRequest, MatchRun, Proposal
from matching.selectors import devices_to_move
from matching.services.allocations import proposals_decide, swap_candidates
from matching.services.runs import match_run_start, run_counts
from reuse.models import Device

coordinators = role_required(COORDINATOR)


@coordinators
@require_http_methods(["GET", "POST"])
def run_list(request):
    if request.method == "POST":
        try:
            run = match_run_start(actor=request.user, trigger=MatchRun.Trigger.BUTTON)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("matching:run-list")
        on_commit_task("matching.tasks.run_matching", run.pk, task_name=f"matching-run-{run.pk}")
        return redirect(run)
    page = Paginator(MatchRun.objects.select_related("actor"), 25).get_page(request.GET.get("page"))
    return render(request, "matching/runs/list.html", {"page": page})


@coordinators
def run_detail(request, pk: int):
    run = get_object_or_404(MatchRun.objects.select_related("actor"), pk=pk)
    proposals = run.proposals.select_related(
        "request__organisation", "line", "device", "from_site", "to_site"
    ).order_by("tier", "-waiting_days", "request_id", "line_id", "device__asset_tag")
    groups = [(req, list(items)) for req, items in groupby(proposals, key=lambda p: p.request)]
    return render(
        request,
        "matching/runs/detail.html",
        {
            "run": run,
            "groups": groups,
            "counts": run_counts(run),
            "latest": MatchRun.objects.filter(status="done").first(),
        },
    )


@require_POST
@coordinators
def run_review(request, pk: int, reference: str):
    """One request's proposals reviewed: each `decision-<proposal>` is accept or reject."""
    run = get_object_or_404(MatchRun, pk=pk)
    req = get_object_or_404(CommunityRequest, reference=reference.upper())
    pending = {p.pk: p for p in run.proposals.pending().filter(request=req).select_related("device", "line")}
    decided = {p.pk: p for p in run.proposals.filter(request=req).exclude(status=Proposal.Status.PROPOSED)}
    accept: list[Proposal] = []
    reject: list[Proposal] = []
    for pk_text, choice in (
        (k.removeprefix("decision-"), v) for k, v in request.POST.items() if k.startswith("decision-")
    ):
        proposal = pending.get(int(pk_text)) if pk_text.isdigit() else None
        if proposal is None:
            proposal = decided.get(int(pk_text)) if pk_text.isdigit() else None
            if proposal is not None and choice == "accept":
                accept.append(proposal)  # accepted already: a double click gets the same allocation back
            continue
        (accept if choice == "accept" else reject if choice == "reject" else []).append(proposal)
    made, problems = proposals_decide(request=req, actor=request.user, accept=accept, reject=reject)
    for problem in problems:
        messages.error(request, problem)
    if made:
        messages.success(
            request,
            f"{req.reference}: {len(made)} device{'s' if len(made) != 1 else ''} allocated; the group has been told.",
        )
    elif not problems:
        messages.success(request, f"{req.reference}: proposals reviewed.")
    return redirect(reverse("matching:run-detail", args=[run.pk]) + f"#request-{req.reference}")


@coordinators
@require_http_methods(["GET", "POST"])
def proposal_swap(request, pk: int):
    proposal = get_object_or_404(
        Proposal.objects.select_related("request__organisation", "line", "device", "to_site", "run"), pk=pk
    )
    candidates = swap_candidates(proposal) if proposal.is_pending else []
    error = ""
    if request.method == "POST":
        device = Device.objects.filter(pk=request.POST.get("device") or 0).first()
        if device is None or device not in candidates:
            error = "Choose one of the devices listed"
        else:
            made, problems = proposals_decide(
                request=proposal.request, actor=request.user, accept=[proposal], swaps={proposal.pk: device}
            )
            if made:
                messages.success(request, f"{device.asset_tag} allocated to {proposal.request.reference} instead.")
                return redirect(
                    reverse("matching:run-detail", args=[proposal.run_id]) + f"#request-{proposal.request.reference}"
                )
            error = problems[0] if problems else "That device could not be allocated."
    return render(
        request,
        "matching/runs/swap.html",
        {"proposal": proposal, "candidates": candidates, "error": error},
        status=400 if error else 200,
    )


@role_required(IT, COORDINATOR)
def shortages(request):
    """What the ready stock could not meet at the latest run, by type and cause: the depot's to-do list."""
    run = MatchRun.objects.filter(status=MatchRun.Status.DONE).first()
    return render(request, "matching/runs/shortages.html", {"run": run, "moves": devices_to_move()})
