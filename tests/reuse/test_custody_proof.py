"""Attacks on the custody log by someone holding the database (with or without the audit key): rewriting a
history and chaining it again, cutting a record short, and the database's own refusal to change events.
Plus the daily digest that publishes each chain's head, and appends racing on one device."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_q.models import Schedule

from reuse.chain import event_payload, keyed_hash, plain_hash
from reuse.models import AuditDigest, CustodyEvent, CustodyRechain
from reuse.services.audit import audit_digest_write, audit_verify, published_from_file
from reuse.services.lifecycle import custody_note, device_move
from tests.races import run_at_once
from tests.reuse.test_audit import raw_sql

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _verify(*args):
    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(sql, params):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_update_or_delete_custody_events(ready_device):
    event = ready_device().events.get(seq=2)
    _refused("UPDATE reuse_custodyevent SET reason = %s WHERE id = %s", ["nothing to see", event.pk])
    _refused("DELETE FROM reuse_custodyevent WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.reason != "nothing to see"


def test_the_database_refuses_to_change_a_published_digest(ready_device):
    ready_device()
    digest = audit_digest_write(day=YESTERDAY)
    _refused("UPDATE reuse_auditdigest SET heads = %s WHERE id = %s", ["", digest.pk])
    _refused("DELETE FROM reuse_auditdigest WHERE id = %s", [digest.pk])


def _hash(row, prev: str, key: str | None) -> str:
    """`row`'s hash after `prev`: keyed with `key`, or the plain SHA-256 of the chain before keys."""
    fields = dict(
        device_id=row.device_id,
        seq=row.seq,
        at=row.at,
        actor_id=row.actor_id,
        site_id=row.site_id,
        from_status=row.from_status,
        to_status=row.to_status,
        reason=row.reason,
        prev_hash=prev,
    )
    if key is None:
        return plain_hash(event_payload(**fields, key_id=None))
    return keyed_hash(key, event_payload(**fields, key_id=row.key_id))


def _rewrite(event, *, reason, key: str | None):
    """Rewrite one event and chain everything after it again, with `key` (None: plain SHA-256, as before)."""
    rows = list(CustodyEvent.objects.filter(device=event.device_id, seq__gte=event.seq).order_by("seq"))
    prev = event.prev_hash
    for row in rows:
        if row.pk == event.pk:
            row.reason = reason
        digest = _hash(row, prev, key)
        raw_sql(
            "UPDATE reuse_custodyevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.reason, prev, digest, row.pk],
        )
        prev = digest


@pytest.mark.parametrize("key", [None, "a-key-the-forger-made-up-of-32-characters-or-more"])
def test_a_history_rewritten_and_chained_again_without_the_key_is_caught(ready_device, key):
    device = ready_device()
    _rewrite(device.events.get(seq=2), reason="wiped by someone else", key=key)
    _, problems = audit_verify()
    assert (device.asset_tag, 2, "has been altered since it was written (its keyed hash does not match)") in [
        (p.asset_tag, p.seq, p.message) for p in problems
    ]


def test_a_history_rewritten_with_the_key_is_caught_by_the_published_heads(ready_device):
    device = ready_device()
    audit_digest_write(day=YESTERDAY)
    _rewrite(device.events.get(seq=2), reason="wiped by someone else", key=settings.AUDIT_KEY)
    with pytest.raises(CommandError, match="1 problem"):
        _verify()
    _, problems = audit_verify()
    assert [(p.asset_tag, p.seq) for p in problems] == [(device.asset_tag, 3)]
    assert "differs from the head published in the digest of" in problems[0].message


def test_deleting_a_device_s_last_event_is_caught_against_the_published_heads(ready_device, branch, alice):
    """The review's attack: a move deleted, and the chain is still whole."""
    device = ready_device()
    device_move(device=device, site=branch, actor=alice, reason="To the branch")
    audit_digest_write(day=YESTERDAY)
    raw_sql("DELETE FROM reuse_custodyevent WHERE device_id = %s AND seq = 4", [device.pk])
    raw_sql("UPDATE reuse_device SET site_id = %s WHERE id = %s", [device.site_id, device.pk])
    with pytest.raises(CommandError):
        _verify()
    _, problems = audit_verify()
    assert [(p.asset_tag, p.seq) for p in problems] == [(device.asset_tag, 4)]
    assert "the record was cut short (it now ends at event 3)" in problems[0].message


def test_a_cut_caught_with_a_downloaded_copy_even_when_the_digests_are_gone_too(client, ready_device, tmp_path):
    device = ready_device()
    digest = audit_digest_write(day=YESTERDAY)
    json_copy, csv_copy = tmp_path / "heads.json", tmp_path / "heads.csv"
    json_copy.write_bytes(client.get(f"/open-data/audit/{digest.day}.json").content)
    csv_copy.write_bytes(client.get(f"/open-data/audit/{digest.day}.csv").content)
    raw_sql("DELETE FROM reuse_auditdigest", [])
    raw_sql("DELETE FROM reuse_custodyevent WHERE device_id = %s AND seq = 3", [device.pk])
    raw_sql("UPDATE reuse_device SET status = 'sanitised' WHERE id = %s", [device.pk])
    assert _verify()  # the database alone no longer shows it
    for copy in (json_copy, csv_copy):
        with pytest.raises(CommandError, match="1 problem"):
            _verify("--published", str(copy))
    _, problems = audit_verify(published=published_from_file(csv_copy.read_text(), "heads.csv"))
    assert [(p.asset_tag, p.seq) for p in problems] == [(device.asset_tag, 3)]


def test_a_published_digest_altered_in_the_database_is_caught(ready_device):
    ready_device()
    digest = audit_digest_write(day=YESTERDAY)
    raw_sql("UPDATE reuse_auditdigest SET heads = %s WHERE id = %s", ["", digest.pk])
    _, problems = audit_verify()
    assert [p.message for p in problems] == [f"the digest of {YESTERDAY} has been altered since it was signed"]


def test_verify_audit_refuses_a_file_that_is_no_digest(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"nothing": 1}')
    with pytest.raises(CommandError, match="is not a digest downloaded from /open-data/audit/"):
        _verify("--published", str(bad))


def test_events_chained_with_an_old_key_verify_after_rotation(ready_device, settings):
    device = ready_device()
    old_id, old_key = settings.AUDIT_KEY_ID, settings.AUDIT_KEY
    settings.AUDIT_KEY_ID, settings.AUDIT_KEY = "2", "b-new-audit-key-of-at-least-32-characters"
    settings.AUDIT_KEYS = {old_id: old_key, "2": settings.AUDIT_KEY}
    event = custody_note(device=device, actor=None, reason="after the rotation")
    assert event.key_id == "2" and device.events.get(seq=1).key_id == old_id
    assert audit_verify()[1] == []
    settings.AUDIT_KEYS = {"2": settings.AUDIT_KEY}  # the old key lost
    assert {p.message for p in audit_verify()[1]} == {
        f"was chained with audit key {old_id!r}, which this server does not hold"
    }


def test_the_digest_holds_the_heads_of_the_chains_that_grew(ready_device, branch, alice):
    first, second = ready_device(), ready_device()
    digest = audit_digest_write(day=YESTERDAY)
    assert digest.head_rows() == sorted(
        [(first.asset_tag, 3, first.events.get(seq=3).hash), (second.asset_tag, 3, second.events.get(seq=3).hash)]
    )
    assert audit_digest_write(day=YESTERDAY).pk == digest.pk  # once a day
    device_move(device=second, site=branch, actor=alice)
    today = audit_digest_write()
    assert [(tag, seq) for tag, seq, _ in today.head_rows()] == [(second.asset_tag, 4)]
    assert today.events == 7 and audit_verify()[1] == []


def test_the_digest_is_written_by_a_daily_task(ready_device):
    from reuse import tasks

    schedule = Schedule.objects.get(func="reuse.tasks.audit_digest_write")
    assert schedule.schedule_type == Schedule.DAILY
    ready_device()
    assert AuditDigest.objects.get(pk=tasks.audit_digest_write()).day == timezone.localdate()


def test_the_digests_are_published_as_a_page_csv_and_json(client, ready_device, borrower):
    device = ready_device()
    digest = audit_digest_write(day=YESTERDAY)
    page = client.get("/open-data/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert digest.sha256 in text and f"/open-data/audit/{YESTERDAY}.csv" in text
    csv_text = client.get(f"/open-data/audit/{YESTERDAY}.csv").content.decode()
    assert csv_text.splitlines() == [
        "day,asset_tag,seq,hash",
        f"{YESTERDAY},{device.asset_tag},3,{digest.head_rows()[0][2]}",
    ]
    data = json.loads(client.get(f"/open-data/audit/{YESTERDAY}.json").content)
    assert data["heads"] == [{"asset_tag": device.asset_tag, "seq": 3, "hash": digest.head_rows()[0][2]}]
    assert data["signature"] == digest.signature
    for private in ("alice", "bob", "Rosa"):
        assert private not in csv_text + text
    assert client.get("/open-data/audit/9999-99-99.json").status_code == 404


def test_the_plain_history_is_chained_again_once_recording_what_did_not_verify(make_device):
    """What migration 0007 did to the history written before the audit key: each plain SHA-256 chain is
    checked, chained again under the key, and the re-chaining recorded with the chains that were broken."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    apps = MigrationLoader(connection).project_state(("reuse", "0008_custody_keyed_chain")).apps
    migration = importlib.import_module("reuse.migrations.0008_custody_keyed_chain")
    good, bad = make_device(), make_device()
    for device in (good, bad):
        prev = ""
        for event in device.events.order_by("seq"):
            digest = _hash(event, prev, None)
            reason = "tampered before the key" if device is bad else event.reason
            raw_sql(
                "UPDATE reuse_custodyevent SET prev_hash = %s, hash = %s, key_id = '', reason = %s WHERE id = %s",
                [prev, digest, reason, event.pk],
            )
            prev = digest
    migration.rechain(apps, None)
    record = CustodyRechain.objects.order_by("-at").first()
    assert record.events == CustodyEvent.objects.count() and record.broken_before == [bad.asset_tag]
    assert set(CustodyEvent.objects.values_list("key_id", flat=True)) == {settings.AUDIT_KEY_ID}
    problems = [(p.asset_tag, p.message) for p in audit_verify()[1]]
    assert (
        len(problems) == 1
        and problems[0][0] == bad.asset_tag
        and "did not verify before it was re-chained" in problems[0][1]
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_to_one_device_each_get_their_own_place_in_the_chain(make_device, alice):
    """Eight notes on one device at the same moment: one winner per sequence number, none lost, one chain."""
    device = make_device()
    results = run_at_once(*[lambda n=n: custody_note(device=device, actor=alice, reason=f"note {n}") for n in range(8)])
    assert not [r for r in results if isinstance(r, Exception)]
    seqs = list(device.events.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 10))
    assert sorted(device.events.filter(seq__gt=1).values_list("reason", flat=True)) == [f"note {n}" for n in range(8)]
    assert audit_verify()[1] == []
