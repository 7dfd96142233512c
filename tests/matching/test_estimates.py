"""The estimated wait per line: the queue ahead of it, what is ready now, and how fast devices of its type
(meeting its spec) have become ready lately; the method is said in one sentence."""

import datetime

from django.utils import timezone

from matching.estimates import estimate_waits
from reuse.models import Device
from reuse.services.devices import allocate_asset_tags
from reuse.services.lifecycle import Step, devices_create
from tests.matching.support import approved, line, submit


def test_nothing_ready_lately_means_no_estimate_and_says_why(branch):
    [estimate] = estimate_waits(submit(branch, lines=[line("tablet", 2)]))
    assert (estimate.weeks, estimate.text) == (None, "We cannot estimate this yet")
    assert "None have, so we cannot say." in estimate.method


def test_devices_on_the_shelf_mean_a_short_wait(branch, ready_at):
    ready_at(branch)
    ready_at(branch)
    [estimate] = estimate_waits(submit(branch, lines=[line("laptop", 2)]))
    assert (estimate.weeks, estimate.text) == (2, "About 2 weeks")
    assert "the 2 laptops ready now" in estimate.method


def test_the_queue_ahead_and_the_rate_decide_the_wait(branch, carl, ready_at):
    # 13 laptops became ready over the last 90 days: about one a week.
    for _ in range(13):
        ready_at(branch)
    ahead = approved(branch, carl, tier=1, lines=[line("laptop", 20)])  # 20 wanted ahead, 13 on the shelf
    mine = submit(branch, organisation_name="Second Group", charity_number="", lines=[line("laptop", 3)])
    [estimate] = estimate_waits(mine)
    assert "the 20 laptops still needed by requests ahead of yours" in estimate.method
    assert "the 13 laptops ready now" in estimate.method and "1.0 a week" in estimate.method
    assert estimate.weeks == 2 + 10  # (20 + 3 - 13) short at one a week, plus two weeks to match and book
    assert estimate_waits(ahead)[0].weeks == 2 + 7


def test_a_minimum_spec_counts_only_devices_that_meet_it(branch, ready_at):
    ready_at(branch, ram_gb=4)
    ready_at(branch, ram_gb=16)
    [estimate] = estimate_waits(submit(branch, lines=[line("laptop", 1, min_ram_gb=8)]))
    assert "the 1 laptop that meet your minimum spec ready now" in estimate.method


def test_old_ready_events_do_not_count_towards_the_rate(branch, alice):
    long_ago = timezone.now() - datetime.timedelta(days=200)
    steps = [Step(status, long_ago, alice, branch, "test") for status in ("received", "sanitised", "ready")]
    tag = allocate_asset_tags(1)[0]
    devices_create([(Device(asset_tag=tag, kind="laptop", make="Dell", model="E7470", site=branch), steps)])
    [estimate] = estimate_waits(submit(branch, lines=[line("laptop", 2)]))
    assert "the 1 laptop ready now" in estimate.method and "0.0 a week" in estimate.method
    assert estimate.weeks is None


def test_outside_the_area_every_request_inside_it_is_ahead(branch, carl, ready_at):
    for _ in range(13):
        ready_at(branch)
    approved(branch, carl, tier=3, lines=[line("laptop", 20)])
    outside = approved(
        branch, carl, tier=1, area="ZZ9", organisation_name="Far Trust", charity_number="", lines=[line("laptop", 1)]
    )
    assert "the 20 laptops still needed by requests ahead of yours" in estimate_waits(outside)[0].method
