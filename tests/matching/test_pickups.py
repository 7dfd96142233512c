"""What a branch keeps aside for a community group's pickup, as the desk's home counts it."""

import re

from matching.selectors import awaiting_pickup_at
from matching.services.allocations import proposals_decide
from matching.services.runs import match_run
from tests.matching.support import approved, line


def test_allocated_devices_at_their_collection_branch_wait_for_pickup(
    client, branch, other_branch, carl, dina, ready_at
):
    req = approved(branch, carl, lines=[line("laptop", 2)])
    for n in range(2):
        ready_at(branch, serial=f"SN-PU-{n}")
    run = match_run(actor=carl, commit=True)
    proposals_decide(request=req, actor=carl, accept=run.proposals.all())
    assert awaiting_pickup_at(branch) == 2 and awaiting_pickup_at(other_branch) == 0
    client.force_login(dina)
    body = client.get("/").content.decode()
    link = re.search(r'href="([^"]+)" data-count="pickups"><strong>(\d+)</strong>', body)
    assert link.group(2) == "2" and link.group(1) == "/matching/handovers/"
    assert req.reference in client.get(link.group(1)).content.decode()
