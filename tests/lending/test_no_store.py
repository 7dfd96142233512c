"""No page showing personal data may be kept by a browser or proxy: Cache-Control: no-store on them all."""

from lending.services.loans import loan_return


def test_pages_with_personal_data_say_no_store(desk, lendable, borrower, issue, branch, dina):
    returned = loan_return(loan=issue(lendable(), borrower), actor=dina, site=branch)
    loan = issue(lendable(), borrower)
    urls = [
        "/",
        f"/desk/{branch.code}/",
        f"/desk/{branch.code}/?device={loan.device.pk}&borrower={borrower.key}",
        "/loans/",
        f"/loans/{loan.pk}/",
        f"/loans/{loan.pk}/return/",
        f"/loans/{loan.pk}/agreement.pdf",
        f"/loans/{loan.pk}/slip-receipt.pdf",
        f"/loans/{returned.pk}/slip-a4.pdf",
        "/borrowers/",
        "/borrowers/search/",
        borrower.get_absolute_url(),
        f"/borrowers/{borrower.key}/edit/",
        f"/desk/{branch.code}/borrowers/{borrower.key}/hold/",
        "/holds/",
        f"/privacy/borrowers/{borrower.key}/export.json",
        f"/privacy/borrowers/{borrower.key}/erase/",
    ]
    for url in urls:
        response = desk.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
