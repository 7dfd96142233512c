"""Lending builders: borrowers, devices ready at a branch, a drawn signature, a loan issued at the desk."""

import io
import uuid

import pytest
from PIL import Image, ImageDraw

from lending.models import Borrower
from lending.services.loans import loan_issue
from reuse.services.lifecycle import device_move


def signature_bytes() -> bytes:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(40, 150), (120, 50), (200, 150), (280, 50), (360, 150)], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def make_borrower(db):
    counter = iter(range(1, 10_000))

    def build(**fields):
        n = next(counter)
        fields.setdefault("card_number", f"2041700000{n:04d}")
        fields.setdefault("name", f"Rosa Borrower{n}")
        fields.setdefault("postcode", "AN1 2AB")
        return Borrower.objects.create(**fields)

    return build


@pytest.fixture
def borrower(make_borrower):
    return make_borrower(name="Rosa Clarke", email="rosa@example.com", card_number="20417000009999")


@pytest.fixture
def lendable(ready_device, branch, alice):
    """A device wiped, ready and moved to Central Library."""

    def build(**fields):
        device = ready_device(**fields)
        device_move(device=device, site=branch, actor=alice, reason="To the branch")
        device.refresh_from_db()
        return device

    return build


@pytest.fixture
def issue(branch, dina):
    def run(device, borrower, **kwargs):
        kwargs.setdefault("site", branch)
        kwargs.setdefault("actor", dina)
        kwargs.setdefault("idempotency_key", uuid.uuid4())
        kwargs.setdefault("signature_method", "paper")
        return loan_issue(device=device, borrower=borrower, **kwargs)

    return run
