"""The signed loan agreement PDF, read back."""

import datetime
import io

from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from lending.models import AgreementVersion, ConnectivityItem
from lending.pdf import agreement_filename, build_loan_agreement
from tests.factories import signature_bytes


def read(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_agreement_names_the_device_borrower_dates_terms_and_staff(lendable, borrower, issue, branch):
    AgreementVersion.objects.create(title="Device loan agreement", body="Bring it back.\n\nLook after it.")
    sim = ConnectivityItem.objects.create(
        kind="sim",
        identifier="8944100000000000077",
        provider="Vodafone",
        allowance="20 GB a month",
        site=branch,
        expires_on=timezone.localdate() + datetime.timedelta(days=100),
    )
    device = lendable(serial="SN-PDF-4242", has_charger=True)
    loan = issue(
        device,
        borrower,
        signature_method="drawn",
        signature_png=signature_bytes(),
        connectivity=[sim],
        extra_accessories=["Mouse"],
    )
    text, reader = read(build_loan_agreement(loan))
    flat = " ".join(text.split())  # a long date may wrap onto the next line of its cell
    for expected in (
        "Rosa Clarke",
        borrower.masked_card,
        device.asset_tag,
        "SN-PDF-4242",
        "Dell Latitude 5490",
        f"{loan.due_date:%-d %B %Y}",
        "terms version 2",
        "Bring it back.",
        "Look after it.",
        "Charger, Mouse",
        "8944100000000000077",
        "20 GB a month",
        "Dina",
        "Central Library",
        "Signed by Rosa Clarke",
    ):
        assert expected in flat, expected
    # The card is masked as on screen: whoever holds the emailed PDF cannot use the card.
    assert borrower.card_number not in flat and borrower.card_number not in flat.replace(" ", "")
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    signature = Image.open(io.BytesIO(images[0].data))
    assert signature.size == (600, 200)


def test_signed_on_paper_leaves_a_line_and_no_image(lendable, borrower, issue):
    loan = issue(lendable(), borrower, signature_method="paper")
    text, reader = read(build_loan_agreement(loan))
    assert "Signed on paper" in text
    assert not [image for page in reader.pages for image in page.images]


def test_read_aloud_is_recorded(lendable, borrower, issue):
    loan = issue(lendable(), borrower, signature_method="read_aloud")
    text, _ = read(build_loan_agreement(loan))
    assert "Read aloud and agreed" in text and "read these terms to Rosa Clarke" in text


def test_file_name_carries_no_personal_data(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    name = agreement_filename(loan)
    assert loan.device.asset_tag in name
    assert "Rosa" not in name and borrower.card_number not in name
