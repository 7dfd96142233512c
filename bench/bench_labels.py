"""QR labels: 1,000 labels on Avery L7160 from the command line (target under 4 s, under 300 MB).

Times `call_command("print_labels", ...)` in this process, first with no QR codes cached (each is
encoded once and kept), then again; then runs the real command as a subprocess to measure memory,
and decodes every code of the PDF to check it is the right device's, inside its label cell.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from reuse.models import Device, LabelCode, LabelTemplate

ROOT = Path(__file__).resolve().parent.parent
COUNT = 1000

# Runs the command, sampling the memory of it and its forked renderers every 20 ms.
MEASURE = r"""
import os, resource, subprocess, sys, threading, time
def tree(root):
    kids = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            ppid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(pid))
    todo, found = [root], []
    while todo:
        pid = todo.pop(); found.append(pid); todo += kids.get(pid, [])
    return found
def pss(pids):
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, pss(tree(child.pid)))
    time.sleep(0.02)
elapsed = time.perf_counter() - started
print(child.returncode, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, peak)
"""


def _tags() -> list[str]:
    if Device.objects.count() < COUNT:
        call_command("seed_demo", devices=COUNT, borrowers=0, requests=0, stdout=StringIO())
    return list(Device.objects.order_by("asset_tag").values_list("asset_tag", flat=True)[:COUNT])


def _subprocess_figures(report, tags: list[str], folder: Path) -> None:
    """The command as staff run it, in its own process, on its own SQLite file with the same devices."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "localhost",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--devices", str(COUNT), "--borrowers", "0", "--requests", "0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    own = (
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from reuse.models import Device; print(','.join("
                f"Device.objects.order_by('asset_tag').values_list('asset_tag', flat=True)[:{COUNT}]))",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    command = [*manage, "print_labels", "--template", "L7160", "--out", str(folder / "sub.pdf"), "--tags", own]
    for label in ("first print", "reprint"):
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *command],
            env={**env, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        code, elapsed, max_rss_kb, peak_pss_kb = int(out[0]), float(out[1]), int(out[2]), int(out[3])
        assert code == 0
        report(f"print_labels as a new process, {label} (start-up included)", elapsed, "s")
        report(f"  peak memory of the largest process ({label})", max_rss_kb / 1024, "MB RSS", "< 300 MB")
        report(f"  peak memory of it and its renderers together ({label})", peak_pss_kb / 1024, "MB PSS", "< 300 MB")


def run(report):
    tags = _tags()
    template = LabelTemplate.objects.get(code="L7160")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "labels.pdf"
        args = ["print_labels", "--template", "L7160", "--out", str(out), "--tags", ",".join(tags)]
        # Import WeasyPrint and load the templates first: that is start-up, not printing.
        call_command(
            "print_labels", "--template", "L7160", "--out", str(folder / "warm.pdf"), "--calibration", stdout=StringIO()
        )
        LabelCode.objects.all().delete()
        elapsed, cpu = _timed(lambda: call_command(*args, stdout=StringIO()))
        report("1,000 labels on L7160, first print (every QR code encoded)", elapsed, "s", "< 4 s")
        report("  CPU time it used, all processes", cpu, "s")
        runs = [_timed(lambda: call_command(*args, stdout=StringIO())) for _ in range(3)]
        report("1,000 labels on L7160, reprint (codes cached), best of 3", min(r[0] for r in runs), "s", "< 4 s")
        report("  median of 3", sorted(r[0] for r in runs)[1], "s")
        report("  CPU time it used, all processes (median)", sorted(r[1] for r in runs)[1], "s")
        report("  PDF size", out.stat().st_size / 1024, "KB")

        from tests.reuse.labelcheck import assert_codes_in_cells

        started = time.perf_counter()
        codes = assert_codes_in_cells(out.read_bytes(), template, [f"{_site()}/d/{tag}" for tag in tags])
        report("QR codes decoded (zxing-cpp) inside their cells", len(codes), f"of {COUNT}")
        report("  decoding them took", time.perf_counter() - started, "s")
        _subprocess_figures(report, tags, folder)
    report("load average while measuring (1 min)", os.getloadavg()[0], f"on {os.cpu_count()} cores")


def _timed(action) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and the renderers it forked) for `action()`."""

    def cpu():
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    cpu_before, started = cpu(), time.perf_counter()
    action()
    return time.perf_counter() - started, cpu() - cpu_before


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL
