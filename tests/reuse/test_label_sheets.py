"""Label sheets read back by an independent decoder: every code decodes to its device, inside its cell."""

from decimal import Decimal

import pytest

from reuse.labels.pdf import LabelItem
from reuse.models import LabelCode, LabelTemplate, label_url
from reuse.services.labels import label_items_for_devices, labels_render
from tests.reuse.labelcheck import assert_codes_in_cells, page_sizes_mm, pdf_text


def test_two_sheets_on_l7160_with_skip_and_printer_offsets(many_devices, l7160, depot_printer):
    devices = many_devices(30)
    items = label_items_for_devices(type(devices[0]).objects.all())
    pdf, sheets = labels_render(template=l7160, items=items, skip=5, printer=depot_printer)
    assert sheets == 2
    assert [tuple(round(v) for v in size) for size in page_sizes_mm(pdf)] == [(210, 297), (210, 297)]
    assert_codes_in_cells(
        pdf,
        l7160,
        [d.label_url for d in sorted(devices, key=lambda d: d.asset_tag)],
        skip=5,
        offset_x=Decimal("1.50"),
        offset_y=Decimal("-1.00"),
    )


def test_labels_show_tag_service_and_model(many_devices, l7160, settings):
    settings.SERVICE_NAME = "Anytown Device Bank"
    devices = many_devices(2)
    pdf, _ = labels_render(template=l7160, items=label_items_for_devices(type(devices[0]).objects.all()))
    text = pdf_text(pdf)
    for device in devices:
        assert device.asset_tag in text
    assert "Anytown Device Bank" in text
    assert "Anytown Borough Council" in text
    assert "Laptop · Dell Latitude 5490" in text


def test_qr_holds_the_permanent_upper_case_label_url(many_devices, l7160, settings):
    settings.SITE_URL = "https://relay.anytown.gov.uk"
    device = many_devices(1)[0]
    pdf, _ = labels_render(template=l7160, items=label_items_for_devices(type(device).objects.all()))
    codes = assert_codes_in_cells(pdf, l7160, [f"https://relay.anytown.gov.uk/d/{device.asset_tag}"])
    assert codes[0].text.endswith(device.asset_tag.upper())


@pytest.mark.parametrize("code", ["L7160", "L7163", "L7162", "L7651"])
def test_every_seeded_sheet_prints_a_full_sheet_that_scans(code, many_devices, db):
    template = LabelTemplate.objects.get(code=code)
    many_devices(template.per_sheet)
    items = label_items_for_devices(_all_devices())
    pdf, sheets = labels_render(template=template, items=items)
    assert sheets == 1
    assert_codes_in_cells(pdf, template, [item.url for item in items])


def _all_devices():
    from reuse.models import Device

    return Device.objects.all()


def test_continuous_roll_gives_one_page_per_label(many_devices, db):
    roll = LabelTemplate.objects.get(code="QL62")
    many_devices(3)
    items = label_items_for_devices(_all_devices())
    pdf, sheets = labels_render(template=roll, items=items)
    assert sheets == 3
    assert [tuple(round(v) for v in size) for size in page_sizes_mm(pdf)] == [(62, 29)] * 3
    assert_codes_in_cells(pdf, roll, [item.url for item in items])


def test_a_new_tall_label_size_puts_the_code_above_the_text(many_devices, db):
    square = LabelTemplate.objects.create(
        code="SQ50",
        name="50 mm squares",
        page_width_mm=210,
        page_height_mm=297,
        columns=4,
        rows=5,
        label_width_mm=45,
        label_height_mm=50,
        top_margin_mm=10,
        left_margin_mm=10,
        horizontal_pitch_mm=48,
        vertical_pitch_mm=55,
        show_type_model=True,
    )
    square.full_clean()
    assert not square.layout().beside
    many_devices(7)
    items = label_items_for_devices(_all_devices())
    pdf, _ = labels_render(template=square, items=items, skip=3)
    assert_codes_in_cells(pdf, square, [item.url for item in items], skip=3)
    assert items[0].tag in pdf_text(pdf)


def test_each_code_is_encoded_once_and_kept(l7160, db):
    items = [LabelItem(tag=f"RLY-9{n:05d}", url=label_url(f"RLY-9{n:05d}")) for n in range(3)]
    labels_render(template=l7160, items=items)
    assert LabelCode.objects.count() == 3
    cached = {code.url: bytes(code.path) for code in LabelCode.objects.all()}
    labels_render(template=l7160, items=items)
    assert LabelCode.objects.count() == 3
    assert {code.url: bytes(code.path) for code in LabelCode.objects.all()} == cached


def test_a_new_site_url_encodes_new_codes(l7160, settings, db):
    item = lambda: LabelItem(tag="RLY-900001", url=label_url("RLY-900001"))  # noqa: E731
    labels_render(template=l7160, items=[item()])
    settings.SITE_URL = "https://relay.example.org"
    pdf, _ = labels_render(template=l7160, items=[item()])
    assert LabelCode.objects.count() == 2
    assert_codes_in_cells(pdf, l7160, ["https://relay.example.org/d/RLY-900001"])


def test_calibration_outlines_sit_on_the_cells_after_printer_offsets(l7160, depot_printer):
    import pypdfium2

    from reuse.services.labels import calibration_render
    from tests.reuse.labelcheck import cell_rect

    pdf = calibration_render(template=l7160, printer=depot_printer)
    dpi = 400
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=dpi / 72, grayscale=True).to_pil()
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731

    def dark(x_mm, y_mm):
        return image.getpixel((px(x_mm), px(y_mm))) < 128

    for position in range(l7160.per_sheet):
        left, top, right, bottom = cell_rect(l7160, position, depot_printer.offset_x_mm, depot_printer.offset_y_mm)
        middle_y, middle_x = (top + bottom) / 2, (left + right) / 2
        # The 0.2 mm outline lies just inside each edge; half a millimetre outside is blank paper.
        assert dark(left + 0.1, middle_y) and dark(right - 0.1, middle_y), position
        assert dark(middle_x + 2, top + 0.1) and dark(middle_x + 2, bottom - 0.1), position
        assert not dark(left - 0.5, middle_y) and not dark(middle_x + 2, top - 0.5), position
        # The crosshair marks the centre.
        assert dark(middle_x, middle_y) and dark(middle_x + 3, middle_y) and dark(middle_x, middle_y + 3)


def test_pdf_renderer_serves_only_the_images_it_was_handed():
    from core.pdf import FetchRefused, SafeURLFetcher

    fetcher = SafeURLFetcher({"memory:qr/0": b"\x89PNG..."})
    assert fetcher.fetch("memory:qr/0").content_type == "image/png"
    with pytest.raises(FetchRefused):
        fetcher.fetch("memory:qr/1")
