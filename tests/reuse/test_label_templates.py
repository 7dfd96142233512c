"""Label sizes are data: seeded with the manufacturers' geometry, and refused when labels would not fit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError
from reuse.labels.geometry import geometry_problems
from reuse.labels.seed import seed_label_templates
from reuse.models import LabelTemplate
from reuse.services.labels import label_template_check, label_template_get

D = Decimal


def test_shipped_sizes_are_seeded_with_the_published_geometry(db):
    l7160 = LabelTemplate.objects.get(code="L7160")
    assert (l7160.columns, l7160.rows, l7160.label_width_mm, l7160.label_height_mm) == (3, 7, D("63.5"), D("38.1"))
    assert (l7160.top_margin_mm, l7160.left_margin_mm) == (D("15.15"), D("7.25"))
    assert (l7160.horizontal_pitch_mm, l7160.vertical_pitch_mm) == (D("66.04"), D("38.1"))
    counts = dict(LabelTemplate.objects.values_list("code", "rows"))
    assert {t.code: t.per_sheet for t in LabelTemplate.objects.all()} == {
        "L7160": 21,
        "L7163": 14,
        "L7162": 16,
        "L7651": 65,
        "QL62": 1,
    }
    assert counts["L7651"] == 13
    assert LabelTemplate.objects.get(code="QL62").is_roll


@pytest.mark.parametrize("code", ["L7160", "L7163", "L7162", "L7651", "QL62"])
def test_every_shipped_size_fits_its_page(code, db):
    template = LabelTemplate.objects.get(code=code)
    assert geometry_problems(template) == []
    template.full_clean()
    label_template_check(template)  # raises DomainError("template_does_not_fit") if it does not fit


def test_centred_sheets_have_equal_margins_on_both_sides(db):
    for code in ("L7163", "L7162", "L7651"):
        t = LabelTemplate.objects.get(code=code)
        right = t.page_width_mm - t.left_margin_mm - (t.columns - 1) * t.horizontal_pitch_mm - t.label_width_mm
        bottom = t.page_height_mm - t.top_margin_mm - (t.rows - 1) * t.vertical_pitch_mm - t.label_height_mm
        assert (right, bottom) == (t.left_margin_mm, t.top_margin_mm), code


def test_seeding_again_adds_nothing_and_keeps_an_administrators_edits(db):
    LabelTemplate.objects.filter(code="L7160").update(top_margin_mm=D("15.50"))
    assert seed_label_templates(LabelTemplate) == 0
    assert LabelTemplate.objects.get(code="L7160").top_margin_mm == D("15.50")
    LabelTemplate.objects.filter(code="L7651").delete()
    assert seed_label_templates(LabelTemplate) == 1


def size(**changes) -> LabelTemplate:
    fields = {
        "code": "TEST",
        "name": "Test",
        "page_width_mm": D(210),
        "page_height_mm": D(297),
        "columns": 3,
        "rows": 7,
        "label_width_mm": D("63.5"),
        "label_height_mm": D("38.1"),
        "top_margin_mm": D("15.15"),
        "left_margin_mm": D("7.25"),
        "horizontal_pitch_mm": D("66.04"),
        "vertical_pitch_mm": D("38.1"),
        "corner_radius_mm": D(2),
        "padding_mm": D(2),
    }
    return LabelTemplate(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"left_margin_mm": D("15")}, "__all__", "past the 210"),
        ({"rows": 8}, "__all__", "past the 297"),
        ({"horizontal_pitch_mm": D("60")}, "horizontal_pitch_mm", "overlap"),
        ({"vertical_pitch_mm": D("30")}, "vertical_pitch_mm", "overlap"),
        ({"corner_radius_mm": D("20")}, "corner_radius_mm", "half"),
        (
            {
                "label_width_mm": D("12"),
                "label_height_mm": D("8"),
                "horizontal_pitch_mm": D("13"),
                "vertical_pitch_mm": D("9"),
            },
            "__all__",
            "do not scan reliably",
        ),
        ({"label_width_mm": D("0")}, "label_width_mm", "more than 0"),
        ({"top_margin_mm": D("-1")}, "top_margin_mm", "negative"),
    ],
)
def test_labels_that_do_not_fit_are_refused(db, changes, field, words):
    with pytest.raises(ValidationError) as caught:
        size(**changes).full_clean()
    assert words in " ".join(caught.value.message_dict[field])


def test_a_template_that_fits_to_the_hundredth_of_a_millimetre_is_accepted(db):
    # 7.25 + 2 x 66.04 + 63.5 = 202.83: a page exactly that wide still fits.
    size(page_width_mm=D("202.83"), page_height_mm=D("281.85")).full_clean()
    with pytest.raises(ValidationError):
        size(page_width_mm=D("202.82")).full_clean()


def test_code_is_normalised_and_checked(db):
    template = size(code=" l7999 ")
    template.full_clean()
    assert template.code == "L7999"
    with pytest.raises(ValidationError) as caught:
        size(code="L7 999").full_clean()
    assert "code" in caught.value.message_dict


def test_a_bad_template_saved_behind_the_admins_back_still_cannot_print(db):
    LabelTemplate.objects.filter(code="L7160").update(rows=9)
    with pytest.raises(DomainError) as caught:
        label_template_check(LabelTemplate.objects.get(code="L7160"))
    assert caught.value.code == "template_does_not_fit"
    assert "past the 297" in caught.value.message


def test_roll_pages_are_as_long_as_a_label_and_its_margins(db):
    roll = size(
        code="ROLL",
        page_width_mm=D(62),
        page_height_mm=None,
        columns=1,
        rows=1,
        label_width_mm=D(58),
        label_height_mm=D(29),
        top_margin_mm=D(1),
        left_margin_mm=D(2),
        horizontal_pitch_mm=D(58),
        vertical_pitch_mm=D(29),
    )
    roll.full_clean()
    assert roll.layout().page_height == 31


def test_unknown_and_retired_sizes_are_refused_by_code(db):
    with pytest.raises(DomainError) as caught:
        label_template_get("L9999")
    assert caught.value.code == "unknown_template"
    assert "L7160" in caught.value.message
    LabelTemplate.objects.filter(code="L7651").update(active=False)
    with pytest.raises(DomainError):
        label_template_get("L7651")
    assert label_template_get("l7160").code == "L7160"
