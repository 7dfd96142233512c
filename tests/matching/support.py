"""Builders for matching's tests: requests drafted, submitted and approved through the services, and
devices ready at a site with a given spec."""

import datetime

from django.utils import timezone

from matching.models import CommunityRequest
from matching.services.requests import LineDraft, RequestDraft, organisation_verify, request_approve, request_submit


def line(kind="laptop", quantity=2, **fields) -> LineDraft:
    return LineDraft(kind=kind, quantity=quantity, **fields)


def draft(site, *, lines=None, **fields) -> RequestDraft:
    values = {
        "organisation_name": "Northside Food Bank",
        "organisation_kind": "charity",
        "charity_number": "1098765",
        "contact_name": "Priya Shah",
        "contact_email": "priya@northside.example",
        "contact_phone": "07700 900123",
        "served_groups": ["digitally_excluded", "jobseekers"],
        "people_count": 12,
        "area": "AN2",
        "collection_site_id": site.pk,
        "needed_by": timezone.localdate() + datetime.timedelta(days=60),
        "lines": lines if lines is not None else [line()],
        **fields,
    }
    return RequestDraft(**values)


def submit(site, **fields) -> CommunityRequest:
    return request_submit(draft=draft(site, **fields))


def approve(req: CommunityRequest, actor, *, tier=2, in_area=None) -> CommunityRequest:
    organisation_verify(organisation=req.organisation, actor=actor, request=req)
    return request_approve(request=req, actor=actor, tier=tier, in_area=in_area)


def approved(site, actor, *, tier=2, in_area=None, **fields) -> CommunityRequest:
    return approve(submit(site, **fields), actor, tier=tier, in_area=in_area)


def allocate_all(req: CommunityRequest, actor) -> list:
    """Run matching (committed) and accept every proposal for `req`: its allocations."""
    from matching.services.allocations import proposals_decide
    from matching.services.runs import match_run

    run = match_run(actor=actor, commit=True)
    made, _problems = proposals_decide(request=req, actor=actor, accept=run.proposals.filter(request=req))
    return made


def hand_over(req: CommunityRequest, site, actor, **kwargs):
    """Hand over everything waiting for `req` at `site` (a gift signed on paper unless said)."""
    import uuid

    from matching.services.handovers import handover_perform

    kwargs.setdefault("kind", "gift")
    kwargs.setdefault("signed_by_name", "Priya Shah")
    kwargs.setdefault("signature_method", "paper")
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return handover_perform(request=req, site=site, actor=actor, **kwargs)
