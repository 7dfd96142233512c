"""Numbers from named counters: in order, never twice, per series (and per year for yearly series)."""

import pytest
from django.utils import timezone

from core.numbering import allocate_numbers, allocate_references
from reuse.services.certificates import certificate_number
from reuse.services.devices import allocate_asset_tags
from reuse.services.disposal import disposal_references
from tests.races import run_at_once


def test_numbers_follow_on_per_counter(db):
    assert list(allocate_numbers("a", 3)) == [1, 2, 3]
    assert list(allocate_numbers("b", 1)) == [1]
    assert list(allocate_numbers("a", 2)) == [4, 5]
    assert list(allocate_numbers("a", 0)) == []


def test_references_are_zero_padded_and_yearly_series_carry_the_year(db):
    year = timezone.localdate().year
    assert allocate_references("REQ", 2, width=4, yearly=True) == [f"REQ-{year}-0001", f"REQ-{year}-0002"]
    assert allocate_references("REQ", width=4, yearly=True) == [f"REQ-{year}-0003"]
    assert allocate_references("TST", width=6) == ["TST-000001"]


def test_reuse_series_keep_their_counters_and_shapes(db, settings):
    settings.ASSET_TAG_PREFIX = "RLY"
    assert allocate_asset_tags(2) == ["RLY-000001", "RLY-000002"]
    assert certificate_number() == "RLY-SC-000001"
    assert disposal_references(1) == ["RLY-DSP-00001"]
    assert list(allocate_numbers("asset_tag", 1)) == [3]  # the counter existing databases already hold


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_never_get_the_same_number():
    first, second = run_at_once(lambda: list(allocate_numbers("race", 5)), lambda: list(allocate_numbers("race", 5)))
    assert sorted(first + second) == list(range(1, 11))
