"""Many wipe logs in one upload, and many wipes confirmed at once from the verification queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reuse.models import Evidence, ResetChecklist, SanitisationRecord, StorageMedium
from reuse.services.lifecycle import device_transition
from tests.factories import record_wipe
from tests.reuse.nwipe_support import laptop_serials, one_drive_log

IMPORT, HOME, CONFIRM = "/devices/sanitisation/import/", "/devices/sanitisation/", "/devices/sanitisation/confirm/"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


@pytest.fixture
def laptops(make_device):
    """`laptops(n)`: n registered laptops, each with its one NVMe drive, and the nwipe log of its wipe."""

    def build(count: int, start: int = 1):
        made = []
        for n in range(start, start + count):
            serial, drive = laptop_serials(n)
            device = make_device(make="Dell", model="Vostro 5581", serial=serial, media=0)
            StorageMedium.objects.create(device=device, kind="nvme", serial=drive, capacity_gb=256)
            made.append((device, one_drive_log(system_serial=serial, drive_serial=drive, n=n)))
        return made

    return build


def upload(client, files: list[tuple[str, bytes]]):
    return client.post(IMPORT, {"log": [SimpleUploadedFile(name, content) for name, content in files]})


def test_generated_logs_parse_as_one_drive_runs_of_their_laptop(laptops, alice):
    from reuse.services.wipelog import wipe_log_parse

    ((device, content),) = laptops(1, start=7)
    log = wipe_log_parse(content)
    assert log.system_serial == device.serial and [d.serial for d in log.drives] == [device.media.get().serial]
    assert log.drives[0].erased and log.verification_passed(log.drives[0]) and log.warnings == ()
    assert log.not_wiped == ()


def test_several_logs_each_imported_and_a_bad_one_refused_with_its_reason(client, laptops, alice, make_device):
    (first, log1), (second, log2), (third, log3) = laptops(3)
    partial = log3[: log3.index(b"--------------------------------------------------------------------------------\n[")]
    unknown = one_drive_log(system_serial="ZZ99999", drive_serial="NS8BN06389999BD03")
    client.force_login(alice)
    response = upload(
        client, [("one.log", log1), ("partial.log", partial), ("two.log", log2), ("unknown.log", unknown)]
    )

    assert response.status_code == 200
    assert SanitisationRecord.objects.filter(device__in=[first, second], operator=alice).count() == 2
    assert not SanitisationRecord.objects.filter(device=third).exists()
    assert Evidence.objects.count() == 2
    outcomes = {o.filename: o for o in response.context["outcomes"]}
    assert [o.filename for o in response.context["outcomes"]][:2] == ["partial.log", "unknown.log"]  # refused first
    assert outcomes["one.log"].result.device == first and outcomes["one.log"].passed == 1
    assert outcomes["partial.log"].error.code == "wipe_log_invalid"
    assert any(
        p.startswith("Line ") and "ends inside the Drive Status table" in p for p in outcomes["partial.log"].problems
    )
    assert outcomes["unknown.log"].error.code == "wipe_log_rejected"
    body = response.content.decode()
    assert "2 of 4 wipe logs imported" in body and "2 logs refused" in body
    assert f'href="{first.get_absolute_url()}"' in body and "ZZ99999" in body
    assert "register the device first" in body


def test_a_failed_drive_is_reported_as_failed_in_the_summary(client, laptops, alice):
    (device, log), (other, log2) = laptops(2)
    failed = log.replace(b"   nvme0n1 | Erased |", b"!  nvme0n1 |-FAILED-|")
    client.force_login(alice)
    response = upload(client, [("failed.log", failed), ("ok.log", log2)])
    outcome = next(o for o in response.context["outcomes"] if o.filename == "failed.log")
    assert (outcome.passed, outcome.failed) == (0, 1)
    assert "0 passed, 1 failed" in response.content.decode()


def test_the_number_of_logs_per_upload_is_capped_and_nothing_is_imported(client, laptops, alice, settings):
    settings.WIPE_LOG_UPLOAD_MAX_FILES = 2
    logs = laptops(3)
    client.force_login(alice)
    response = upload(client, [(f"{d.asset_tag}.log", log) for d, log in logs])
    assert "Upload up to 2 logs at a time; you chose 3" in response.content.decode()
    assert SanitisationRecord.objects.count() == 0


def test_the_total_size_is_capped(client, laptops, alice, settings):
    logs = laptops(2)
    settings.WIPE_LOG_UPLOAD_MAX_BYTES = len(logs[0][1]) + 10
    client.force_login(alice)
    response = upload(client, [(f"{d.asset_tag}.log", log) for d, log in logs])
    assert "upload them in smaller groups" in response.content.decode()
    assert SanitisationRecord.objects.count() == 0


def test_one_file_that_is_not_a_log_refuses_the_whole_upload(client, laptops, alice):
    ((device, log),) = laptops(1)
    client.force_login(alice)
    response = upload(client, [("ok.log", log), ("report.pdf", b"%PDF-1.7")])
    assert "report.pdf is not one" in response.content.decode()
    assert SanitisationRecord.objects.count() == 0


def test_the_page_says_what_the_limits_are(client, alice):
    client.force_login(alice)
    body = client.get(IMPORT).content.decode()
    assert "up to 250 at once (100 MB in all)" in body and "multiple" in body


# Confirming from the queue ------------------------------------------------------------------------


def awaiting(device, operator):
    return [record_wipe(device, m, operator=operator, verifier=None) for m in device.media.all()]


def test_second_technician_confirms_the_ticked_wipes_and_checklists(client, make_device, alice, bob):
    laptop, other = make_device(media=2), make_device()
    records = awaiting(laptop, alice) + awaiting(other, alice)
    phone = make_device(kind="phone", media=0)
    checklist = ResetChecklist.objects.create(
        device=phone,
        cycle=phone.cycle,
        operator=alice,
        encryption_on=True,
        factory_reset=True,
        activation_lock_removed=True,
        sim_removed=True,
        sd_removed=True,
    )
    client.force_login(bob)
    response = client.post(CONFIRM, {"record": [r.pk for r in records[:2]], "checklist": [checklist.pk]}, follow=True)

    assert response.redirect_chain == [("/devices/sanitisation/", 303)]
    assert set(SanitisationRecord.objects.filter(verified_by=bob).values_list("pk", flat=True)) == {
        records[0].pk,
        records[1].pk,
    }
    assert SanitisationRecord.objects.get(pk=records[2].pk).verified_by is None
    checklist.refresh_from_db()
    assert checklist.verified_by == bob
    assert "You confirmed 2 wipes and 1 reset checklist." in response.content.decode()
    device_transition(device=laptop, to_status="sanitised", actor=bob)  # the gate now passes
    device_transition(device=phone, to_status="sanitised", actor=bob)


def test_bulk_confirm_refuses_the_operators_own_wipes_and_names_each(client, make_device, alice, bob):
    mine, theirs = make_device(), make_device()
    own = awaiting(mine, bob)[0]
    other = awaiting(theirs, alice)[0]
    client.force_login(bob)
    response = client.post(CONFIRM, {"record": [own.pk, other.pk]}, follow=True)
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.verified_by is None and other.verified_by == bob
    body = response.content.decode()
    assert "You confirmed 1 wipe." in body and "1 not confirmed" in body
    assert f"{mine.asset_tag}, {own.medium}: A second technician must verify this wipe" in body
    assert "1 not confirmed" not in client.get(HOME).content.decode()  # said once


def test_bulk_confirm_refuses_stale_failed_and_already_verified_records(
    client, ready_device, make_device, alice, bob, ada
):
    device = ready_device()
    device_transition(device=device, to_status="received", actor=alice, reason="fault found")
    stale = awaiting(device, alice)[0]
    stale.cycle = device.cycle - 1
    stale.save()
    failing = make_device()
    failed = record_wipe(failing, failing.media.get(), operator=alice, verifier=None, result="failed")
    done = make_device()
    verified = record_wipe(done, done.media.get(), operator=alice, verifier=ada)
    client.force_login(bob)
    response = client.post(CONFIRM, {"record": [stale.pk, failed.pk, verified.pk]}, follow=True)
    refusals = response.context["refusals"]
    reasons = " ".join(r["reason"] for r in refusals)
    assert len(refusals) == 3
    assert "before the device last came back" in reasons and "Only a wipe that passed" in reasons
    assert "already verified" in reasons
    assert SanitisationRecord.objects.filter(pk__in=[stale.pk, failed.pk], verified_by__isnull=True).count() == 2
    assert SanitisationRecord.objects.get(pk=verified.pk).verified_by == ada


def test_confirm_with_nothing_ticked_explains(client, alice):
    client.force_login(alice)
    response = client.post(CONFIRM, {}, follow=True)
    assert "Tick the wipes or checklists you have checked" in response.content.decode()


@pytest.mark.parametrize("persona", ["dina", "carl", "nobody"])
def test_only_it_confirms(client, make_device, alice, persona, request):
    device = make_device()
    record = awaiting(device, alice)[0]
    client.force_login(request.getfixturevalue(persona))
    assert client.post(CONFIRM, {"record": [record.pk]}).status_code == 403
    assert SanitisationRecord.objects.get(pk=record.pk).verified_by is None


def test_queue_links_each_wipes_evidence_and_details(client, laptops, alice, bob):
    ((device, log),) = laptops(1)
    client.force_login(alice)
    upload(client, [("a.log", log), ("b.log", log)])  # the second is refused: the same log twice
    record = SanitisationRecord.objects.get(device=device)
    client.force_login(bob)
    body = client.get(HOME).content.decode()
    assert f'href="/devices/sanitisation/evidence/{record.evidence_id}/"' in body
    assert f'href="/devices/sanitisation/wipes/{record.pk}/verify/"' in body
    assert f'name="record" value="{record.pk}"' in body
    assert client.get(f"/devices/sanitisation/evidence/{record.evidence_id}/").getvalue() == log


def test_queue_is_paged_and_within_a_query_budget(
    client, make_device, alice, bob, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("reuse.views.sanitisation.LIST_MAX", 3)
    records = [awaiting(make_device(), alice)[0] for _ in range(7)]
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        first = client.get(HOME)
    assert list(first.context["records"]) == records[:3] and first.context["record_count"] == 7
    assert 'aria-label="Page 3"' in first.content.decode()
    last = client.get(HOME, {"page": 3})
    assert list(last.context["records"]) == records[6:]
    # Confirming one page's worth brings the next wipes up.
    client.post(CONFIRM, {"record": [r.pk for r in records[:3]]})
    assert list(client.get(HOME).context["records"]) == records[3:6]


def test_a_whole_batch_goes_from_queue_to_sanitised(client, make_device, alice, bob):
    devices = [make_device(lot="LOT-Q") for _ in range(3)]
    records = [awaiting(d, alice)[0] for d in devices]
    client.force_login(bob)
    client.post(CONFIRM, {"record": [r.pk for r in records]})
    client.post("/devices/sanitisation/batch/", {"lot": "LOT-Q", "action": "mark", "mark": [d.pk for d in devices]})
    assert {d.status for d in type(devices[0]).objects.filter(lot="LOT-Q")} == {"sanitised"}
