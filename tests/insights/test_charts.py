"""Server-drawn charts: bars in proportion, gridlines at round numbers (whole ones for counts)."""

from decimal import Decimal

import pytest

from insights.charts import bar_chart, nice_step, row_chart


@pytest.mark.parametrize(
    "value, whole, step",
    [
        (0, True, 1),
        (2, True, 1),
        (3.66, False, 1),
        (7, True, 2),
        (265, False, 100),
        (1000, True, 250),
        (0.3, False, 0.1),
    ],
)
def test_gridline_steps_are_round(value, whole, step):
    assert nice_step(value, whole=whole) == pytest.approx(step)


def test_counts_never_get_fractional_gridlines():
    chart = bar_chart("Devices", [("Jan", 1), ("Feb", 2)])
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3", "4"]


def test_bars_are_in_proportion_and_share_a_baseline():
    chart = bar_chart("kg", [("Jan", Decimal("1.5")), ("Feb", Decimal("3")), ("Mar", None)])
    jan, feb, mar = chart.bars
    assert feb.height == pytest.approx(2 * jan.height) and mar.height == 0
    assert jan.y + jan.height == pytest.approx(chart.baseline) == pytest.approx(feb.y + feb.height)
    assert mar.value == "" and feb.value == "3"


def test_a_year_of_months_labels_every_other_bar():
    chart = bar_chart("Devices", [(f"M{i}", i) for i in range(12)])
    assert [labelled for _bar, labelled in chart.labelled_bars] == [i % 2 == 0 for i in range(12)]


def test_row_chart_scales_to_the_largest():
    chart = row_chart("Loans", [("Central", 10), ("Northgate", 5)])
    assert chart.rows[1].width == pytest.approx(chart.rows[0].width / 2)
    assert chart.height == 8 + 2 * 40 and not chart.empty
    assert row_chart("Loans", []).empty


def test_svg_escapes_every_text_it_draws():
    from insights.charts import row_svg, svg

    drawn = row_svg(row_chart("Loans <per> branch", [('<script>alert("x")</script>', 3)]), "c1")
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn and "Loans &lt;per&gt; branch" in drawn
    bars = svg(bar_chart("Devices & more", [("Jan <26>", 2)]), "c2")
    assert "Devices &amp; more" in bars and "Jan &lt;26&gt;" in bars
    assert bars.startswith('<svg class="relay-chart"') and 'aria-labelledby="c2-title"' in bars
