"""`make run` and `make test` refuse, with one plain sentence, on a machine that cannot run Relay."""

import os
import shutil
import subprocess
import sys

from django.conf import settings


def run_make(tmp_path, python, path):
    return subprocess.run(
        [shutil.which("make"), "-s", "check-tools", f"PYTHON={python}"],
        cwd=settings.BASE_DIR,
        env={"PATH": path, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_old_python_is_refused(tmp_path):
    fake = tmp_path / "python3.10"
    fake.write_text('#!/bin/sh\n[ "$1" = "--version" ] && { echo "Python 3.10.12"; exit 0; }\nexit 1\n')
    fake.chmod(0o755)
    result = run_make(tmp_path, fake, os.environ["PATH"])
    assert result.returncode != 0
    assert "Relay needs Python 3.11 or newer" in result.stdout
    assert "Python 3.10.12" in result.stdout


def test_missing_npm_is_refused(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = os.path.realpath(sys.executable)
    (bin_dir / "python3").symlink_to(python)
    result = run_make(tmp_path, bin_dir / "python3", str(bin_dir))
    assert result.returncode != 0
    assert "Relay needs Node.js and npm" in result.stdout
