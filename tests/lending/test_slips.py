"""The slips the desk prints at issue and at return, read back from the PDF."""

import io

from pypdf import PdfReader

from lending.services.loans import loan_return

MM = 72 / 25.4


def read(response):
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, reader.pages[0].mediabox


def test_issue_slip_on_the_receipt_printer(desk, lendable, borrower, issue, branch, settings):
    loan = issue(lendable(), borrower)
    response = desk.get(f"/loans/{loan.pk}/slip-receipt.pdf")
    assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    text, box = read(response)
    assert round(float(box.width) / MM) == 80
    for expected in (
        loan.device.asset_tag,
        f"Due back {loan.due_date:%A %-d %B %Y}",
        "How to return it",
        "Monday, Tuesday, Wednesday, Thursday, Friday, Saturday",  # Central Library's opening days
        settings.COUNCIL_PHONE,
        borrower.masked_card,
    ):
        assert expected in text, expected
    assert borrower.card_number not in text.replace(" ", "")
    assert "Rosa" not in text and "rosa@example.com" not in text


def test_return_slip_in_a4(desk, lendable, borrower, issue, branch, dina):
    loan = loan_return(loan=issue(lendable(), borrower), actor=dina, site=branch)
    text, box = read(desk.get(f"/loans/{loan.pk}/slip-a4.pdf"))
    assert round(float(box.width) / MM) == 210 and round(float(box.height) / MM) == 297
    assert f"Returned {loan.closed_at:%-d %B %Y}" in text and loan.device.asset_tag in text
    assert "Due back" not in text and borrower.card_number not in text.replace(" ", "")


def test_no_slip_in_another_layout_or_for_another_branchs_loan(client, desk, lendable, borrower, issue, other_branch):
    from tests.factories import make_user

    loan = issue(lendable(), borrower)
    assert desk.get(f"/loans/{loan.pk}/slip-letter.pdf").status_code == 404
    client.force_login(make_user("nell", "Library desk", [other_branch]))
    assert client.get(f"/loans/{loan.pk}/slip-receipt.pdf").status_code == 404


def test_the_loan_page_links_the_issue_slip(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    page = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert (
        "Loan slip" in page and f"/loans/{loan.pk}/slip-receipt.pdf" in page and f"/loans/{loan.pk}/slip-a4.pdf" in page
    )
