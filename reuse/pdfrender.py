"""HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint may only read `data:` URIs and Relay's own static files. It never fetches over the
network, so a template cannot leak data to, or wait on, another server.
"""

import io
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/static/"


class FetchRefused(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = url.removeprefix("file://")
        if path.startswith(STATIC_PREFIX):
            found = finders.find(path.removeprefix(STATIC_PREFIX))
            if found:
                found_path = Path(found)
                mime = mimetypes.guess_type(found_path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, found_path.read_bytes(), {"Content-Type": mime})
        raise FetchRefused(f"PDF rendering may not fetch {url[:80]!r}")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="file:///", url_fetcher=SafeURLFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))


def join_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF holding the pages of `pdfs` in order (batches rendered in parts, or in parallel)."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
