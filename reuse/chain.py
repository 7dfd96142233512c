"""The custody chain's arithmetic, pure: what an event's keyed hash covers, and the daily digest of heads.

Each custody event's `hash` is HMAC-SHA256, under the audit key its `key_id` names, of a canonical text of
its facts and the hash of the event before it. The key is kept outside the database (settings.AUDIT_KEY),
so someone holding only the database can neither alter an event nor chain a rewritten history again
without `verify_audit` seeing it. The daily digest publishes each chain's newest event (its head): a
history cut short or rewritten by someone who also had the key no longer reaches a published head.

Used by the models, the services and the migration that re-chained the plain SHA-256 history once, so it
must not change: a new payload would need a new key id and a way to tell the two apart.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable


def event_payload(
    *,
    device_id: int,
    seq: int,
    at: datetime.datetime,
    actor_id: int | None,
    site_id: int | None,
    from_status: str,
    to_status: str,
    reason: str,
    prev_hash: str,
    key_id: str | None,
) -> str:
    """The canonical text an event's hash covers. Ids and statuses only: no personal data. (`key_id=None`
    gives the plain chain's text, which had no key id.)"""
    facts = [
        device_id,
        seq,
        at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        actor_id,
        site_id,
        from_status,
        to_status,
        reason,
        prev_hash,
    ]
    return json.dumps(facts if key_id is None else [*facts, key_id], separators=(",", ":"))


def keyed_hash(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def plain_hash(text: str) -> str:
    """The chain's first form, unkeyed SHA-256: only to check the history before re-chaining it."""
    return hashlib.sha256(text.encode()).hexdigest()


def heads_text(heads: Iterable[tuple[str, int, str]]) -> str:
    """The published lines of a digest, `asset_tag,seq,hash`, in asset tag order."""
    return "".join(f"{tag},{seq},{digest}\n" for tag, seq, digest in sorted(heads))


def digest_signature(key: str, day: datetime.date, text: str) -> str:
    """What signs a day's digest: its date and its lines, under the audit key."""
    return keyed_hash(key, f"{day.isoformat()}\n{text}")
