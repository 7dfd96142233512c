"""Recompute the custody hash chains and replay them against the lifecycle: proof that nobody altered or
removed a custody event, and that every step the record shows is one the lifecycle allows."""

from dataclasses import dataclass

from reuse.models import CustodyEvent, Device
from reuse.services.lifecycle import step_allowed


@dataclass(frozen=True)
class AuditProblem:
    asset_tag: str
    seq: int | None
    message: str


def audit_verify(*, chunk: int = 5000) -> tuple[int, list[AuditProblem]]:
    """Check every device's chain: each event's hash, its place in the chain, and its step against
    `TRANSITIONS` (a chain of valid hashes over an illegal step is still a problem). Returns (events
    checked, problems found)."""
    problems: list[AuditProblem] = []
    tags = dict(Device.objects.values_list("pk", "asset_tag"))
    statuses = dict(Device.objects.values_list("pk", "status"))
    checked = 0
    current, expected_seq, prev_hash, last_status = None, 1, "", None

    def close(device_id):
        if device_id is not None and last_status != statuses.get(device_id):
            problems.append(
                AuditProblem(
                    tags.get(device_id, str(device_id)),
                    None,
                    f"status is {statuses.get(device_id)} but the last event says {last_status}",
                )
            )

    for event in CustodyEvent.objects.order_by("device_id", "seq").iterator(chunk_size=chunk):
        if event.device_id != current:
            close(current)
            current, expected_seq, prev_hash, last_status = event.device_id, 1, "", ""
        tag = tags.get(event.device_id, str(event.device_id))
        if event.seq != expected_seq:
            problems.append(AuditProblem(tag, event.seq, f"event {expected_seq} is missing"))
        elif event.from_status != last_status:
            problems.append(
                AuditProblem(
                    tag,
                    event.seq,
                    f"starts from {event.from_status or 'nothing'} but the "
                    f"event before it left the device {last_status or 'nothing'}",
                )
            )
        if not step_allowed(event.from_status, event.to_status):
            problems.append(
                AuditProblem(
                    tag,
                    event.seq,
                    f"goes from {event.from_status or 'nothing'} to "
                    f"{event.to_status}, which the lifecycle does not allow",
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(AuditProblem(tag, event.seq, "does not follow on from the event before it"))
        if event.compute_hash() != event.hash:
            problems.append(AuditProblem(tag, event.seq, "has been altered since it was written"))
        checked += 1
        expected_seq, prev_hash, last_status = event.seq + 1, event.hash, event.to_status
    close(current)
    with_events = set(CustodyEvent.objects.values_list("device_id", flat=True).distinct())
    for device_id in tags.keys() - with_events:
        problems.append(AuditProblem(tags[device_id], None, "has no custody record"))
    return checked, problems
