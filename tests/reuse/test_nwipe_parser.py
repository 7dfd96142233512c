"""The nwipe/ShredOS log parser, on the real ShredOS log and on broken variants derived from it."""

import datetime
from pathlib import Path

import pytest

from reuse.nwipe import NwipeLogError, parse_nwipe_log

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
UTC = datetime.UTC


@pytest.fixture(scope="module")
def text() -> str:
    return FIXTURE.read_text()


def at(hour, minute, second):
    return datetime.datetime(2023, 1, 24, hour, minute, second, tzinfo=UTC)


def test_reads_the_machine_identity_and_options(text):
    log = parse_nwipe_log(text)
    assert (log.system_serial, log.system_uuid) == ("3FBJ6P2", "4c4c4544-0046-4210-804a-b3c04f365032")
    assert (log.system_manufacturer, log.system_product) == ("Dell Inc.", "Vostro 5581")
    assert (log.nwipe_version, log.shredos_version) == ("0.32.023", "v2021.08.2_22")
    assert log.tool == "nwipe (ShredOS v2021.08.2_22)"
    assert (log.method, log.category, log.technique) == ("Fill With Zeros", "clear", "overwrite")
    assert (log.rounds, log.verify, log.final_blank, log.prng) == (1, "last", False, "Isaac64")
    assert log.outcome == "completed"
    assert log.finished_at == at(15, 48, 44)


def test_reads_both_drives_with_full_serials_not_the_truncated_table(text):
    sda, nvme = parse_nwipe_log(text).drives
    assert (sda.name, sda.bus, sda.model, sda.serial) == ("sda", "ATA", "WDC WD3200LPVX-6", "WD-WXC1A14S2591")
    assert sda.size_bytes == 320072933376
    # Drive Status cuts the model to "BC501 NVMe SK hyn": the model comes from the Found line.
    assert (nvme.name, nvme.bus, nvme.model, nvme.serial) == (
        "nvme0n1",
        "NVME",
        "BC501 NVMe SK hynix 256GB",
        "NS8BN06381120BD03",
    )
    assert nvme.size_bytes == 256060514304


def test_reads_status_errors_times_and_verification_per_drive(text):
    log = parse_nwipe_log(text)
    sda, nvme = log.drives
    assert (sda.status, sda.pass_errors, sda.verify_errors, sda.fdatasync_errors) == ("Erased", 0, 0, 0)
    assert sda.erased and nvme.erased
    assert (sda.started_at, sda.ended_at) == (at(13, 35, 32), at(15, 48, 41))
    assert (nvme.started_at, nvme.ended_at) == (at(13, 35, 32), at(13, 56, 9))
    assert sda.final_pass_verified and nvme.final_pass_verified
    assert log.verification_passed(sda) and log.verification_passed(nvme)
    assert sda.throughput == "80 MB/s"


def test_flags_the_drive_status_duration_that_disagrees_with_the_log(text):
    """nvme0n1 started 13:35:32 and finished 13:56:09, yet Drive Status says 02:20:37."""
    warnings = parse_nwipe_log(text).warnings
    assert len(warnings) == 1
    assert "02:20:37 for nvme0n1" in warnings[0] and "00:20:37 apart" in warnings[0]


def test_times_are_read_in_the_zone_given(text):
    london = datetime.timezone(datetime.timedelta(hours=1))
    assert parse_nwipe_log(text, tz=london).drives[0].started_at.utcoffset() == datetime.timedelta(hours=1)


def test_windows_line_endings_read_the_same(text):
    assert parse_nwipe_log(text.replace("\n", "\r\n")) == parse_nwipe_log(text)


def test_a_failed_drive_is_read_as_not_erased(text):
    failed = text.replace("       sda | Erased |", "!      sda |-FAILED-|").replace(
        "       sda |           0 |                    0 |", "!      sda |           0 |                    3 |"
    )
    log = parse_nwipe_log(failed)
    sda = log.drives[0]
    assert (sda.status, sda.verify_errors, sda.erased) == ("FAILED", 3, False)
    assert not log.verification_passed(sda)
    assert log.drives[1].erased


def test_pass_errors_alone_make_a_drive_not_erased(text):
    """Even if the status column says Erased, a counted error is not a clean wipe."""
    errors = text.replace("   nvme0n1 |           0 |", "   nvme0n1 |           2 |")
    nvme = parse_nwipe_log(errors).drives[1]
    assert nvme.status == "Erased" and nvme.pass_errors == 2 and not nvme.erased


def test_a_drive_whose_last_pass_was_not_verified_fails_verification(text):
    unverified = text.replace("Verified pass 1 of 1, round 1 of 1, on '/dev/sda'.", "Verifying.")
    log = parse_nwipe_log(unverified)
    assert log.drives[0].erased and not log.verification_passed(log.drives[0])


def test_verify_off_means_no_tool_verification(text):
    log = parse_nwipe_log(text.replace("verify   = 1 (last pass)", "verify   = 0 (off)"))
    assert log.verify == "off" and log.verification_method == ""
    assert not log.verification_passed(log.drives[0])


@pytest.mark.parametrize("cut_at", ["Error Summary", "Drive Status", "Total Throughput", "Nwipe successfully"])
def test_a_truncated_log_is_refused(text, cut_at):
    truncated = text[: text.index(cut_at)]
    with pytest.raises(NwipeLogError) as err:
        parse_nwipe_log(truncated)
    assert any("partial" in p or "incomplete" in p for p in err.value.problems)


def test_a_log_cut_inside_a_table_names_the_line(text):
    cut = text[: text.index("   nvme0n1 | Erased")]
    with pytest.raises(NwipeLogError) as err:
        parse_nwipe_log(cut)
    assert any(p.startswith("line ") and "ends inside the Drive Status table" in p for p in err.value.problems)


def test_a_serial_in_the_table_that_does_not_match_the_drive_is_refused(text):
    tampered = text.replace("WDC WD3200LPVX-6/WD-WXC1A14S2591", "WDC WD3200LPVX-6/WD-OTHERDRIVE99")
    with pytest.raises(NwipeLogError) as err:
        parse_nwipe_log(tampered)
    assert "WD-OTHERDRIVE99" in err.value.problems[0] and err.value.problems[0].startswith("line 74:")


def test_a_drive_in_the_tables_that_nwipe_never_found_is_refused(text):
    ghost = text.replace(
        "[2023/01/24 13:35:06]  notice: Found /dev/sda,  ATA, WDC WD3200LPVX-6, 320 GB, S/N=WD-WXC1A14S2591\n", ""
    )
    with pytest.raises(NwipeLogError) as err:
        parse_nwipe_log(ghost)
    assert "sda is in Drive Status but nwipe never reported finding it" in " ".join(err.value.problems)


def test_a_found_drive_left_unselected_is_listed_not_wiped(text):
    with_stick = text.replace(
        "[2023/01/24 13:35:07]    info: Automatically enumerated",
        "[2023/01/24 13:35:07]  notice: Found /dev/sdb,  USB, SanDisk Cruzer, 16 GB, S/N=4C530001\n"
        "[2023/01/24 13:35:07]    info: Automatically enumerated",
    )
    log = parse_nwipe_log(with_stick)
    assert [d.name for d in log.drives] == ["sda", "nvme0n1"]
    assert log.not_wiped == ("/dev/sdb (USB, SanDisk Cruzer, S/N=4C530001)",)


def test_a_placeholder_system_serial_is_no_identity(text):
    placeholder = text.replace("system-serial-number = 3FBJ6P2", "system-serial-number = To Be Filled By O.E.M.")
    log = parse_nwipe_log(placeholder)
    assert log.system_serial == ""


def test_an_aborted_run_is_complete_but_the_drive_failed(text):
    aborted = text.replace("       sda | Erased |", "!      sda |UABORTED|").replace(
        "Nwipe successfully completed. See summary table for details.",
        "Nwipe was aborted by the user. Check the summary table for the drive status.",
    )
    log = parse_nwipe_log(aborted)
    assert log.outcome == "aborted" and log.drives[0].status == "ABORTED" and not log.drives[0].erased


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("DoD Short", ("clear", "overwrite")),
        ("Sanitize Crypto Erase (ATA/SCSI/NVMe)", ("purge", "crypto_erase")),
        ("Secure Erase (ATA/NVMe)", ("purge", "block_erase")),
    ],
)
def test_methods_map_to_nist_categories(text, method, expected):
    log = parse_nwipe_log(text.replace("method   = Fill With Zeros", f"method   = {method}"))
    assert (log.category, log.technique) == expected


def test_a_verification_only_run_is_not_a_wipe(text):
    with pytest.raises(NwipeLogError) as err:
        parse_nwipe_log(text.replace("method   = Fill With Zeros", "method   = Verify Zeros (0x00)"))
    assert "not a wipe" in err.value.problems[0]


@pytest.mark.parametrize("content", ["", "hello world\n", "%PDF-1.7\n\x00\x01binary"])
def test_text_that_is_not_an_nwipe_log_is_refused(content):
    with pytest.raises(NwipeLogError):
        parse_nwipe_log(content)
