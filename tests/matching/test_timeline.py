"""matching's part of a device's timeline: allocations and their cancellation, named for coordinators,
by reference only for everyone else."""

from core.timeline import timeline
from matching.services.allocations import allocation_cancel, proposal_accept
from matching.services.runs import match_run
from tests.matching.support import approved, line


def test_allocation_and_cancellation_on_the_timeline(branch, carl, alice, ready_at):
    req = approved(branch, carl, lines=[line("laptop", 1, webcam=True)])
    device = ready_at(branch)
    run = match_run(actor=carl, commit=True)
    allocation = proposal_accept(proposal=run.proposals.get(), actor=carl)
    allocation_cancel(allocation=allocation, actor=carl, reason="Group closed")
    coordinator_view = [e for e in timeline([device.pk], carl) if e.kind == "allocation"]
    assert coordinator_view[1].title == f"Allocated to request {req.reference} ({req.organisation.name})"
    assert coordinator_view[1].link == req.get_absolute_url()
    assert coordinator_view[0].title == f"Allocation to {req.reference} cancelled"
    assert coordinator_view[0].detail == "Group closed"
    it_view = [e for e in timeline([device.pk], alice) if e.kind == "allocation"]
    assert it_view[1].title == f"Allocated to request {req.reference}" and it_view[1].link == ""
