import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from core.pdf import FetchRefused, SafeURLFetcher, html_to_pdf
from core.qr import qr_data_uri, qr_matrix_png


def test_qr_png_decodes_back_to_the_url():
    png = qr_matrix_png("HTTP://RELAY.EXAMPLE/D/RLY-000123")
    image = Image.open(io.BytesIO(png))
    assert image.mode == "1"
    big = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
    assert [r.text for r in zxingcpp.read_barcodes(big)] == ["HTTP://RELAY.EXAMPLE/D/RLY-000123"]


def test_pdf_renders_embedded_qr_and_text():
    html = f"""<html><body><p>Asset RLY-000123</p>
    <img src="{qr_data_uri("HTTP://X/D/RLY-000123")}" style="width:30mm;image-rendering:pixelated"></body></html>"""
    pdf = html_to_pdf(html)
    assert "Asset RLY-000123" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=4).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(page)] == ["HTTP://X/D/RLY-000123"]


@pytest.mark.parametrize("url", ["http://example.com/x.png", "https://example.com/a.css", "file:///etc/passwd"])
def test_pdf_renderer_never_fetches_outside(url):
    with pytest.raises(FetchRefused):
        SafeURLFetcher().fetch(url)


def test_pdf_renderer_reads_own_static_files():
    response = SafeURLFetcher().fetch("file:///static/build/relay.css")
    assert response.content_type == "text/css"


def test_pdf_with_an_outside_image_still_renders_without_fetching_it():
    pdf = html_to_pdf('<p>Hello</p><img src="http://example.com/tracker.png">')
    assert "Hello" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
