"""The load test's users, for Locust: library desks scanning, lending and taking back; IT staff filtering the
inventory. `bench/bench_load.py` starts gunicorn, writes the plan this reads (RELAY_LOAD_PLAN: sessions,
devices to lend, cards, a signature) and runs Locust on it, bounded in users and time.

At the end it prints the median and 95th percentile of each kind of request and the failures, and exits
non-zero if any request failed (an unexpected status, a page without the form or link a person would use)
or the server answered 5xx.
"""

import itertools
import json
import os
import random
from collections import Counter

from journeys import Browser, Page, PageError, browse_inventory, find_desk, find_inventory, lend_and_take_back, look_up
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["RELAY_LOAD_PLAN"]).read())  # noqa: SIM115
SERVER_ERRORS: Counter = Counter()
desks = itertools.cycle(PLAN["desks"])
depots = itertools.cycle(PLAN["depots"])
# One shared pool per branch (Locust's users are greenlets in one process): each device is lent once, since a
# return sends it back to IT to be wiped; each card goes back in the pool when its loan is returned.
to_lend: dict[str, list[str]] = {branch: list(tags) for branch, tags in PLAN["lend"].items()}
cards: list[str] = list(PLAN["cards"])


class LocustBrowser(Browser):
    """bench.journeys.Browser over Locust's client: each request is timed under its name and fails unless it
    answered 2xx or a redirect."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, *, name: str) -> Page:
        return self._request("GET", url, name=name)

    def post(self, url: str, data: list[tuple[str, str]], *, name: str) -> Page:
        return self._request("POST", url, name=name, data=data)

    def _request(self, method: str, url: str, *, name: str, **kwargs) -> Page:
        with self.client.request(method, url, name=name, allow_redirects=False, catch_response=True, **kwargs) as r:
            page = Page.read(r.url or url, r.status_code, r.text or "", r.headers.get("Location", ""))
            if r.status_code >= 400 or r.status_code == 0:
                r.failure(f"{r.status_code} from {name}{page._error()}")
                raise StopJourney
            return page


class StopJourney(Exception):
    """The request failed and was counted; the rest of this journey is skipped."""


def unexpected_page(error: Exception) -> None:
    """Count a page that lacks what a person would use next (its request itself succeeded) as a failure."""
    events.request.fire(
        request_type="PAGE", name="unexpected page", response_time=0, response_length=0, exception=error
    )


def journey(fn):
    """A task that stops at the first failed request; a page that is not what a person would expect next is a
    failure of the request that brought it."""

    def run(user):
        try:
            fn(user)
        except StopJourney:
            pass
        except PageError as error:
            unexpected_page(error)

    run.__name__ = fn.__name__
    return run


class Desk(HttpUser):
    """A library desk: most of the time it lends a device and takes it back, now and then it only looks up."""

    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        desk = next(desks)
        self.branch = desk["branch"]
        self.client.cookies.set(PLAN["session_cookie"], desk["session"])
        self.browser = LocustBrowser(self.client)
        try:
            self.desk_url = find_desk(self.browser, branch=desk["branch_name"])
        except (StopJourney, PageError) as error:
            unexpected_page(error)
            raise StopUser from None

    @task(3)
    @journey
    def lend(self):
        if not to_lend[self.branch] or not cards:
            return self.scan_only()  # this branch has lent every device it was given: the desk only looks up
        tag, card = to_lend[self.branch].pop(), cards.pop()
        lend_and_take_back(
            self.browser, desk_url=self.desk_url, label=PLAN["label_url"] + tag, card=card, signature=PLAN["signature"]
        )
        cards.insert(0, card)  # its loan is closed: free for another desk (not after a failure, when it may not be)

    @task(1)
    @journey
    def scan_only(self):
        label = PLAN["label_url"] + random.choice(PLAN["look_up"])
        look_up(self.browser, desk_url=self.desk_url, label=label, card=random.choice(PLAN["cards"]))


class Depot(HttpUser):
    """IT staff at the depot, filtering the inventory."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set(PLAN["session_cookie"], next(depots)["session"])
        self.browser = LocustBrowser(self.client)
        self.rng = random.Random()
        try:
            self.inventory_url = find_inventory(self.browser)
        except (StopJourney, PageError) as error:
            unexpected_page(error)
            raise StopUser from None

    @task
    @journey
    def inventory(self):
        browse_inventory(self.browser, inventory_url=self.inventory_url, rng=self.rng, search=PLAN["search"])


@events.request.add_listener
def count_server_errors(response=None, name="", **_):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS[name] += 1


@events.quitting.add_listener
def summarise(environment, **_):
    """p50/p95 per kind of request and the failures; a non-zero exit if anything failed or answered 5xx."""
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda s: s.name)
    print(f"\n{'request':<28} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for entry in rows:
        p50, p95 = entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.95)
        print(f"{entry.name:<28} {entry.num_requests:>7} {entry.num_failures:>7} {p50:>8.0f} {p95:>8.0f}")
    total = stats.total
    print(f"{'all':<28} {total.num_requests:>7} {total.num_failures:>7} ", end="")
    print(f"{total.get_response_time_percentile(0.5):>8.0f} {total.get_response_time_percentile(0.95):>8.0f}")
    returned = sum(e.num_requests - e.num_failures for e in rows if e.name == "return: record")
    print(f"loans lent and taken back: {returned}")
    for error in stats.errors.values():
        print(f"failure: {error.name}: {error.error} ({error.occurrences}x)")
    server_errors = sum(SERVER_ERRORS.values())
    if total.num_failures or server_errors or not total.num_requests:
        print(f"FAILED: {total.num_failures} failed requests, {server_errors} server errors (5xx)")
        environment.process_exit_code = 1
    else:
        print("No request failed and none answered 5xx.")
        environment.process_exit_code = 0
