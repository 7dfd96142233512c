"""The dashboard, every open-data endpoint and an API page of devices at 100,000 devices (and REQUESTS
community requests, seeded with `seed_demo --requests`), each measured side by side with one
`COUNT(*) ... GROUP BY` over the devices table (devices by type and status).

Targets (issue 10): the dashboard and each open-data endpoint in at most 10 queries and no slower than
1.5 times that GROUP BY; an API page of 100 devices in at most 5 queries. Medians of RUNS after a warm-up.
The recount behind them (`figures_refresh`, a background task) is timed too.
"""

import base64
import statistics
import time
from io import StringIO

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.services import api_token_create
from core.roles import COORDINATOR, IT
from insights.datasets import DATASETS
from insights.services import figures_refresh
from matching.models import CommunityRequest
from reuse.models import Device

DEVICES = 100_000
REQUESTS = 1_000
RUNS = 9
LIMIT = "1.5 x GROUP BY, ≤ 10 queries"


def median_ms(action) -> float:
    action()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def group_by() -> list:
    return list(Device.objects.values("kind", "status").annotate(n=Count("id")).order_by())


def fetch(client: Client, url: str, **headers):
    def get():
        cache.clear()  # the per-address rate limits count in the cache: a benchmark is no flood
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def user(name: str, role: str) -> User:
    account = User.objects.filter(username=name).first() or User.objects.create_user(name, password="bench-only-pw")
    account.groups.add(Group.objects.get(name=role))
    return account


def run(report):
    from django.conf import settings

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1000000/minute", "address": "1000000/minute"},
    }
    missing = DEVICES - Device.objects.count()
    if missing > 0:
        requests = max(0, REQUESTS - CommunityRequest.objects.count())
        call_command("seed_demo", devices=missing, borrowers=0, requests=requests, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    figures_refresh()
    report("recount of the published figures (background, every 60 min)", time.perf_counter() - started, "s")

    baseline = median_ms(group_by)
    report(f"one COUNT(*) GROUP BY kind, status over {Device.objects.count():,} devices", baseline, "ms")

    coordinator = Client()
    coordinator.force_login(user("bench-coordinator", COORDINATOR))
    dashboard = fetch(coordinator, "/dashboard/")
    ms = median_ms(dashboard)
    report(
        f"dashboard (last 12 months, every site; {CommunityRequest.objects.count():,} requests)",
        ms,
        f"ms, {queries_of(dashboard)} queries, {ms / baseline:.2f} x",
        LIMIT,
    )

    public = Client()
    urls = ["/open-data/", "/open-data/datapackage.json"]
    urls += [f"/open-data/{name}.{ext}" for name in DATASETS for ext in ("csv", "json")]
    urls += ["/api/v1/open-data/"] + [f"/api/v1/open-data/{name}/" for name in DATASETS]
    for url in urls:
        action = fetch(public, url)
        ms = median_ms(action)
        report(f"open data: {url}", ms, f"ms, {queries_of(action)} queries, {ms / baseline:.2f} x", LIMIT)

    token = api_token_create(user=user("bench-it", IT), name="Bench", scope="read")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = fetch(Client(), "/api/v1/devices/?page_size=100", **headers)
    report("API: first page of 100 devices", median_ms(first), f"ms, {queries_of(first)} queries", "≤ 5 queries")
    deep_pk = Device.objects.order_by("pk").values_list("pk", flat=True)[Device.objects.count() - 150]
    cursor = base64.urlsafe_b64encode(f"p={deep_pk}".encode()).decode()
    deep = fetch(Client(), f"/api/v1/devices/?page_size=100&cursor={cursor}", **headers)
    report("API: a page of 100 devices 99,850 deep", median_ms(deep), f"ms, {queries_of(deep)} queries", "≤ 5 queries")

    token = api_token_create(user=user("bench-coordinator", COORDINATOR), name="Bench", scope="read")[1]
    page = fetch(Client(), "/api/v1/requests/?page_size=100", HTTP_AUTHORIZATION=f"Bearer {token}")
    report("API: first page of 100 requests (coordinator)", median_ms(page), f"ms, {queries_of(page)} queries")
