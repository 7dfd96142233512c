"""seed_demo --requests N: organisations and requests in every state, made through the services."""

from io import StringIO

from django.core.management import call_command

from matching.models import Allocation, CollectionBooking, CommunityRequest, FollowUp, Handover, MatchRun, Proposal
from reuse.models import CustodyEvent, Device


def test_demo_requests_reach_every_state_through_the_services(db):
    out = StringIO()
    call_command("seed_demo", devices=400, borrowers=5, requests=15, stdout=out)
    assert "Matching: 15 requests" in out.getvalue()
    statuses = set(CommunityRequest.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "approved", "declined", "withdrawn", "fulfilled", "closed"}
    assert CommunityRequest.objects.filter(status="submitted", organisation__verified_at__isnull=False).exists()
    assert MatchRun.objects.filter(committed=True, status="done").count() == 1
    assert Proposal.objects.pending().exists() and Allocation.objects.awaiting_handover().exists()
    assert CollectionBooking.objects.live().exists()
    kinds = set(Handover.objects.values_list("kind", flat=True))
    assert kinds == {"gift", "loan"}
    assert FollowUp.objects.answered().exists()
    for allocation in Allocation.objects.select_related("device", "reservation"):
        device = allocation.device
        if allocation.cancelled_at is None and allocation.handover_id is None:
            assert device.status == "reserved" and allocation.reservation.is_live
        last = CustodyEvent.objects.filter(device=device).order_by("-seq").first()
        assert last.to_status == device.status
    assert Device.objects.filter(status="gifted", allocations__handover__kind="gift").exists()
    call_command("verify_audit", stdout=StringIO())


def test_demo_requests_can_be_loaded_twice(db):
    call_command("seed_demo", devices=100, borrowers=0, requests=6, stdout=StringIO())
    call_command("seed_demo", devices=50, borrowers=0, requests=6, stdout=StringIO())
    assert CommunityRequest.objects.count() >= 6
