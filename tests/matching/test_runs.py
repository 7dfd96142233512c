"""Matching runs: what the engine is given (ready stock; open lines, out-of-area requests below every
request inside the area), what is kept (its whole input and picks, replayable), proposals and their
reasons, the shortage report, one run at a time, `manage.py match`, the button and the nightly schedule."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from core.errors import DomainError
from matching.engine import EngineError, allocate
from matching.models import MatchRun, Proposal
from matching.receivers import ensure_defaults
from matching.services.allocations import proposals_decide
from matching.services.runs import engine_input, match_run, match_run_start
from tests.matching.support import approved, line


def test_the_engine_sees_ready_devices_only_with_unknowns_counted_against_them(ready_at, make_device, branch):
    ready = ready_at(branch, ram_gb=None, storage_gb=None, webcam=None, updates_until=None)
    make_device()  # received, not ready
    [stock] = engine_input().stock
    assert (stock.key, stock.site, stock.ram_gb, stock.storage_gb, stock.webcam, stock.updates_until) == (
        ready.pk,
        branch.pk,
        0,
        0,
        False,
        None,
    )


def test_out_of_area_requests_go_one_tier_below_the_lowest_inside_the_area(branch, carl):
    inside_1 = approved(branch, carl, tier=1)
    inside_2 = approved(branch, carl, tier=2, organisation_name="Second Group", charity_number="")
    outside = approved(branch, carl, tier=1, area="ZZ9", organisation_name="Far Away Trust", charity_number="")
    wanted = engine_input()
    tiers = {need.request: need.tier for need in wanted.needs}
    assert tiers == {inside_1.pk: 1, inside_2.pk: 2, outside.pk: 3}
    assert wanted.own_tier[outside.pk] == 1 and wanted.outside == {outside.pk}


def test_only_what_is_still_wanted_goes_to_the_engine(branch, carl, ready_at):
    req = approved(branch, carl, lines=[line("laptop", 3), line("tablet", 1)])
    ready_at(branch)
    run = match_run(actor=carl, commit=True)
    proposals_decide(request=req, actor=carl, accept=run.proposals.all())
    needs = {n.kind: n.quantity for n in engine_input().needs}
    assert needs == {"laptop": 2, "tablet": 1}


def test_a_dry_run_proposes_nothing_but_keeps_what_it_saw_and_picked(branch, carl, ready_at):
    approved(branch, carl)
    ready_at(branch)
    run = match_run(actor=carl)
    assert (run.status, run.committed, run.devices_seen, run.lines_seen, run.proposed) == ("done", False, 1, 1, 1)
    assert not Proposal.objects.exists()
    assert "dry run" in run.summary and "Proposed 1 device for 1 request" in run.summary
    stock, needs = run.seen()
    assert len(stock) == 1 and needs[0].quantity == 2


def test_a_stored_run_replays_to_the_same_picks(branch, other_branch, depot, carl, ready_at):
    approved(branch, carl, tier=1, lines=[line("laptop", 2, webcam=True)])
    approved(other_branch, carl, tier=2, organisation_name="Second Group", charity_number="", lines=[line("laptop", 3)])
    for site in (branch, other_branch, depot, depot):
        ready_at(site)
    ready_at(depot, webcam=False)
    run = match_run(actor=carl, commit=True)
    run = MatchRun.objects.get(pk=run.pk)
    stock, needs = run.seen()
    assert [(p.stock, p.need) for p in allocate(stock, needs, today=run.today)] == [
        (p.stock, p.need) for p in run.picks()
    ]
    assert {(p.device_id, p.line_id) for p in run.proposals.all()} == {(p.stock, p.need) for p in run.picks()}


def test_proposals_carry_reasons_in_the_councils_words(branch, depot, carl, ready_at):
    approved(branch, carl, tier=2, lines=[line("laptop", 2, min_ram_gb=8)])
    ready_at(branch)
    ready_at(depot)
    run = match_run(actor=carl, commit=True)
    reasons = {p.at_collection_branch: p.reasons for p in run.proposals.all()}
    assert reasons[True][0].startswith("Tier 2 request, waiting 0 days since it was approved on")
    assert reasons[True][1] == "A laptop meeting every minimum asked for: 8 GB RAM (8 GB asked for)."
    assert reasons[True][2] == "Already at Central Library, the collection branch."
    assert reasons[False][2] == "Needs moving from Civic Centre IT Depot to Central Library."


def test_out_of_area_reasons_say_why_it_comes_last(branch, carl, ready_at):
    approved(branch, carl, tier=1, area="ZZ9")
    ready_at(branch)
    [proposal] = match_run(actor=carl, commit=True).proposals.all()
    assert proposal.reasons[0].startswith("Serves people outside the council's area, so it comes after every request")
    assert "its own tier is 1" in proposal.reasons[0]


def test_inside_the_area_wins_over_outside_whatever_the_tiers(branch, carl, ready_at):
    outside = approved(branch, carl, tier=1, area="ZZ9", lines=[line("laptop", 1)])
    inside = approved(
        branch, carl, tier=3, organisation_name="Local Group", charity_number="", lines=[line("laptop", 1)]
    )
    ready_at(branch)
    [proposal] = match_run(actor=carl, commit=True).proposals.all()
    assert proposal.request_id == inside.pk != outside.pk


def test_a_committed_run_replaces_proposals_left_unreviewed(branch, carl, ready_at):
    approved(branch, carl)
    ready_at(branch)
    first = match_run(actor=carl, commit=True)
    second = match_run(actor=carl, commit=True)
    assert set(first.proposals.values_list("status", flat=True)) == {"superseded"}
    assert set(second.proposals.values_list("status", flat=True)) == {"proposed"}


def test_the_shortage_report_says_which_constraint_bit(branch, carl, ready_at):
    approved(branch, carl, lines=[line("laptop", 38, webcam=True)])
    ready_at(branch, webcam=False)
    run = match_run(actor=carl, commit=True)
    [shortage] = run.shortages
    assert shortage["kind"] == "laptop" and shortage["unmet"] == 38
    assert "38 laptops asked for with a webcam; 0 ready laptops have one." in shortage["sentences"]
    assert "38 laptops asked for with a webcam; 0 ready laptops have one." in run.summary


def test_one_run_at_a_time(branch, carl):
    running = match_run_start(actor=carl, trigger="button")
    with pytest.raises(DomainError) as error:
        match_run(actor=carl)
    assert error.value.code == "run_in_progress"
    match_run(run=running, commit=True)
    assert match_run(actor=carl).status == "done"


def test_an_engine_refusal_fails_the_run_with_its_code(branch, carl, monkeypatch):
    def refuse(*args, **kwargs):
        raise EngineError("negative_spec", "device 7: ram_gb cannot be negative (-1)", 7)

    monkeypatch.setattr("matching.services.runs.allocate", refuse)
    with pytest.raises(DomainError) as error:
        match_run(actor=carl)
    assert error.value.code == "negative_spec"
    run = MatchRun.objects.get()
    assert run.status == "failed" and run.error.startswith("negative_spec")


def test_match_command_prints_the_summary_and_stores_proposals_with_commit(branch, carl, ready_at):
    approved(branch, carl)
    ready_at(branch)
    out = io.StringIO()
    call_command("match", stdout=out)
    assert "Proposed 1 device for 1 request" in out.getvalue() and "use --commit" in out.getvalue()
    assert not Proposal.objects.exists()
    call_command("match", "--commit", stdout=out)
    assert Proposal.objects.pending().count() == 1 and "Review the proposals at /matching/runs/" in out.getvalue()


def test_match_command_exits_with_one_line_when_a_run_is_in_progress(db):
    match_run_start(actor=None, trigger="schedule")
    with pytest.raises(CommandError) as error:
        call_command("match")
    assert str(error.value) == "A matching run is already in progress; wait for it to finish."


def test_the_button_runs_matching_and_shows_the_run(
    coordinator, branch, carl, ready_at, django_capture_on_commit_callbacks
):
    approved(branch, carl)
    ready_at(branch)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = coordinator.post("/matching/runs/")
    run = MatchRun.objects.get()
    assert response.url == f"/matching/runs/{run.pk}/" and run.status == "running"
    assert "still working" in coordinator.get(response.url).content.decode()
    assert "already in progress" in coordinator.post("/matching/runs/", follow=True).content.decode()
    for task in queued:
        task()
    run.refresh_from_db()
    assert (run.status, run.trigger, run.actor, run.committed) == ("done", "button", carl, True)
    page = coordinator.get(response.url).content.decode()
    assert "Confirm the decisions for" in page and "Already at Central Library" in page


def test_the_nightly_schedule_is_registered_once_after_migrate(db):
    ensure_defaults()
    ensure_defaults()
    schedules = Schedule.objects.filter(func__startswith="matching.tasks.")
    assert sorted(schedules.values_list("name", "func", "schedule_type")) == [
        ("Nightly matching", "matching.tasks.run_nightly", "D"),
        ("Request follow-ups", "matching.tasks.send_follow_ups", "D"),
    ]


def test_the_nightly_task_commits_a_run(branch, carl, ready_at):
    from matching.tasks import run_nightly

    approved(branch, carl)
    ready_at(branch)
    run = MatchRun.objects.get(pk=run_nightly())
    assert (run.trigger, run.committed, run.actor) == ("schedule", True, None)
    assert run.proposals.count() == 1
