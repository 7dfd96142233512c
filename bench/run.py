#!/usr/bin/env python
"""Run Relay's benchmarks and print the figures for the README's performance table.

Each `bench/bench_*.py` defines `run(report)` and calls `report(figure, value, unit, target="")`
for every figure it measures. The benchmarks run against a throw-away test database (SQLite by
default, PostgreSQL when DATABASE_URL says so). Usage: `make bench` or
`.venv/bin/python bench/run.py [name ...]` to run only some (e.g. `inventory labels`).
"""

import importlib
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CLIENT_REFERENCE_KEY", "bench-only-client-reference-key-0000")
os.environ.setdefault("AUDIT_KEY", "bench-only-audit-key-of-32-characters-or-more")
os.environ.setdefault("TASKS_SYNC", "1")
os.environ.setdefault("EMAIL_BACKEND", "console")  # nothing is sent from a benchmark
os.environ.setdefault("LOG_LEVEL", "WARNING")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(selected: list[str]) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # Its own file, so a test run in the same checkout cannot pull the database out from under it.
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    rows = []

    def report(figure: str, value: float, unit: str, target: str = ""):
        text = f"{value:,.0f}" if value >= 100 else f"{value:,.3g}"
        rows.append((figure, f"{text} {unit}", target))
        print(f"  {figure}: {text} {unit}" + (f"  (target {target})" if target else ""), flush=True)

    try:
        # foundation first: it fills the database with 100,000 devices that the others then measure against.
        paths = sorted((ROOT / "bench").glob("bench_*.py"), key=lambda p: (p.stem != "bench_foundation", p.stem))
        for path in paths:
            name = path.stem.removeprefix("bench_")
            if selected and name not in selected:
                continue
            print(f"{name}:", flush=True)
            started = time.perf_counter()
            importlib.import_module(path.stem).run(report)
            print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"\nMachine: {machine()}; database: {connection.vendor}\n")
    print("| figure | measured | target |\n|---|---|---|")
    for figure, value, target in rows:
        print(f"| {figure} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
