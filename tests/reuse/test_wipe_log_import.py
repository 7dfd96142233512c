"""nwipe/ShredOS log import: matching, all-or-nothing records, evidence kept, command and upload page."""

import datetime
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.errors import DomainError
from reuse.models import Device, Evidence, SanitisationRecord, StorageMedium
from reuse.services.lifecycle import device_transition
from reuse.services.wipelog import wipe_log_import
from tests.factories import wipe_all

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
LOG = FIXTURE.read_bytes()
SDA, NVME = "WD-WXC1A14S2591", "NS8BN06381120BD03"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


@pytest.fixture
def vostro(make_device):
    """The laptop the fixture log came from, registered by its Dell service tag with no drives yet."""
    return make_device(make="Dell", model="Vostro 5581", serial="3FBJ6P2", media=0)


def add_drive(device, serial, kind="hdd", capacity=320):
    return StorageMedium.objects.create(device=device, kind=kind, serial=serial, capacity_gb=capacity)


def nothing_written(media_root):
    assert SanitisationRecord.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert not [p for p in Path(media_root).rglob("*") if p.is_file()]


def test_real_log_records_one_wipe_per_drive_and_keeps_the_log(vostro, alice, media_root):
    result = wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)

    assert result.device == vostro
    records = {r.medium.serial: r for r in SanitisationRecord.objects.filter(device=vostro).select_related("medium")}
    assert set(records) == {SDA, NVME}
    sda = records[SDA]
    assert (sda.category, sda.technique, sda.tool, sda.tool_version, sda.rounds) == (
        "clear",
        "overwrite",
        "nwipe (ShredOS v2021.08.2_22)",
        "0.32.023",
        1,
    )
    assert (sda.result, sda.verification_result, sda.operator, sda.verified_by) == ("passed", "passed", alice, None)
    assert sda.cycle == vostro.cycle
    # 13:35:32 in the depot's clock (Europe/London, GMT in January).
    assert sda.started_at == datetime.datetime(2023, 1, 24, 13, 35, 32, tzinfo=datetime.UTC)
    assert sda.ended_at == datetime.datetime(2023, 1, 24, 15, 48, 41, tzinfo=datetime.UTC)
    assert "02:20:37 for nvme0n1" in records[NVME].notes

    evidence = Evidence.objects.get()
    assert sda.evidence == records[NVME].evidence == evidence
    assert evidence.sha256 == hashlib.sha256(LOG).hexdigest() and evidence.size == len(LOG)
    assert evidence.file.read() == LOG


def test_drives_are_added_from_the_log_when_the_system_serial_identifies_the_device(vostro, alice):
    wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    media = {m.serial: m for m in vostro.media.all()}
    assert (media[SDA].kind, media[SDA].model, media[SDA].capacity_gb) == ("hdd", "WDC WD3200LPVX-6", 320)
    assert (media[NVME].kind, media[NVME].capacity_gb) == ("nvme", 256)
    reasons = list(vostro.events.order_by("seq").values_list("reason", flat=True))
    assert sum("Storage added from nwipe log" in r for r in reasons) == 2


def test_drives_already_recorded_are_used_not_duplicated(vostro, alice):
    sda, nvme = add_drive(vostro, SDA), add_drive(vostro, NVME.lower(), "nvme", 256)
    wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    assert vostro.media.count() == 2
    assert set(SanitisationRecord.objects.values_list("medium_id", flat=True)) == {sda.pk, nvme.pk}


def test_a_single_serial_less_drive_of_the_same_kind_and_size_takes_the_serial(vostro, alice):
    add_drive(vostro, SDA)
    placeholder = add_drive(vostro, "", "nvme", 256)
    result = wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    placeholder.refresh_from_db()
    assert placeholder.serial == NVME and vostro.media.count() == 2
    assert any("recorded on the drive already listed" in n for n in result.notes)


def test_a_serial_less_drive_that_does_not_fit_is_left_alone(vostro, alice):
    add_drive(vostro, SDA)
    other = add_drive(vostro, "", "hdd", 1000)
    wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    other.refresh_from_db()
    assert other.serial == "" and vostro.media.count() == 3


def test_device_found_by_drive_serial_alone(make_device, alice):
    device = make_device(serial="", media=0)
    add_drive(device, SDA)
    add_drive(device, NVME, "nvme", 256)
    assert wipe_log_import(content=LOG, filename="nwipe.log", actor=alice).device == device
    assert SanitisationRecord.objects.filter(device=device).count() == 2


def test_an_unknown_drive_on_a_device_found_only_by_drive_serial_is_refused(make_device, alice, media_root):
    device = make_device(serial="OTHER-SERIAL", media=0)
    add_drive(device, SDA)
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    assert err.value.code == "wipe_log_rejected"
    assert any(NVME in p and "not recorded on" in p for p in err.value.details["problems"])
    nothing_written(media_root)
    assert device.media.count() == 1


def test_unknown_serials_are_reported_not_guessed(make_device, alice, media_root):
    make_device(serial="SOMETHING-ELSE")
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    problem = err.value.details["problems"][0]
    assert "3FBJ6P2" in problem and SDA in problem and NVME in problem
    nothing_written(media_root)


def test_system_and_drive_serials_pointing_at_different_devices_are_refused(vostro, make_device, alice, media_root):
    other = make_device(serial="5CD1234XYZ", media=0)
    add_drive(other, NVME, "nvme", 256)
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    assert "different devices" in err.value.details["problems"][0]
    nothing_written(media_root)


def test_a_failed_drive_makes_its_record_failing(vostro, alice):
    failed = LOG.replace(b"       sda | Erased |", b"!      sda |-FAILED-|").replace(
        b"       sda |           0 |                    0 |", b"!      sda |           0 |                   12 |"
    )
    wipe_log_import(content=failed, filename="failed.log", actor=alice)
    sda = SanitisationRecord.objects.get(medium__serial=SDA)
    nvme = SanitisationRecord.objects.get(medium__serial=NVME)
    assert (sda.result, sda.verification_result) == ("failed", "failed")
    assert "verification errors 12" in sda.notes
    assert (nvme.result, nvme.verification_result) == ("passed", "passed")


def test_a_truncated_log_writes_nothing(vostro, alice, media_root):
    truncated = LOG[: LOG.index(b"********************************* Drive Status")]
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=truncated, filename="partial.log", actor=alice)
    assert err.value.code == "wipe_log_invalid"
    assert any("partial" in p for p in err.value.details["problems"])
    nothing_written(media_root)
    assert vostro.media.count() == 0


def test_the_same_log_cannot_be_imported_twice(vostro, alice):
    wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="again.log", actor=alice)
    assert "already been imported" in err.value.details["problems"][0]
    assert SanitisationRecord.objects.count() == 2


def test_a_device_that_is_not_received_is_refused(vostro, alice, bob):
    add_drive(vostro, SDA)
    add_drive(vostro, NVME, "nvme", 256)
    wipe_all(vostro, operator=alice, verifier=bob)
    device_transition(device=vostro, to_status="sanitised", actor=alice)
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    assert "is sanitised" in err.value.details["problems"][0]


def test_a_log_from_before_the_device_came_back_is_refused(vostro, alice, bob):
    add_drive(vostro, SDA)
    add_drive(vostro, NVME, "nvme", 256)
    wipe_all(vostro, operator=alice, verifier=bob)
    device_transition(device=vostro, to_status="sanitised", actor=alice)
    device_transition(device=vostro, to_status="ready", actor=alice)
    device_transition(device=vostro, to_status="received", actor=alice, reason="fault found")
    with pytest.raises(DomainError) as err:
        wipe_log_import(content=LOG, filename="nwipe.log", actor=alice)
    assert any("before RLY" in p and "came back" in p for p in err.value.details["problems"])


def test_dry_run_checks_everything_and_keeps_nothing(vostro, alice, media_root):
    result = wipe_log_import(content=LOG, filename="nwipe.log", actor=alice, dry_run=True)
    assert len(result.records) == 2
    nothing_written(media_root)
    assert vostro.media.count() == 0


# The management command ---------------------------------------------------------------------------


def test_command_imports_the_log(vostro, alice, capsys):
    call_command("import_wipe_log", str(FIXTURE), "--operator", "alice")
    out = capsys.readouterr().out
    assert f"recorded 2 wipe(s) for {vostro.asset_tag}" in out
    assert SanitisationRecord.objects.filter(device=vostro, operator=alice).count() == 2


def test_command_refuses_an_unknown_serial_with_the_problem(make_device, alice, tmp_path, capsys):
    with pytest.raises(CommandError, match="nothing has been recorded"):
        call_command("import_wipe_log", str(FIXTURE), "--operator", "alice")
    assert "3FBJ6P2" in capsys.readouterr().err
    assert not Device.objects.filter(serial="3FBJ6P2").exists()


def test_command_refuses_a_truncated_log(vostro, alice, tmp_path):
    partial = tmp_path / "partial.log"
    partial.write_bytes(LOG[:2000])
    with pytest.raises(CommandError, match="not a complete nwipe log"):
        call_command("import_wipe_log", str(partial), "--operator", "alice")
    assert SanitisationRecord.objects.count() == 0


def test_command_needs_an_it_technician_as_operator(vostro, dina):
    with pytest.raises(CommandError, match="not an active Relay IT technician"):
        call_command("import_wipe_log", str(FIXTURE), "--operator", "dina")


def test_command_dry_run_records_nothing(vostro, alice, capsys):
    call_command("import_wipe_log", str(FIXTURE), "--operator", "alice", "--dry-run")
    assert "would record 2 wipe(s)" in capsys.readouterr().out
    assert SanitisationRecord.objects.count() == 0


def test_command_exits_non_zero_without_a_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "manage.py", "import_wipe_log", str(tmp_path / "missing.log")],
        capture_output=True,
        text=True,
        env={
            "SECRET_KEY": "x",
            "CLIENT_REFERENCE_KEY": "c" * 40,
            "AUDIT_KEY": "a" * 40,
            "PATH": "/usr/bin:/bin",
            "EMAIL_BACKEND": "console",
        },
    )
    assert run.returncode == 1
    assert "Cannot read" in run.stderr and "Traceback" not in run.stderr


# The upload page ----------------------------------------------------------------------------------


def upload(client, content=LOG, name="shredos.log"):
    return client.post("/devices/sanitisation/import/", {"log": SimpleUploadedFile(name, content)})


def test_upload_page_imports_and_lands_on_the_device(client, vostro, alice):
    client.force_login(alice)
    response = upload(client)
    assert response.status_code == 302 and response["Location"] == vostro.get_absolute_url()
    assert SanitisationRecord.objects.filter(device=vostro).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "nwipe log imported for" in page and "Awaiting verification" in page


def test_upload_page_lists_every_problem_and_records_nothing(client, vostro, alice, media_root):
    client.force_login(alice)
    response = upload(client, LOG[: LOG.index(b"***** Error Summary")])
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "This is not a complete nwipe log" in body
    assert "The Error Summary table is missing" in body
    nothing_written(media_root)


def test_upload_page_refuses_other_files(client, vostro, alice):
    client.force_login(alice)
    response = upload(client, b"%PDF-1.7", "report.pdf")
    assert "Upload the nwipe log itself" in response.content.decode()


@pytest.mark.parametrize("persona", ["dina", "carl", "nobody"])
def test_only_it_technicians_import_logs(client, vostro, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert upload(client).status_code == 403
    assert SanitisationRecord.objects.count() == 0


def test_problems_read_as_sentences_but_keep_nwipes_own_spelling():
    from reuse.services.wipelog import as_sentence

    assert as_sentence("the Error Summary table is missing") == "The Error Summary table is missing"
    assert as_sentence("nwipe's closing line is missing") == "nwipe's closing line is missing"
