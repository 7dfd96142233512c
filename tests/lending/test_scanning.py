"""The scan box: what a keyboard-wedge scanner or a person types, and what it is taken to mean."""

import pytest

from lending.services.scanning import find_device, lending_problem, parse_scan
from reuse.services.lifecycle import device_transition


@pytest.mark.parametrize(
    "raw",
    [
        "http://127.0.0.1:8000/d/RLY-000123",
        "HTTP://RELAY.EXAMPLE/D/RLY-000123",
        "https://relay.anytown.gov.uk/d/rly-000123  ",
        "  RLY-000123\n",
        "rly-000123",
        "https://relay.example/d/RLY-000123/",
    ],
)
def test_label_urls_and_bare_tags_mean_the_device(raw):
    scan = parse_scan(raw)
    assert (scan.kind, scan.value) == ("device", "RLY-000123")


@pytest.mark.parametrize("raw", ["20417000001234", " 2041 7000 0012 34 ", "20417000001234\r\n"])
def test_card_numbers_are_recognised_with_spaces_and_line_endings(raw):
    scan = parse_scan(raw)
    assert (scan.kind, scan.value) == ("card", "20417000001234")


@pytest.mark.parametrize("raw", ["", "1234", "https://example.com/other/RLY", "RLY-"])
def test_anything_else_is_unknown(raw):
    assert parse_scan(raw).kind == "unknown"


@pytest.mark.parametrize("raw", ["Rosa Clarke", "clarke", "rosa@example.com", "AN1 4"])
def test_a_name_email_or_postcode_is_a_borrower_search(raw):
    assert parse_scan(raw) == parse_scan(raw).__class__("search", raw.strip())


def test_card_pattern_comes_from_settings(settings):
    settings.LIBRARY_CARD_PATTERN = r"^A[0-9]{7}$"
    assert parse_scan("a1234567").kind == "card"
    assert parse_scan("20417000001234").kind == "unknown"


def test_lookup_by_tag_ignores_case(make_device):
    device = make_device()
    assert find_device(device.asset_tag.lower()) == device
    assert find_device("RLY-999999") is None


def test_lendable_device_at_its_branch_has_no_problem(lendable, branch):
    assert lending_problem(lendable(), site=branch) is None


def test_unwiped_device_is_refused_as_not_sanitised(make_device, branch):
    problem = lending_problem(make_device(site=branch), site=branch)
    assert problem.code == "not_sanitised"


def test_wiped_but_not_graded_device_is_not_ready(make_device, alice, bob, branch):
    from tests.factories import wipe_all

    device = make_device(site=branch)
    wipe_all(device, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)
    assert lending_problem(device, site=branch).code == "not_ready"


def test_device_at_another_site_is_refused(ready_device, branch):
    problem = lending_problem(ready_device(), site=branch)
    assert problem.code == "not_at_branch"
    assert "Civic Centre IT Depot" in problem.message
