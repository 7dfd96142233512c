"""print_labels: a PDF on success; on any bad input a clear CommandError and no file at all."""

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reuse.models import Device, LabelTemplate, PreprintedTag
from tests.reuse.labelcheck import assert_codes_in_cells, page_sizes_mm, pdf_text


def run(*args):
    call_command("print_labels", *args, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_prints_the_given_tags_in_order(many_devices, l7160, tmp_path):
    devices = many_devices(4)
    out = tmp_path / "labels.pdf"
    tags = [devices[2].asset_tag, devices[0].asset_tag.lower()]
    run("--template", "L7160", "--out", str(out), "--tags", ",".join(tags), "--skip", "2")
    assert_codes_in_cells(out.read_bytes(), l7160, [devices[2].label_url, devices[0].label_url], skip=2)
    assert list(tmp_path.iterdir()) == [out]


def test_prints_every_device_with_a_status(many_devices, ready_device, l7160, tmp_path):
    ready = ready_device()
    many_devices(3)
    out = tmp_path / "ready.pdf"
    run("--template", "l7160", "--out", str(out), "--status", "ready")
    assert_codes_in_cells(out.read_bytes(), l7160, [ready.label_url])


def test_printer_offsets_move_the_labels(many_devices, l7160, depot_printer, tmp_path):
    devices = many_devices(3)
    out = tmp_path / "labels.pdf"
    run("--template", "L7160", "--out", str(out), "--all", "--printer", "depot LASER")
    assert_codes_in_cells(
        out.read_bytes(), l7160, [d.label_url for d in devices], offset_x=Decimal("1.5"), offset_y=Decimal("-1")
    )


def test_preprinted_labels_allocate_new_unclaimed_tags(l7160, tmp_path, db):
    out = tmp_path / "spare.pdf"
    run("--template", "L7160", "--out", str(out), "--preprinted", "25", "--skip", "20")
    tags = list(PreprintedTag.objects.values_list("asset_tag", flat=True))
    assert len(tags) == 25 and not Device.objects.exists()
    assert_codes_in_cells(out.read_bytes(), l7160, [f"{settings.SITE_URL}/d/{tag}" for tag in tags], skip=20)


def test_calibration_page(tmp_path, db):
    out = tmp_path / "calibration.pdf"
    run("--template", "L7651", "--out", str(out), "--calibration")
    assert "Calibration page: Avery L7651" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "NOPE", "--all"], "There is no label size called 'NOPE'"),
        (["--template", "L7160", "--all", "--skip", "21"], "between 0 and 20"),
        (["--template", "L7160", "--all", "--skip", "-1"], "between 0 and 20"),
        (["--template", "L7160", "--all", "--skip", "100000"], "between 0 and 20"),
        (["--template", "L7160", "--status", "lost"], "nothing to print"),
        (["--template", "L7160", "--tags", ""], "nothing to print"),
        (["--template", "L7160", "--tags", "RLY-999999,NOTATAG"], "RLY-999999, NOTATAG"),
        (["--template", "L7160", "--all", "--printer", "Nowhere"], "no printer called 'Nowhere'"),
        (["--template", "L7160", "--preprinted", "0"], "between 1 and"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(args, message, many_devices, tmp_path):
    many_devices(2)
    out = tmp_path / "labels.pdf"
    with pytest.raises(CommandError, match=message):
        run("--out", str(out), *args)
    assert list(tmp_path.iterdir()) == []
    assert not PreprintedTag.objects.exists()


def test_a_template_that_does_not_fit_is_refused(many_devices, tmp_path):
    many_devices(1)
    LabelTemplate.objects.filter(code="L7160").update(left_margin_mm=20)
    with pytest.raises(CommandError, match="cannot be printed.*past the 210"):
        run("--template", "L7160", "--out", str(tmp_path / "x.pdf"), "--all")
    assert list(tmp_path.iterdir()) == []


def test_too_many_labels_are_refused(many_devices, tmp_path, settings):
    settings.LABELS_MAX_BATCH = 3
    many_devices(4)
    with pytest.raises(CommandError, match="at most 3"):
        run("--template", "L7160", "--out", str(tmp_path / "x.pdf"), "--all")


def test_missing_folder_is_refused(many_devices, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--template", "L7160", "--out", str(tmp_path / "no" / "x.pdf"), "--all")


def test_a_failure_while_writing_leaves_the_old_file_untouched(many_devices, tmp_path, monkeypatch):
    many_devices(2)
    out = tmp_path / "labels.pdf"
    out.write_bytes(b"yesterday's labels")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reuse.management.commands.print_labels.os.replace", broken_replace)
    with pytest.raises(CommandError, match="No space left"):
        run("--template", "L7160", "--out", str(out), "--all")
    assert out.read_bytes() == b"yesterday's labels"
    assert list(tmp_path.iterdir()) == [out]


def test_one_of_the_selections_is_required(tmp_path, db):
    with pytest.raises(CommandError, match="one of the arguments"):
        run("--template", "L7160", "--out", str(tmp_path / "x.pdf"))


def test_from_the_shell_exit_codes_and_messages(tmp_path, db):
    """The real command line: status 1 and one line on stderr when refused, 0 and a PDF when not.

    Runs against its own throw-away SQLite file, whatever database the suite uses.
    """
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SECRET_KEY": "cli-test",
        "CLIENT_REFERENCE_KEY": "c" * 40,
        "AUDIT_KEY": "a" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_BACKEND": "console",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    refused = subprocess.run(
        [*manage, "print_labels", "--template", "L0000", "--out", str(tmp_path / "a.pdf"), "--all"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "CommandError: There is no label size called 'L0000'. Known sizes: L7160, L7162, L7163, L7651, QL62."
    )
    assert not (tmp_path / "a.pdf").exists()
    # Four pages of a roll: rendered in two parts on forked workers, then joined.
    done = subprocess.run(
        [*manage, "print_labels", "--template", "QL62", "--out", str(tmp_path / "b.pdf"), "--preprinted", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Wrote 4 pre-printed labels on 4 sheet(s) of QL62" in done.stdout
    with sqlite3.connect(tmp_path / "cli.sqlite3") as cli_db:
        tags = [tag for (tag,) in cli_db.execute("SELECT asset_tag FROM reuse_preprintedtag ORDER BY asset_tag")]
    assert len(tags) == 4
    pdf = (tmp_path / "b.pdf").read_bytes()
    # Both parts made it into the joined file: one label a page, each code in its cell, in tag order.
    assert len(page_sizes_mm(pdf)) == 4
    assert_codes_in_cells(pdf, LabelTemplate.objects.get(code="QL62"), [f"{settings.SITE_URL}/d/{t}" for t in tags])
    text = pdf_text(pdf)
    assert all(tag in text for tag in tags)
