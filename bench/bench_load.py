"""Load: library desks (scan a label and a card, issue with a drawn signature, take back) and IT staff
(filtering the inventory) against gunicorn with several workers on PostgreSQL and Redis, on loopback only,
for LOAD_SECONDS (60) with LOAD_USERS (20) Locust users; the users are in `bench/locustfile.py`.

Demo data first (when the database has little), devices moved to the branches to be lent, a signed-in
session for each user. No task worker runs: the agreement emails queue in Redis and are dropped afterwards.
Fails (non-zero exit) if any request failed or answered 5xx. Skipped on SQLite.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/run.py load
"""

import base64
import csv
import ctypes
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from core.roles import DESK, IT
from lending.demo import signature_png
from lending.models import LENT_KINDS, Borrower, Loan
from reuse.models import Device, Site
from reuse.services.lifecycle import device_move

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
PORT = int(os.environ.get("LOAD_PORT", "8141"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
HOST = f"http://127.0.0.1:{PORT}"
DEMO_DEVICES = 2_000
CARDS = 300
SEARCH = ["Latitude", "ThinkPad", "EliteBook", "iPad", "Galaxy"]


def run(report):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        if os.environ.get("CI"):
            sys.exit("load test: CI runs it against PostgreSQL and Redis: set DATABASE_URL and REDIS_URL")
        print("  skipped: the load test runs against PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)")
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("load test: stopped"))  # so the finally blocks run
    plan = prepare()
    with tempfile.TemporaryDirectory(prefix="relay-load-") as work:
        plan_path = Path(work) / "plan.json"
        plan_path.write_text(json.dumps(plan))
        with gunicorn(Path(work) / "gunicorn.log"):
            warm_up(plan["desks"][0]["session"])
            started = time.perf_counter()
            locust = run_locust(plan_path, Path(work) / "locust")
            elapsed = time.perf_counter() - started
            load = os.getloadavg()[0]
        stats = read_stats(Path(work) / "locust_stats.csv")
    drop_queued_tasks()
    report_figures(report, stats, elapsed=elapsed, load=load)
    if locust.returncode != 0:
        sys.exit("load test: some requests failed or answered 5xx (see above)")


# Before: data, devices at the branches, sessions --------------------------------------------------------------


def prepare() -> dict:
    free_cards = Borrower.objects.exclude(loans__in=Loan.objects.open()).count()
    if Device.objects.count() < DEMO_DEVICES or free_cards < CARDS:
        devices = max(0, DEMO_DEVICES - Device.objects.count())
        call_command("seed_demo", devices=devices, borrowers=CARDS, requests=0, stdout=StringIO())
    desks = _desks()
    depot_staff = [u for u in User.objects.filter(groups__name=IT, is_active=True).order_by("username")[:1]]
    if not desks or not depot_staff:
        sys.exit("load test: the demo data has no library desk or IT technician")
    per_branch = max(20, USERS * SECONDS // 6)  # more than the desks can lend in the time
    lend = {code: _stock(branch, per_branch, actor=staff) for code, (branch, staff) in desks.items()}
    rng = random.Random(11)
    cards = list(Borrower.objects.exclude(loans__in=Loan.objects.open()).values_list("card_number", flat=True))
    look_up = list(Device.objects.order_by("?").values_list("asset_tag", flat=True)[:500])
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "label_url": f"{HOST}/d/",
        "signature": "data:image/png;base64," + base64.b64encode(signature_png(rng, "Load Test")).decode(),
        # A session of its own for each Locust user, as each desk is a terminal of its own; branches in turn.
        "desks": [
            {"branch": code, "branch_name": branch.name, "session": _session(staff)}
            for code, (branch, staff) in itertools.islice(itertools.cycle(desks.items()), USERS)
        ],
        "depots": [{"session": _session(depot_staff[0])} for _ in range(USERS // 2 + 1)],
        "lend": lend,
        "cards": cards,
        "look_up": look_up,
        "search": SEARCH,
    }


def _desks() -> dict[str, tuple[Site, User]]:
    """Each branch and a member of its desk staff."""
    desks: dict[str, tuple[Site, User]] = {}
    for user in User.objects.filter(groups__name=DESK, is_active=True).order_by("username"):
        for branch in Site.objects.desks_for(user):
            desks.setdefault(branch.code, (branch, user))
    return desks


def _stock(branch: Site, wanted: int, *, actor) -> list[str]:
    """Tags of devices ready to lend at `branch`: what is there, and more sent from elsewhere if need be."""
    lendable = Device.objects.lendable().filter(kind__in=LENT_KINDS)
    missing = wanted - lendable.filter(site=branch).count()
    for device in lendable.exclude(site__kind=Site.Kind.BRANCH)[: max(0, missing)]:
        device_move(device=device, site=branch, actor=actor, reason="Sent to the branch for the load test")
    # A device someone on the waiting list was offered is reserved now, not lendable: asked again.
    return list(lendable.filter(site=branch).values_list("asset_tag", flat=True)[:wanted])


def _session(user) -> str:
    """A signed-in session (as after the sign-in form), so the load is on the desk, not on password hashing."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# During: gunicorn and Locust ----------------------------------------------------------------------------------


def _die_with_parent():
    """In the child: get SIGTERM if the benchmark dies, so no server outlives it (Linux)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{quote(s.get('USER') or '', safe='')}{password}@{host}:{port}/{s['NAME']}"


@contextmanager
def gunicorn(log: Path):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(f"load test: something is already listening on 127.0.0.1:{PORT} (set LOAD_PORT)")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "CLIENT_REFERENCE_KEY": settings.CLIENT_REFERENCE_KEY,
        "AUDIT_KEY": settings.AUDIT_KEY,  # the custody events the server writes chain under the same key
        "DEBUG": "0",
        "SITE_URL": HOST,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_SYNC": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [*command, "--error-logfile", "-"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        _wait_until_healthy(server, log)
        print(f"  gunicorn: {WORKERS} workers on {HOST}; {USERS} users for {SECONDS} s", flush=True)
        yield
    finally:
        _stop(server)


def _wait_until_healthy(server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"load test: gunicorn stopped at start-up:\n{log.read_text()[-2000:]}")
        with suppress(OSError), urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    sys.exit(f"load test: gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-2000:]}")


def warm_up(session: str) -> None:
    """A few requests first, so that every worker has loaded its templates before anything is measured."""
    request = urllib.request.Request(f"{HOST}/", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
    for _ in range(WORKERS * 3):
        with suppress(OSError), urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def _stop(process: subprocess.Popen) -> None:
    """The process and everything it started: politely, then not."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            break
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def run_locust(plan: Path, csv_prefix: Path) -> subprocess.CompletedProcess:
    command = [
        *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
        *("--headless", "--only-summary", "--loglevel", "WARNING", "--host", HOST),
        *("--users", str(USERS), "--spawn-rate", str(max(1, USERS // 2)), "--run-time", f"{SECONDS}s"),
        *("--stop-timeout", "10", "--csv", str(csv_prefix)),
    ]
    locust = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "RELAY_LOAD_PLAN": str(plan)},
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        locust.wait(timeout=SECONDS + 90)
    except subprocess.TimeoutExpired:
        print("  load test: Locust overran its time and was stopped")
    finally:
        _stop(locust)
    return subprocess.CompletedProcess(command, locust.returncode if locust.returncode is not None else 1)


# After: the figures ---------------------------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def drop_queued_tasks() -> None:
    from django_q.brokers import get_broker

    get_broker().purge_queue()


def report_figures(report, stats: list[dict], *, elapsed: float, load: float) -> None:
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    for row in stats:
        if row is total:
            continue
        p50, p95 = float(row["50%"]), float(row["95%"])
        report(f"load: {row['Name']} (p50, p95)", p50, f"ms, p95 {p95:,.0f} ms")
    if total is None:
        return
    report(
        f"load: requests in {SECONDS} s, {USERS} users, {WORKERS} gunicorn workers", float(total["Request Count"]), ""
    )
    report("load: requests per second", float(total["Requests/s"]), "/s")
    report("load: requests failed or 5xx", float(total["Failure Count"]), "", "0")
    returned = next((row for row in stats if row["Name"] == "return: record"), None)
    if returned:
        loans = float(returned["Request Count"]) - float(returned["Failure Count"])
        report("load: loans issued and taken back", loans, "")
    report("load average at the end (1 min)", load, f"on {os.cpu_count()} cores")
    print(f"  ({elapsed:.0f} s of load)")
