"""matching.engine.shortages: what the ready stock could not meet, by type and by the constraint that bit."""

from datetime import date

import pytest

from matching.engine import EngineError, Pick, allocate, shortages

from .test_engine import device, line

OLD, SOON, LATER = date(2025, 10, 14), date(2027, 1, 1), date(2030, 1, 1)


def report(stock, needs):
    return shortages(stock, needs, allocate(stock, needs))


def test_nothing_short_reports_nothing():
    assert report([device(1), device(2)], [line(10, quantity=2)]) == []


def test_a_webcam_nobody_has():
    stock = [device(k, webcam=False) for k in range(1, 6)]
    (laptops,) = report(stock, [line(10, quantity=20, webcam=True), line(11, quantity=18, webcam=True)])
    assert (laptops.kind, laptops.asked, laptops.allocated, laptops.unmet, laptops.ready) == ("laptop", 38, 0, 38, 5)
    (cause,) = laptops.causes
    assert (cause.constraint, cause.lines, cause.units, cause.meeting) == ("webcam", 2, 38, 0)
    assert laptops.sentences == (
        "Laptops: 38 asked for, 0 allocated, 38 not met.",
        "38 laptops asked for with a webcam; 0 ready laptops have one.",
    )
    assert [n.constraint for n in laptops.lines] == ["webcam", "webcam"]
    assert laptops.lines[0].sentence == (
        "Need 10 (request 10): 20 of 20 laptops not met; no webcam: 0 ready devices meet that minimum, "
        "5 unallocated ones fail on it alone."
    )


def test_laptops_failing_only_on_security_updates_are_named_as_candidates_for_a_new_os():
    stock = [device(k, updates=OLD) for k in range(1, 13)] + [device(k, ram=4) for k in range(13, 18)]
    (laptops,) = report(stock, [line(10, quantity=14, min_ram_gb=8, updates_until=SOON)])
    (cause,) = laptops.causes
    assert (cause.constraint, cause.meeting, cause.failing_only) == ("updates", 5, 12)
    assert cause.sentence == (
        "14 laptops asked for with security updates until at least 1 January 2027; 12 ready laptops not "
        "allocated fail only on security updates: candidates for ChromeOS Flex or Linux."
    )
    assert dict(laptops.lines[0].failing_only) == {"ram": 5, "updates": 12}
    assert laptops.update_candidates == 12


def test_update_candidates_are_named_even_when_the_stock_is_simply_short():
    stock = [device(1), device(2)] + [device(k, updates=None) for k in range(3, 6)]
    (laptops,) = report(stock, [line(10, quantity=6, updates_until=SOON)])
    assert [c.constraint for c in laptops.causes] == ["not_enough"]
    assert laptops.sentences == (
        "Laptops: 6 asked for, 2 allocated, 4 not met.",
        "4 laptops asked for could not be met: all 2 ready laptops that fit were allocated.",
        "3 ready laptops not allocated fail only on security updates: candidates for ChromeOS Flex or Linux.",
    )


def test_phones_are_not_offered_a_new_operating_system():
    stock = [device(k, kind="phone", updates=OLD) for k in range(1, 4)]
    (phones,) = report(stock, [line(10, kind="phone", quantity=2, updates_until=SOON)])
    assert phones.sentences == (
        "Phones: 2 asked for, 0 allocated, 2 not met.",
        "2 phones asked for with security updates until at least 1 January 2027; 0 ready phones are known to "
        "get security updates that long.",
    )


def test_a_type_with_none_ready():
    (hotspots,) = report([device(1)], [line(10, kind="hotspot", quantity=5)])
    assert hotspots.causes[0].constraint == "none_of_kind"
    assert hotspots.sentences[1] == "5 mobile hotspots asked for; no mobile hotspot is ready."


def test_simply_not_enough_counts_devices_given_to_other_lines():
    stock = [device(k) for k in range(1, 5)]
    (laptops,) = report(stock, [line(10, quantity=3), line(11, quantity=7)])
    assert (laptops.asked, laptops.allocated, laptops.unmet) == (10, 4, 6)
    (cause,) = laptops.causes
    assert (cause.constraint, cause.lines, cause.units, cause.meeting) == ("not_enough", 2, 6, 4)


def test_ram_and_storage_minimums_name_the_range_asked_for():
    stock = [device(1, ram=4, storage=64), device(2, ram=4, storage=64)]
    (laptops,) = report(
        stock,
        [
            line(10, min_ram_gb=8),
            line(11, min_ram_gb=16),
            line(12, min_storage_gb=128),
            line(13, min_storage_gb=256, quantity=2),
        ],
    )
    ram, storage = laptops.causes
    assert ram.sentence == "2 laptops asked for with a RAM minimum (8 to 16 GB); 0 ready laptops have that much RAM."
    assert storage.sentence == (
        "3 laptops asked for with a storage minimum (128 to 256 GB); 0 ready laptops have that much storage."
    )


def test_the_minimum_most_devices_fail_on_alone_is_blamed():
    stock = [device(1, ram=4), device(2, ram=4), device(3, webcam=False)]
    (laptops,) = report(stock, [line(10, min_ram_gb=8, webcam=True)])
    assert laptops.lines[0].constraint == "ram"
    assert laptops.causes[0].sentence == (
        "1 laptop asked for with at least 8 GB RAM; 2 ready laptops not allocated fail only on RAM."
    )


def test_sentences_count_one_device_in_the_singular():
    stock = [device(1), device(2, updates=OLD)]
    (laptops,) = report(stock, [line(10, quantity=3, updates_until=SOON)])
    assert laptops.sentences[1:] == (
        "2 laptops asked for could not be met: the one ready laptop that fits was allocated.",
        "1 ready laptop not allocated fails only on security updates: candidates for ChromeOS Flex or Linux.",
    )


def test_no_single_minimum_to_blame():
    stock = [
        device(1, ram=16, webcam=False, updates=None),
        device(2, ram=4, webcam=True, updates=None),
        device(3, ram=4, webcam=False, updates=LATER),
    ]
    (laptops,) = report(stock, [line(10, min_ram_gb=16, webcam=True, updates_until=SOON)])
    assert laptops.causes[0].constraint == "several"
    assert laptops.causes[0].sentence == (
        "1 laptop asked for could not be met: no ready laptop meets all of the minimums asked for, and none "
        "fails on only one."
    )


def test_devices_allocated_elsewhere_are_not_offered_as_candidates():
    # Laptop 1 fails line 11 only on RAM but went to line 10.
    stock = [device(1, ram=4)]
    (laptops,) = report(stock, [line(10), line(11, min_ram_gb=8)])
    assert dict(laptops.lines[0].failing_only) == {"ram": 0}
    assert laptops.lines[0].need == 11


def test_types_are_reported_separately():
    stock = [device(1), device(2, kind="tablet")]
    found = report(stock, [line(10, quantity=2), line(11, kind="tablet", quantity=3)])
    assert [(s.kind, s.unmet) for s in found] == [("laptop", 1), ("tablet", 2)]


def test_fitting_devices_left_unallocated_are_pointed_out():
    # Picks edited after allocate (a coordinator rejected one) can leave a fitting device on the shelf.
    stock = [device(1), device(2)]
    (laptops,) = shortages(stock, [line(10, quantity=2)], [Pick(stock=1, need=10)])
    assert laptops.lines[0].constraint == "left_over"
    assert laptops.causes[0].sentence == "1 laptop asked for is not met, yet 1 ready laptop that fits is not allocated."


@pytest.mark.parametrize(
    ("picks", "code"),
    [
        ([Pick(stock=9, need=10)], "unknown_pick"),
        ([Pick(stock=1, need=99)], "unknown_pick"),
        ([Pick(stock=1, need=10), Pick(stock=1, need=11)], "device_picked_twice"),
        ([Pick(stock=1, need=11), Pick(stock=2, need=11)], "over_quantity"),
    ],
)
def test_picks_that_do_not_belong_to_the_input_are_refused(picks, code):
    with pytest.raises(EngineError) as raised:
        shortages([device(1), device(2)], [line(10), line(11)], picks)
    assert raised.value.code == code


def test_malformed_stock_or_needs_are_refused_as_by_allocate():
    with pytest.raises(EngineError) as raised:
        shortages([device(1)], [line(10, quantity=0)], [])
    assert raised.value.code == "quantity_not_positive"
