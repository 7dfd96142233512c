"""HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint may only read `data:` URIs, Relay's own static files and images handed to it in memory
(`memory:` URLs). It never fetches over the network, so a template cannot leak data to, or wait
on, another server.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/static/"
MEMORY_PREFIX = "memory:"


class FetchRefused(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    def __init__(self, images: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.images = images or {}

    def fetch(self, url, headers=None):
        if url.startswith(MEMORY_PREFIX) and url in self.images:
            return URLFetcherResponse(url, self.images[url], {"Content-Type": "image/png"})
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


def html_to_pdf(html: str, images: dict[str, bytes] | None = None) -> bytes:
    """PDF bytes for `html`. `images` maps `memory:...` URLs used in it to PNG bytes.

    Many small images (a sheet of QR codes) are quicker handed over this way than as `data:` URIs,
    which the HTML parser would have to read through character by character.
    """
    return HTML(string=html, base_url="file:///", url_fetcher=SafeURLFetcher(images)).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
