"""What a label says and where it sits: the finder's line, the whole model, content centred in its cell,
and each QR code encoded once, when its tag is issued."""

import pypdfium2
import pytest

from reuse.labels import pdf as label_pdf
from reuse.models import Device, LabelCode, LabelTemplate, label_url
from reuse.services import labels as label_services
from reuse.services.devices import device_register
from reuse.services.labels import label_items_for_devices, labels_render, preprinted_print
from tests.reuse.labelcheck import assert_codes_in_cells, cell_rect, pdf_text

LONG_MODEL = "Lenovo ThinkPad X1 Carbon Gen 11"
ALL_SIZES = ["L7160", "L7163", "L7162", "L7651", "QL62"]


def _words(pdf: bytes) -> str:
    """The PDF's text with every run of spaces and line breaks as one space (lines may wrap anywhere)."""
    return " ".join(pdf_text(pdf).replace("\xa0", " ").split())


@pytest.fixture
def encodings(monkeypatch):
    """Counts the QR codes encoded for labels."""
    calls: list[str] = []
    real = label_services.label_code_encode

    def counting(url):
        calls.append(url)
        return real(url)

    monkeypatch.setattr(label_services, "label_code_encode", counting)
    return calls


@pytest.mark.parametrize("code", ALL_SIZES)
def test_every_label_says_how_to_return_the_device(code, many_devices, settings):
    settings.COUNCIL_PHONE = "01234 567890"
    template = LabelTemplate.objects.get(code=code)
    many_devices(min(template.per_sheet, 5))
    pdf, _ = labels_render(template=template, items=label_items_for_devices(Device.objects.all()))
    assert _words(pdf).count("Found this? Call 01234 567890") == Device.objects.count()


@pytest.mark.parametrize("code", ["L7160", "L7651", "QL62"])
def test_a_long_model_is_printed_whole(code, many_devices):
    template = LabelTemplate.objects.get(code=code)
    LabelTemplate.objects.filter(pk=template.pk).update(show_type_model=True)
    template.refresh_from_db()
    many_devices(2, kind="laptop", make="Lenovo", model="ThinkPad X1 Carbon Gen 11")
    items = label_items_for_devices(Device.objects.all())
    pdf, _ = labels_render(template=template, items=items)
    assert _words(pdf).count(f"Laptop · {LONG_MODEL}") == 2
    assert "..." not in pdf_text(pdf) and "…" not in pdf_text(pdf)
    assert_codes_in_cells(pdf, template, [item.url for item in items])


def _dark_box(image, rect_mm, dpi):
    """(top, bottom) in mm of the dark pixels inside `rect_mm` (left, top, right, bottom) of the page image."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    left, top, right, bottom = rect_mm
    crop = image.crop((px(left) + 2, px(top) + 2, px(right) - 2, px(bottom) - 2)).point(lambda v: 255 if v < 128 else 0)
    box = crop.getbbox()
    assert box, "the label has something printed on it"
    return (
        top + (box[1] + 2) / dpi * 25.4,
        top + (box[3] + 2) / dpi * 25.4,
        left + (box[0] + 2) / dpi * 25.4,
        left + (box[2] + 2) / dpi * 25.4,
    )


@pytest.mark.parametrize("code", ALL_SIZES)
def test_the_content_is_centred_in_its_cell(code, many_devices):
    template = LabelTemplate.objects.get(code=code)
    many_devices(min(template.per_sheet, 4), make="Lenovo", model="ThinkPad X1 Carbon Gen 11")
    items = label_items_for_devices(Device.objects.all())
    pdf, _ = labels_render(template=template, items=items)
    dpi = 200
    document = pypdfium2.PdfDocument(pdf)
    for position in range(len(items)):
        page = position // template.per_sheet
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil()
        left, top, right, bottom = cell_rect(template, position)
        ink_top, ink_bottom, ink_left, ink_right = _dark_box(image, (left, top, right, bottom), dpi)
        # What is printed is centred, within a module or so (the code's blank quiet zone does not count).
        assert abs((ink_top - top) - (bottom - ink_bottom)) < 1.5, (position, ink_top - top, bottom - ink_bottom)
        assert abs((ink_left - left) - (right - ink_right)) < 1.5, (position, ink_left - left, right - ink_right)
        assert ink_bottom - ink_top > (bottom - top) * 0.6, "the content fills most of the label's height"


def test_a_registered_devices_code_is_encoded_once_when_its_tag_is_issued(
    depot, alice, l7160, encodings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        device = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="Latitude 5490")
    assert encodings == [device.label_url]
    assert LabelCode.objects.filter(url=device.label_url).count() == 1
    for _ in range(2):
        pdf, _ = labels_render(template=l7160, items=label_items_for_devices(Device.objects.all()))
    assert encodings == [device.label_url], "printing reuses the stored code"
    assert_codes_in_cells(pdf, l7160, [device.label_url])


def test_pre_printed_tags_are_encoded_once_when_issued(alice, l7160, encodings):
    result = preprinted_print(count=3, template=l7160, actor=alice)
    assert len(encodings) == 3
    assert LabelCode.objects.count() == 3
    assert_codes_in_cells(result.pdf, l7160, encodings)
    tags = [url.rsplit("/", 1)[1] for url in encodings]
    labels_render(template=l7160, items=[label_pdf.LabelItem(tag=tag, url=label_url(tag)) for tag in tags])
    assert len(encodings) == 3


def test_a_code_is_a_path_of_rectangles_drawn_at_its_size():
    path = label_services.label_code_encode("HTTP://RELAY.EXAMPLE/D/RLY-000123")
    size, ops = path.split(b"\n", 1)
    assert int(size) == 25 + 8  # version 2 with the quiet zone
    assert ops.count(b" re") > 20 and ops[-2:] == b"re"
