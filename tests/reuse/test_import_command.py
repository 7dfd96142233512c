"""`import_devices`: exits non-zero with a clear message and writes nothing on bad input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reuse.models import CustodyEvent, Device, DeviceImport, Site
from tests.reuse.intake_support import laptop, native_csv


@pytest.fixture
def csv_file(tmp_path):
    def write(rows, name="devices.csv"):
        path = tmp_path / name
        path.write_bytes(native_csv(rows))
        return str(path)

    return write


def run(*args):
    out = StringIO()
    call_command("import_devices", *args, stdout=out)
    return out.getvalue()


def test_imports_at_the_one_depot_and_reports_the_tags(db, depot, csv_file):
    output = run(csv_file([laptop(1), laptop(2)]))
    assert Device.objects.filter(site=depot, status="received").count() == 2
    record = DeviceImport.objects.get()
    assert f"Imported 2 devices ({record.first_tag} to {record.last_tag})" in output
    assert record.content is None and record.created_count == 2


def test_dry_run_writes_nothing(db, depot, csv_file):
    output = run(csv_file([laptop(1), laptop(2)]), "--dry-run")
    assert "Dry run: 2 new devices" in output
    assert Device.objects.count() == 0 and DeviceImport.objects.count() == 0 and CustodyEvent.objects.count() == 0


def test_second_run_skips_what_is_there(db, depot, csv_file):
    path = csv_file([laptop(1), laptop(2)])
    run(path)
    assert "Imported 0 devices at Civic Centre IT Depot; 2 already imported were skipped" in run(path)
    assert Device.objects.count() == 2


def test_errors_list_line_and_column_and_nothing_is_written(db, depot, csv_file):
    with pytest.raises(CommandError) as err:
        run(csv_file([laptop(1), laptop(2, serial="5.02E+18"), laptop(3, received_at="13/13/2024")]))
    message = str(err.value)
    assert message.startswith("2 problems found, so nothing was imported:")
    assert "Line 3, column Serial number (D): “5.02E+18” is a number Excel" in message
    assert "Line 4, column Received date (L)" in message
    assert Device.objects.count() == 0


def test_site_option_and_user_option(db, depot, branch, alice, csv_file):
    run(csv_file([laptop(1)]), "--site", "central", "--user", "alice")
    device = Device.objects.get()
    assert device.site == branch and device.created_by == alice and device.events.get().actor == alice


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "NOWHERE"], "There is no site with code 'NOWHERE'"),
        (["--user", "ghost"], "There is no user 'ghost'"),
        (["--lot", "x" * 51], "--lot may be at most 50 characters"),
    ],
)
def test_bad_options_are_refused(db, depot, csv_file, args, message):
    with pytest.raises(CommandError, match=message):
        run(csv_file([laptop(1)]), *args)
    assert Device.objects.count() == 0


def test_needs_a_site_when_there_is_not_exactly_one_depot(db, csv_file):
    Site.objects.create(code="D1", name="Depot 1", kind="depot")
    Site.objects.create(code="D2", name="Depot 2", kind="depot")
    with pytest.raises(CommandError, match="--site CODE"):
        run(csv_file([laptop(1)]))


def test_a_missing_file_is_a_clear_error(db, depot, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"))


def test_an_empty_file_is_a_clear_error(db, depot, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(CommandError, match="Line 1: The file is empty"):
        run(str(path))
