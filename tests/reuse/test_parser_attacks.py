"""Attacks on the parsers: inputs built to make them backtrack, and hypothesis fuzzing of the CSV, nwipe
and scan parsers. Whatever they are given, they answer with their own domain error (or a result), never
another exception, and in bounded time."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lending.services.scanning import Scan, parse_scan
from reuse.intake.plan import ImportPlan, plan_import
from reuse.models import asset_tag_from_scan, parse_tags
from reuse.nwipe import MAX_LINE, NwipeLog, NwipeLogError, parse_nwipe_log
from tests.reuse.nwipe_support import FIXTURE
from tests.timebox import at_most

LOG = FIXTURE.read_text()
SDA_ROW = "       sda | Erased |  80 MB/s | 02:13:09 | WDC WD3200LPVX-6/WD-WXC1A14S2591"
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _with_status_row(row: str) -> str:
    assert SDA_ROW in LOG
    return LOG.replace(SDA_ROW, row)


@pytest.mark.parametrize(
    "row",
    [
        pytest.param("  sda | Erased |" + " " * 48_000 + "x", id="48KB-row-of-spaces"),
        pytest.param("  sda |" + " |" * 24_000, id="48KB-row-of-bars"),
    ],
)
def test_a_48kb_drive_status_row_is_refused_at_once(row):
    with at_most(5), pytest.raises(NwipeLogError) as raised:
        parse_nwipe_log(_with_status_row(row))
    assert "line 74: this Drive Status row is 48,0" in str(raised.value)


def test_a_17kb_log_with_one_long_row_is_refused_at_once():
    row = "  sda | Erased |" + " " * (17_500 - len(LOG) + len(SDA_ROW)) + "x"
    text = _with_status_row(row)
    assert len(text) >= 17_500
    with at_most(5), pytest.raises(NwipeLogError) as raised:
        parse_nwipe_log(text)
    assert "this Drive Status row is" in str(raised.value)


def test_rows_up_to_the_line_limit_are_read_in_bounded_time():
    rows = "\n".join(["  sdb | Erased" + " |" * ((MAX_LINE - 20) // 2)] * 16)
    with at_most(5), pytest.raises(NwipeLogError):
        parse_nwipe_log(LOG.replace(SDA_ROW, SDA_ROW + "\n" + rows))


def test_table_rows_are_split_on_their_bars_not_matched_by_backtracking():
    log = parse_nwipe_log(_with_status_row("       sda | Erased |  80 MB/s | 02:13:09 | WDC WD|3200/WD-WXC1A14S2591"))
    assert [d.status for d in log.drives] == ["Erased", "Erased"]


LINE = st.one_of(
    st.sampled_from(LOG.split("\n")),
    st.text(alphabet=st.sampled_from(" |!-*/:,=[]()0123456789sdaErasedFAILEDGBMS/N"), max_size=300),
    st.text(max_size=80),
)


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 90), st.booleans(), LINE), max_size=12))
def test_fuzzed_nwipe_logs_give_a_log_or_nwipe_log_error(edits):
    lines = LOG.split("\n")
    for position, replace, line in edits:
        position = min(position, len(lines))
        if replace and position < len(lines):
            lines[position] = line
        else:
            lines.insert(position, line)
    try:
        result = parse_nwipe_log("\n".join(lines))
    except NwipeLogError as error:
        assert error.problems
    else:
        assert isinstance(result, NwipeLog)


@FUZZ
@given(text=st.text(max_size=3000))
def test_random_text_is_no_nwipe_log(text):
    with pytest.raises(NwipeLogError):
        parse_nwipe_log(text)


CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["laptop", "phone", "Dell", "31/12/9999", "01/01/0001", "6.37702E+15", "=1+1", '"', "\r"]),
    st.integers(-(10**30), 10**30).map(str),
)
HEADINGS = ["Type", "Make", "Model", "Serial", "RAM (GB)", "Storage (GB)", "Received", "Asset Tag", "Drive 1 serial"]


@FUZZ
@pytest.mark.django_db
@given(
    header=st.lists(st.one_of(st.sampled_from(HEADINGS), st.text(max_size=12)), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=8),
    date_format=st.sampled_from(["uk", "us", "iso"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
def test_fuzzed_csv_files_give_a_plan_with_problems_never_an_exception(header, rows, date_format, encoding):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    plan = plan_import(data, date_format=date_format)
    assert isinstance(plan, ImportPlan)
    if not plan.ok:
        assert all(problem.line >= 1 for problem in plan.errors)


@FUZZ
@pytest.mark.django_db
@given(data=st.binary(max_size=2000))
def test_random_bytes_give_a_plan_never_an_exception(data):
    assert isinstance(plan_import(data), ImportPlan)


@FUZZ
@given(text=st.text(max_size=500))
def test_fuzzed_scans_are_read_as_a_device_a_card_a_search_or_unknown(text):
    scan = parse_scan(text)
    assert isinstance(scan, Scan) and scan.kind in {"device", "card", "search", "unknown"}
    assert isinstance(asset_tag_from_scan(text), str)
    assert all(isinstance(tag, str) and tag for tag in parse_tags(text))


def test_a_scan_built_to_backtrack_is_read_at_once():
    with at_most(5):
        assert parse_scan("/d/" + "a" * 50_000 + " ?" * 10_000).kind == "unknown"
        parse_tags(("/d/" + "x/" * 5000 + " ") * 20)
