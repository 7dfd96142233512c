"""A borrower's subject-access export (JSON and a readable PDF) with their loans and the log of who looked
at their record, and erasure on request (refused while a loan is open); both reached from the borrower's
page by desk staff, both logged."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import AccessAction
from core.privacy import accesses_of, log_access
from lending.models import Borrower, Hold
from lending.services.holds import hold_place
from lending.services.loans import loan_return


@pytest.fixture
def lent(lendable, borrower, issue):
    return issue(lendable(serial="SAR-1"), borrower)


def test_desk_staff_reach_both_actions_from_the_borrower_s_page(client, dina, borrower):
    client.force_login(dina)
    page = client.get(borrower.get_absolute_url()).content.decode()
    for name in ("borrower-export-pdf", "borrower-export-json", "borrower-erase"):
        assert reverse(f"lending:{name}", args=[borrower.key]) in page


def test_the_json_export_holds_their_details_loans_and_who_looked(client, dina, carl, borrower, lent):
    log_access(actor=carl, subject=borrower, what="full record")
    client.force_login(dina)
    response = client.get(reverse("lending:borrower-export-json", args=[borrower.key]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{borrower.pk}.json"'
    data = json.loads(response.content)
    assert data["borrower"]["name"] == "Rosa Clarke" and data["borrower"]["library_card"] == "20417000009999"
    assert [loan["device"] for loan in data["loans"]] == [lent.device.asset_tag]
    assert {"by": "Carl", "action": "Viewed", "what": "full record"}.items() <= data["accesses"][-1].items()
    assert accesses_of(borrower).filter(action=AccessAction.EXPORT, actor=dina).count() == 1


def test_the_pdf_export_reads_as_what_we_hold(client, dina, borrower, lent):
    client.force_login(dina)
    response = client.get(reverse("lending:borrower-export-pdf", args=[borrower.key]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "What we hold about you",
        "Rosa Clarke",
        "20417000009999",
        lent.device.asset_tag,
        "Who has looked at your record",
        "Exported",
    ):
        assert expected in text, expected


def test_other_roles_cannot_export_or_erase(client, alice, carl, borrower):
    for user in (alice, carl):
        client.force_login(user)
        assert client.get(reverse("lending:borrower-export-json", args=[borrower.key])).status_code == 403
        assert client.post(reverse("lending:borrower-erase", args=[borrower.key])).status_code == 403
    borrower.refresh_from_db()
    assert not borrower.is_anonymised


def test_erasure_is_refused_while_a_loan_is_open_then_done_after_the_return(client, dina, borrower, lent, branch):
    client.force_login(dina)
    url = reverse("lending:borrower-erase", args=[borrower.key])
    refused = client.post(url)
    assert refused.status_code == 400
    assert (
        "They have a device on loan" in refused.content.decode() and lent.device.asset_tag in refused.content.decode()
    )
    borrower.refresh_from_db()
    assert borrower.name == "Rosa Clarke"

    loan_return(loan=lent, actor=dina, site=branch)
    hold = hold_place(borrower=borrower, site=branch, device_kind="tablet", actor=dina)
    response = client.post(url)
    assert response.status_code == 302
    borrower.refresh_from_db()
    assert borrower.is_anonymised and borrower.email == "" and borrower.card_number == f"ANON-{borrower.pk}"
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.CANCELLED
    assert accesses_of(borrower).filter(action=AccessAction.ERASE, actor=dina).count() == 1
    assert client.post(url).status_code == 200  # a second click changes nothing
    assert Borrower.objects.filter(pk=borrower.pk, anonymised_at=borrower.anonymised_at).exists()
