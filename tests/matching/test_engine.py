"""matching.engine.allocate: the hard rules, each level of what it optimises (every test here would fail
if its level were dropped or moved below the next), the reasons, the error codes and determinism."""

import os
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from matching.engine import EngineError, Need, Pick, Stock, allocate

JAN, FEB, MAR, APR = date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2), date(2026, 4, 6)
SAFE = date(2030, 1, 1)


def device(key, site=1, kind="laptop", ram=8, storage=256, webcam=True, updates=SAFE, ready=JAN) -> Stock:
    return Stock(
        key=key,
        kind=kind,
        site=site,
        ram_gb=ram,
        storage_gb=storage,
        webcam=webcam,
        updates_until=updates,
        ready_since=ready,
    )


def line(key, request=None, tier=1, waiting=FEB, site=1, kind="laptop", quantity=1, **minimums) -> Need:
    return Need(
        key=key,
        request=key if request is None else request,
        tier=tier,
        waiting_since=waiting,
        site=site,
        kind=kind,
        quantity=quantity,
        **minimums,
    )


def given(picks) -> dict[int, int]:
    """device key -> need key"""
    return {p.stock: p.need for p in picks}


def per_need(picks) -> Counter:
    return Counter(p.need for p in picks)


# --- hard rules ------------------------------------------------------------------------------------------------


def test_nothing_to_share_or_nobody_asking_gives_no_picks():
    assert allocate([], [line(1)]) == []
    assert allocate([device(1)], []) == []


def test_a_device_goes_only_to_a_line_of_its_kind():
    assert given(allocate([device(1, kind="tablet")], [line(10, kind="laptop")])) == {}
    assert given(allocate([device(1, kind="tablet")], [line(10, kind="tablet")])) == {1: 10}


@pytest.mark.parametrize(
    ("spec", "minimum", "fits"),
    [
        ({"ram": 8}, {"min_ram_gb": 8}, True),
        ({"ram": 4}, {"min_ram_gb": 8}, False),
        ({"storage": 128}, {"min_storage_gb": 128}, True),
        ({"storage": 64}, {"min_storage_gb": 128}, False),
        ({"webcam": True}, {"webcam": True}, True),
        ({"webcam": False}, {"webcam": True}, False),
        ({"webcam": False}, {}, True),
        ({"updates": date(2028, 6, 30)}, {"updates_until": date(2028, 6, 30)}, True),
        ({"updates": date(2028, 6, 29)}, {"updates_until": date(2028, 6, 30)}, False),
        ({"updates": None}, {"updates_until": date(2026, 1, 1)}, False),
        ({"updates": None}, {}, True),
    ],
)
def test_every_minimum_is_met_and_unknown_updates_fail_one(spec, minimum, fits):
    assert given(allocate([device(1, **spec)], [line(10, **minimum)])) == ({1: 10} if fits else {})


def test_a_line_never_gets_more_than_its_quantity_and_a_device_goes_once():
    picks = allocate([device(k) for k in range(1, 6)], [line(10, quantity=2), line(11, quantity=1)])
    assert per_need(picks) == {10: 2, 11: 1}
    assert len({p.stock for p in picks}) == 3


# --- level 1: tier-1 units -------------------------------------------------------------------------------------


def test_tier_one_gets_the_device_before_an_older_tier_two_request():
    picks = allocate([device(1)], [line(10, tier=2, waiting=JAN), line(11, tier=1, waiting=MAR)])
    assert given(picks) == {1: 11}


def test_tier_one_units_come_before_who_waited_longest_and_which_device_is_oldest():
    # Greedy by waiting would give the older request the webcam laptop and leave the other without.
    stock = [device(1, webcam=True, ready=JAN), device(2, webcam=False, ready=MAR)]
    needs = [line(10, waiting=JAN), line(11, waiting=MAR, webcam=True)]
    assert given(allocate(stock, needs)) == {2: 10, 1: 11}


# --- level 2: tier-1 spread ------------------------------------------------------------------------------------


def test_first_units_go_to_as_many_requests_as_possible_even_at_the_cost_of_a_van_trip():
    # Without spread, levels 4 and 5 would give both laptops to the older request at their own branch.
    stock = [device(1, site=1), device(2, site=1)]
    needs = [line(10, waiting=JAN, site=1, quantity=2), line(11, waiting=MAR, site=2)]
    assert per_need(allocate(stock, needs)) == {10: 1, 11: 1}


def test_everyone_gets_two_before_anyone_gets_three():
    stock = [device(k) for k in range(1, 6)]
    needs = [line(10, waiting=JAN, quantity=3), line(11, waiting=FEB, quantity=3), line(12, waiting=MAR)]
    assert per_need(allocate(stock, needs)) == {10: 2, 11: 2, 12: 1}


def test_spread_is_counted_per_request_across_its_lines():
    # Request 7 has two lines; one unit to it and one to request 8 beats two to request 7.
    stock = [device(1), device(2)]
    needs = [
        line(10, request=7, waiting=JAN),
        line(11, request=7, waiting=JAN, min_ram_gb=8),
        line(12, request=8, waiting=MAR),
    ]
    picks = allocate(stock, needs)
    assert Counter(p.request for p in picks) == {7: 1, 8: 1}


def test_spread_never_costs_a_unit():
    # Four laptops, one of which only request 10 can use: all four are given, not three spread wider.
    stock = [device(1, ram=16), device(2, ram=16), device(3, ram=16), device(4, ram=4)]
    needs = [line(10, quantity=4), line(11, min_ram_gb=8, waiting=JAN), line(12, min_ram_gb=8, waiting=JAN)]
    picks = allocate(stock, needs)
    assert len(picks) == 4
    assert per_need(picks) == {10: 2, 11: 1, 12: 1}


# --- level 3: the next tiers, the same way -----------------------------------------------------------------------


def test_tier_two_is_served_only_with_what_tier_one_cannot_use_then_spread():
    stock = [device(k) for k in range(1, 5)]
    needs = [
        line(10, tier=1, quantity=1),
        line(11, tier=2, quantity=3, waiting=JAN),
        line(12, tier=2, quantity=3, waiting=MAR),
        line(13, tier=3, waiting=JAN),
    ]
    assert per_need(allocate(stock, needs)) == {10: 1, 11: 2, 12: 1}


def test_tier_one_spread_comes_before_tier_two_units():
    # Laptop 1 (webcam) is the only one tier 2 can use, but tier 1 needs it to serve both its requests.
    stock = [device(1, webcam=True), device(2, webcam=False)]
    needs = [
        line(10, tier=1, quantity=2, waiting=JAN),
        line(11, tier=1, webcam=True, waiting=MAR),
        line(12, tier=2, webcam=True, waiting=JAN),
    ]
    assert given(allocate(stock, needs)) == {1: 11, 2: 10}


def test_tier_three_waits_for_tier_two():
    stock = [device(1)]
    needs = [line(10, tier=3, waiting=JAN), line(11, tier=2, waiting=APR)]
    assert given(allocate(stock, needs)) == {1: 11}


# --- level 4: longer waiting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("older", "newer"), [(9, 5), (5, 9)])
def test_the_longest_waiting_request_wins_between_equals_whatever_its_key(older, newer):
    stock = [device(1)]
    needs = [line(newer, waiting=MAR), line(older, waiting=JAN)]
    assert given(allocate(stock, needs)) == {1: older}


def test_waiting_decides_who_gets_the_second_unit():
    stock = [device(k) for k in range(1, 4)]
    needs = [line(10, waiting=MAR, quantity=2), line(11, waiting=JAN, quantity=2)]
    assert per_need(allocate(stock, needs)) == {11: 2, 10: 1}


def test_longer_waiting_beats_a_van_trip():
    stock = [device(1, site=1)]
    needs = [line(10, waiting=MAR, site=1), line(11, waiting=JAN, site=2)]
    assert given(allocate(stock, needs)) == {1: 11}


@pytest.mark.parametrize(("older", "newer"), [(11, 12), (12, 11)])
def test_waiting_is_compared_within_a_tier_only(older, newer):
    stock = [device(1), device(2)]
    needs = [line(10, tier=1, waiting=MAR), line(older, tier=2, waiting=JAN), line(newer, tier=2, waiting=FEB)]
    assert set(given(allocate(stock, needs)).values()) == {10, older}


# --- level 5: devices already at the collection branch ---------------------------------------------------------


def test_a_device_already_at_the_branch_beats_one_ready_longer_elsewhere():
    stock = [device(1, site=2, ready=JAN), device(2, site=1, ready=MAR)]
    assert given(allocate(stock, [line(10, site=1)])) == {2: 10}


def test_devices_are_chosen_to_save_van_trips_before_by_age():
    # By age alone laptops 1 and 2 would go, one of them across town; laptop 3 is at the other branch.
    stock = [device(1, site=2, ready=JAN), device(2, site=2, ready=FEB), device(3, site=1, ready=MAR)]
    needs = [line(10, site=1, waiting=JAN), line(11, site=2, waiting=MAR)]
    picks = allocate(stock, needs)
    assert given(picks) == {3: 10, 1: 11}
    assert all(p.at_collection_branch for p in picks)


# --- level 6: ready longest, then lowest key ---------------------------------------------------------------------


def test_the_device_ready_longest_goes_first_then_the_lowest_key():
    stock = [device(3, ready=FEB), device(4, ready=JAN), device(1, ready=MAR), device(2, ready=MAR)]
    assert set(given(allocate(stock, [line(10, quantity=2)]))) == {4, 3}
    assert set(given(allocate(stock, [line(10, quantity=3)]))) == {4, 3, 1}


def test_ready_longest_counts_across_device_classes():
    # Laptops 1 and 2 have webcams (one class), 3 has none (another). Line 11 needs a webcam; line 10
    # takes the next longest-ready laptop, 2, rather than keeping it back.
    stock = [device(1, webcam=True, ready=JAN), device(2, webcam=True, ready=FEB), device(3, webcam=False, ready=MAR)]
    picks = allocate(stock, [line(10), line(11, webcam=True)])
    assert set(given(picks)) == {1, 2}


# --- determinism and output ------------------------------------------------------------------------------------


def test_the_same_input_in_any_order_gives_the_same_picks():
    rng = random.Random(4)
    stock = [
        device(
            k,
            site=rng.randint(1, 3),
            ram=rng.choice([4, 8, 16]),
            webcam=rng.random() < 0.5,
            ready=rng.choice([JAN, FEB, MAR]),
        )
        for k in range(1, 40)
    ]
    needs = [
        line(
            100 + k,
            request=k // 2,
            tier=1 + (k // 2) % 3,
            waiting=[JAN, FEB, MAR][(k // 2) % 3],
            site=1 + k % 3,
            quantity=1 + k % 4,
            min_ram_gb=rng.choice([0, 8]),
        )
        for k in range(30)
    ]
    expected = allocate(stock, needs)
    for _ in range(5):
        rng.shuffle(stock)
        rng.shuffle(needs)
        assert allocate(stock, needs) == expected


def test_picks_come_sorted_by_tier_then_longest_waiting():
    stock = [device(k) for k in range(1, 5)]
    needs = [line(10, tier=2, waiting=JAN), line(11, tier=1, waiting=MAR), line(12, tier=1, waiting=JAN)]
    assert [p.need for p in allocate(stock, needs)] == [12, 11, 10]


def test_it_prints_nothing(capfd):
    allocate([device(1)], [line(10)])
    assert capfd.readouterr() == ("", "")


def test_it_imports_without_django():
    code = "import sys, matching.engine; assert not any(m.startswith('django') for m in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2], env=env)


# --- reasons -------------------------------------------------------------------------------------------------------


def test_reasons_say_tier_waiting_spec_fit_and_branch():
    stock = [device(1, site=3, ram=16, storage=512, updates=date(2028, 10, 14), ready=JAN)]
    needs = [line(10, tier=2, waiting=FEB, site=5, min_ram_gb=8, webcam=True, updates_until=date(2028, 1, 1))]
    (pick,) = allocate(stock, needs, today=date(2026, 3, 8))
    assert pick.reasons == (
        "Tier 2 request, waiting 34 days since it was approved on 2 February 2026.",
        "A laptop meeting every minimum asked for: 16 GB RAM (8 GB asked for), a webcam, "
        "security updates until 14 October 2028 (1 January 2028 asked for).",
        "Needs moving from site 3 to the collection branch (site 5).",
        "Ready for 62 days (since 5 January 2026); longest-ready devices go first.",
    )
    assert (pick.request, pick.tier, pick.waiting_days, pick.from_site, pick.to_site, pick.ready_days) == (
        10,
        2,
        34,
        3,
        5,
        62,
    )
    assert not pick.at_collection_branch


def test_reasons_for_a_local_device_with_no_minimum_asked():
    (pick,) = allocate([device(1, kind="tablet", site=2, ready=MAR)], [line(10, kind="tablet", site=2, waiting=MAR)])
    assert pick.reasons[1:3] == (
        "A tablet, as asked; no minimum spec was asked for.",
        "Already at the collection branch.",
    )
    assert pick.at_collection_branch


def test_today_defaults_to_the_latest_date_in_the_input_so_the_clock_never_matters():
    (pick,) = allocate([device(1, ready=JAN)], [line(10, waiting=MAR)])
    assert (pick.waiting_days, pick.ready_days) == (0, (MAR - JAN).days)
    assert pick.reasons[0] == "Tier 1 request, waiting 0 days since it was approved on 2 March 2026."
    (pick,) = allocate([device(1, ready=JAN)], [line(10, waiting=date(2026, 3, 1))], today=date(2026, 3, 2))
    assert pick.reasons[0].startswith("Tier 1 request, waiting 1 day since")


def test_a_pick_can_be_made_from_keys_alone():
    assert Pick(stock=1, need=2).reasons == ()


# --- malformed input -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stock", "needs", "code"),
    [
        ([device(1)], [line(10, quantity=0)], "quantity_not_positive"),
        ([device(1)], [line(10, quantity=-2)], "quantity_not_positive"),
        ([device(1)], [line(10, tier=0)], "tier_below_one"),
        ([device(1, kind="fax")], [line(10)], "unknown_kind"),
        ([device(1)], [line(10, kind="Laptop")], "unknown_kind"),
        ([device(1, ram=-1)], [line(10)], "negative_spec"),
        ([device(1, storage=-8)], [line(10)], "negative_spec"),
        ([device(1)], [line(10, min_ram_gb=-4)], "negative_spec"),
        ([device(1)], [line(10, min_storage_gb=-1)], "negative_spec"),
        ([device(1), device(1, site=2)], [line(10)], "duplicate_stock"),
        ([device(1)], [line(10), line(10, request=11)], "duplicate_need"),
        ([device(1)], [line(10, request=7, tier=1), line(11, request=7, tier=2)], "request_inconsistent"),
        ([device(1)], [line(10, request=7, waiting=JAN), line(11, request=7, waiting=FEB)], "request_inconsistent"),
        ([device(1)], [line(10, quantity=1.5)], "bad_value"),
        ([device(1)], [line(10, quantity=True)], "bad_value"),
        ([device(1, ram="8")], [line(10)], "bad_value"),
        ([device(1, webcam=None)], [line(10)], "bad_value"),
        ([device(1, updates="2030-01-01")], [line(10)], "bad_value"),
        ([device(1, ready=datetime(2026, 1, 1, 9))], [line(10)], "bad_value"),
        ([device(1)], [line(10, waiting=None)], "bad_value"),
        ([replace(device(1), key="1")], [line(10)], "bad_value"),
        ([line(10)], [line(11)], "bad_type"),
        ([device(1)], [device(2)], "bad_type"),
    ],
)
def test_malformed_input_is_refused_with_a_code(stock, needs, code):
    with pytest.raises(EngineError) as raised:
        allocate(stock, needs)
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)


def test_lines_of_one_request_may_name_different_branches():
    picks = allocate([device(1, site=1), device(2, site=2)], [line(10, request=7, site=1), line(11, request=7, site=2)])
    assert given(picks) == {1: 10, 2: 11}


def test_the_error_names_the_offending_key():
    with pytest.raises(EngineError) as raised:
        allocate([device(1)], [line(10), line(12, quantity=0)])
    assert raised.value.key == 12
    assert "need 12" in str(raised.value)


def test_today_before_a_date_in_the_input_is_refused():
    with pytest.raises(EngineError) as raised:
        allocate([device(1, ready=MAR)], [line(10, waiting=JAN)], today=FEB)
    assert raised.value.code == "today_too_early"
    with pytest.raises(EngineError) as raised:
        allocate([device(1)], [line(10)], today="2026-05-01")
    assert raised.value.code == "bad_value"
