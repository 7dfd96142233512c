"""The custody log's proof: recompute every keyed chain, replay it against the lifecycle, and hold it
against the published daily heads; and write those daily digests.

What `audit_verify` catches, and how:
- an event altered, or a history rewritten and chained again without the audit key: its HMAC no longer
  matches (the key is outside the database);
- a history rewritten and chained again by someone who also had the key: it no longer reaches the head
  a daily digest published before the rewrite (digests are signed with the key, and copies of them live
  outside Relay: `verify_audit --published FILE` checks against a downloaded copy);
- a history cut short (the last event deleted): a published head is missing;
- a gap, a fork, a step the lifecycle does not allow, a status the record does not end in.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reuse.chain import digest_signature, heads_text
from reuse.models import AuditDigest, CustodyEvent, CustodyRechain, Device
from reuse.services.lifecycle import corrected_seq, step_allowed

HEADS_CHUNK = 5000


@dataclass(frozen=True)
class AuditProblem:
    asset_tag: str
    seq: int | None
    message: str


@dataclass(frozen=True)
class PublishedHeads:
    """One digest's heads as published (from the database, or a downloaded copy): who says so, and what."""

    day: datetime.date
    source: str
    heads: list[tuple[str, int, str]]


def published_from_file(text: str, source: str) -> list[PublishedHeads]:
    """A copy of /open-data/audit/ downloads: the JSON of one digest or a list of them, or one day's CSV
    (`day,asset_tag,seq,hash` after its heading row). ValueError when it is neither."""
    text = text.strip()
    if text.startswith(("{", "[")):
        data = json.loads(text)
        digests = data if isinstance(data, list) else [data]
        return [
            PublishedHeads(
                datetime.date.fromisoformat(d["day"]),
                source,
                [(h["asset_tag"], int(h["seq"]), h["hash"]) for h in d["heads"]],
            )
            for d in digests
        ]
    by_day: dict[datetime.date, list] = defaultdict(list)
    for line in text.splitlines()[1:]:
        day, tag, seq, digest = line.strip().split(",")
        by_day[datetime.date.fromisoformat(day)].append((tag, int(seq), digest))
    if not by_day:
        raise ValueError("no heads in it")
    return [PublishedHeads(day, source, heads) for day, heads in sorted(by_day.items())]


def _digest_problems(digests) -> tuple[list[AuditProblem], list[PublishedHeads]]:
    problems, published = [], []
    for digest in digests:
        key = settings.AUDIT_KEYS.get(digest.key_id)
        if key is None:
            problems.append(
                AuditProblem(
                    "-",
                    None,
                    f"the digest of {digest.day} was signed with audit key "
                    f"{digest.key_id!r}, which this server does not hold",
                )
            )
        elif digest_signature(key, digest.day, digest.heads) != digest.signature:
            problems.append(AuditProblem("-", None, f"the digest of {digest.day} has been altered since it was signed"))
        published.append(PublishedHeads(digest.day, "the database", digest.head_rows()))
    return problems, published


def audit_verify(*, chunk: int = 5000, published: list[PublishedHeads] | None = None) -> tuple[int, list[AuditProblem]]:
    """Check every device's chain (keyed hash, place in the chain, step against `TRANSITIONS`), then the
    heads of every digest stored in the database and of any `published` copies. Returns (events checked,
    problems found)."""
    problems: list[AuditProblem] = []
    tags = dict(Device.objects.values_list("pk", "asset_tag"))
    ids = {tag: pk for pk, tag in tags.items()}
    statuses = dict(Device.objects.values_list("pk", "status"))
    digest_problems, stored = _digest_problems(AuditDigest.objects.order_by("day"))
    problems += digest_problems
    # Every published head, by (device, seq): the event there must still exist with that hash.
    wanted: dict[tuple[int, int], list[tuple[str, PublishedHeads]]] = defaultdict(list)
    for copy in [*stored, *(published or [])]:
        for tag, seq, digest in copy.heads:
            if tag not in ids:
                problems.append(
                    AuditProblem(
                        tag,
                        seq,
                        f"is in the digest of {copy.day} ({copy.source}) but the device is no longer in the database",
                    )
                )
            else:
                wanted[(ids[tag], seq)].append((digest, copy))
    for rechain in CustodyRechain.objects.all():
        for tag in rechain.broken_before:
            problems.append(
                AuditProblem(
                    tag,
                    None,
                    f"its record did not verify before it was re-chained under key "
                    f"{rechain.key_id!r} on {rechain.at:%d/%m/%Y}",
                )
            )
    last_seq: dict[int, int] = {}
    checked = 0
    current, expected_seq, prev_hash, last_status = None, 1, "", None
    steps: dict[int, tuple[str, str]] = {}  # this chain's (from, to) by seq: what a correction undoes

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
            steps = {}
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
        corrects = corrected_seq(event.reason)
        correcting = steps.get(corrects, ("?", "?")) if corrects is not None and corrects < event.seq else None
        if not step_allowed(event.from_status, event.to_status) and not (
            correcting and step_allowed(event.from_status, event.to_status, correcting=correcting)
        ):
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
        if event.key_id not in settings.AUDIT_KEYS:
            problems.append(
                AuditProblem(
                    tag, event.seq, f"was chained with audit key {event.key_id!r}, which this server does not hold"
                )
            )
        elif event.compute_hash() != event.hash:
            problems.append(
                AuditProblem(tag, event.seq, "has been altered since it was written (its keyed hash does not match)")
            )
        for digest, copy in wanted.pop((event.device_id, event.seq), []):
            if digest != event.hash:
                problems.append(
                    AuditProblem(
                        tag,
                        event.seq,
                        f"differs from the head published in the digest of "
                        f"{copy.day} ({copy.source}): the record was rewritten",
                    )
                )
        checked += 1
        steps[event.seq] = (event.from_status, event.to_status)
        last_seq[event.device_id] = event.seq
        expected_seq, prev_hash, last_status = event.seq + 1, event.hash, event.to_status
    close(current)
    for (device_id, seq), copies in sorted(wanted.items()):
        day = min(copy.day for _digest, copy in copies)
        problems.append(
            AuditProblem(
                tags[device_id],
                seq,
                f"was published as the head in the digest of {day} but is "
                f"gone: the record was cut short (it now ends at event {last_seq.get(device_id, 0)})",
            )
        )
    with_events = set(last_seq)
    for device_id in tags.keys() - with_events:
        problems.append(AuditProblem(tags[device_id], None, "has no custody record"))
    return checked, problems


def _heads_since(after_id: int, up_to_id: int) -> list[tuple[str, int, str]]:
    """The newest event of each chain that grew between the two event ids, as (asset tag, seq, hash)."""
    last_ids = list(
        CustodyEvent.objects.filter(pk__gt=after_id, pk__lte=up_to_id)
        .order_by()
        .values("device_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    heads: list[tuple[str, int, str]] = []
    for start in range(0, len(last_ids), HEADS_CHUNK):
        heads += CustodyEvent.objects.filter(pk__in=last_ids[start : start + HEADS_CHUNK]).values_list(
            "device__asset_tag", "seq", "hash"
        )
    return heads


@transaction.atomic
def audit_digest_write(*, day: datetime.date | None = None) -> AuditDigest:
    """Write (once) the digest for `day` (default today): the head of every chain that grew since the
    previous digest, signed with the audit key. A second call for the same day returns the first."""
    day = day or timezone.localdate()
    existing = AuditDigest.objects.filter(day=day).first()
    if existing:
        return existing
    previous = AuditDigest.objects.filter(day__lt=day).order_by("-day").first()
    after = previous.last_event_id if previous else 0
    up_to = CustodyEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    text = heads_text(_heads_since(after, up_to))
    digest = AuditDigest(
        day=day,
        last_event_id=up_to,
        chains=text.count("\n"),
        events=CustodyEvent.objects.filter(pk__lte=up_to).count(),
        heads=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        signature=digest_signature(settings.AUDIT_KEY, day, text),
        key_id=settings.AUDIT_KEY_ID,
    )
    digest.save()
    return digest
