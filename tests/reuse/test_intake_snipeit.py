"""Snipe-IT asset exports: the good sample, and exactly what the broken ones report."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reuse.intake.plan import plan_import
from reuse.intake.snipeit import guess_kind
from reuse.models import Device, DeviceImport
from tests.reuse.intake_support import FIXTURES, fixture, problems

# Lines of assets-sample.csv whose purchase date only makes sense as month/day/year (e.g. 1/23/23).
US_ONLY_LINES = [2, 3, 5, 6, 8, 9, 11, 12, 13, 16, 20, 21, 22, 23]
# Lines of the broken files (CR-only line endings) whose Location holds bytes that are not UTF-8.
NOT_UTF8_LINES = [12, 26, 32, 37, 45, 52, 68, 87, 88, 100, 111, 119, 124, 126, 127, 129, 151, 153, 161, 193, 200, 201]
NO_SERIAL_LINES = [13, 35, 50, 69, 78, 79, 83, 90, 91, 107, 118, 125, 133, 153, 155, 166, 201]


def test_good_sample_with_us_dates_imports_22_devices(db, depot, alice):
    call_command("import_devices", str(FIXTURES / "assets-sample.csv"), "--date-format", "us", "--user", "alice")
    devices = Device.objects.order_by("asset_tag")
    assert devices.count() == 22
    assert sorted(devices.values_list("kind", flat=True)) == ["laptop"] * 21 + ["other"]  # "Robby" is not a laptop
    first = devices.first()
    assert (first.council_asset_number, first.make, first.model, first.serial) == (
        "ICC-2065556",
        "Berge Inc",
        'Macbook Pro 13"',
        "",
    )
    assert first.source_department == "Abshire and Sons"
    assert first.notes.splitlines()[:4] == [
        "Model number: 1786VM80X07",
        "Snipe-IT name: Backhoe",
        "Snipe-IT location: Wilkinson, Waters and Kerluke",
        "Purchased: 23/01/2023",
    ]
    assert {d.status for d in devices} == {"received"} and {d.site for d in devices} == {depot}
    assert Device.objects.get(council_asset_number="WBH-2841795").make == "Botsford, Boyle and Herzog"  # quoted comma


def test_good_sample_never_stores_the_people_in_it(db, depot):
    call_command("import_devices", str(FIXTURES / "assets-sample.csv"), "--date-format", "us")
    stored = " ".join(" ".join(str(v) for v in row) for row in Device.objects.values_list())
    for personal in ("gmccrackem2a", "McCrackem", "gmccrackem2a@bing.com", "Katerina", "ksennett6@ibm.com"):
        assert personal not in stored


def test_good_sample_explains_the_missing_serial_column_and_the_people_columns(db):
    plan = plan_import(fixture("assets-sample.csv"), date_format="us")
    assert plan.ok and plan.format == "snipeit"
    assert "no Serial column" in plan.warnings[0].message
    assert plan.personal_columns == [
        "Checked Out To: Username (P)",
        "Checked Out To: First Name (Q)",
        "Checked Out To: Last Name (R)",
        "Checked Out To: Email (S)",
        "Checked Out To: Location (T)",
    ]
    ambiguous = plan.warnings[1]
    assert (ambiguous.line, ambiguous.column) == (4, "Purchase Date (M)")
    assert "8 dates" in ambiguous.message and "can only be month/day/year" in ambiguous.message


def test_good_sample_read_as_uk_dates_fails_on_exactly_the_us_only_dates(db):
    plan = plan_import(fixture("assets-sample.csv"))
    assert problems(plan) == {(line, "Purchase Date (M)") for line in US_ONLY_LINES}
    assert all("choose the US date format" in p.message for p in plan.errors)


def test_good_sample_imported_twice_creates_nothing_new(db, depot):
    call_command("import_devices", str(FIXTURES / "assets-sample.csv"), "--date-format", "us")
    plan = plan_import(fixture("assets-sample.csv"), date_format="us")
    assert plan.ok and len(plan.to_create) == 0 and len(plan.already_imported) == 22


def test_bad_sample_reports_duplicate_headings_excel_numbers_and_bad_bytes(db):
    plan = plan_import(fixture("assets-sample-BAD.csv"), date_format="us")
    assert plan.format == "snipeit" and len(plan.rows) == 200
    expected = {(1, "Category (M)"), (1, "Company (Q)")}
    expected |= {(line, "Model Number (I)") for line in range(2, 202)}
    expected |= {(line, "Location (L)") for line in NOT_UTF8_LINES}
    assert problems(plan) == expected
    assert len(plan.errors) == 224
    by_place = {(p.line, p.column): p.message for p in plan.errors}
    assert "also the heading of column F" in by_place[(1, "Category (M)")]
    assert "also the heading of column D" in by_place[(1, "Company (Q)")]
    assert "“6.37702E+15” is a number Excel has turned into scientific notation" in by_place[(2, "Model Number (I)")]
    assert "not UTF-8" in by_place[(12, "Location (L)")]
    assert [r.line for r in plan.rows if any("No serial" in w for w in r.warnings)] == NO_SERIAL_LINES


def test_bad_sample_with_default_uk_dates_also_reports_the_us_only_dates(db):
    plan = plan_import(fixture("assets-sample-BAD.csv"))
    dates = sorted(line for line, column in problems(plan) if column == "Purchase Date (O)")
    assert len(dates) == 107 and dates[:3] == [6, 7, 8]


def test_blanks_sample_ignores_empty_unheaded_columns_but_not_the_rest(db):
    plan = plan_import(fixture("assets-sample-BLANKS.csv"), date_format="us")
    expected = {(line, "Model Number (J)") for line in range(2, 202)}
    expected |= {(line, "Location (M)") for line in NOT_UTF8_LINES}
    assert problems(plan) == expected
    assert [r.line for r in plan.rows if any("No serial" in w for w in r.warnings)] == NO_SERIAL_LINES
    assert plan.personal_columns == ["Full Name (A)", "Email (B)", "Username (C)"]


def test_broken_samples_import_nothing_from_the_command(db, depot):
    for name in ("assets-sample-BAD.csv", "assets-sample-BLANKS.csv"):
        with pytest.raises(CommandError) as err:
            call_command("import_devices", str(FIXTURES / name), "--date-format", "us")
        assert "Line 2, column Model Number" in str(err.value)
    assert Device.objects.count() == 0 and DeviceImport.objects.count() == 0


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("Laptops", "", ""), "laptop"),
        (("Mobile Phones", "", ""), "phone"),
        (("Tablets", "iPad Air", ""), "tablet"),
        (("Desktops", "", ""), "desktop"),
        (("Mobile hotspots", "", ""), "hotspot"),
        (("Misc", "iPhone 12", ""), "phone"),
        (("Misc", "Latitude 5490", ""), "laptop"),
        (("Printers", "LaserJet", ""), None),
    ],
)
def test_categories_and_models_map_to_device_types(texts, kind):
    assert guess_kind(*texts) == kind


def test_the_preview_tells_each_repeated_problem_once_with_its_lines(db):
    plan = plan_import(fixture("assets-sample-BAD.csv"), date_format="us")
    groups = [str(g) for g in plan.error_groups]
    assert len(groups) == 4
    assert groups[2] == (
        "Line 2, column Model Number (I): “6.37702E+15” is a number Excel has turned into scientific "
        "notation, and the original digits are lost. Take the value from the source system again and "
        "format the column as Text in Excel. The same problem is on 199 more lines: 3 to 201."
    )
    assert groups[3].startswith("Line 12, column Location (L): “Luts")
    assert groups[3].endswith("The same problem is on 21 more lines: 26, 32, 37, 45, 52, 68 and 15 more.")
