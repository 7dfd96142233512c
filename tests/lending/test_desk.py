"""The desk pages: scan, issue, refuse with reasons, register, and never put personal data in a URL."""

import datetime
import io
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from core.errors import DomainError
from lending.models import Borrower, ConnectivityItem, Loan
from tests.factories import form_token, make_user, signature_bytes


def scan(desk, text, branch, **state):
    return desk.post(f"/desk/{branch.code}/scan/", {"scan": text, **state})


def test_desk_menu_entry_goes_to_the_only_branch(desk, branch):
    response = desk.get("/desk/")
    assert response.status_code == 302 and response["Location"] == f"/desk/{branch.code}/"


def test_several_branches_get_a_choice(desk, dina, other_branch):
    other_branch.staff.add(dina)
    body = desk.get("/desk/").content.decode()
    assert "Central Library" in body and "Northgate Library" in body


def test_desk_staff_act_only_for_their_own_branches(desk, other_branch):
    assert desk.get(f"/desk/{other_branch.code}/").status_code == 404
    assert desk.post(f"/desk/{other_branch.code}/scan/", {"scan": "RLY-000001"}).status_code == 404


def test_other_roles_cannot_use_the_desk(client, alice, branch):
    client.force_login(alice)
    assert client.get(f"/desk/{branch.code}/").status_code == 403
    assert client.get("/loans/").status_code == 403


@pytest.mark.parametrize("template", ["http://testserver/d/{tag}", "HTTP://RELAY.EXAMPLE/D/{tag}  ", "{lower}"])
def test_scanning_a_label_shows_the_device(desk, lendable, branch, template):
    device = lendable()
    response = scan(desk, template.format(tag=device.asset_tag, lower=device.asset_tag.lower()), branch)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/{branch.code}/?device={device.pk}"
    body = desk.get(response["Location"]).content.decode()
    assert device.serial in body and "Now scan the borrower" in body


def test_scanning_the_card_next_keeps_the_device_and_uses_no_card_number_in_the_url(desk, lendable, borrower, branch):
    device = lendable()
    response = scan(desk, borrower.card_number, branch, device=device.pk)
    assert response["Location"] == f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}"
    assert borrower.card_number not in response["Location"]
    body = desk.get(response["Location"]).content.decode()
    assert "Rosa Clarke" in body and "Issue loan" in body and "terms version 1" in body
    assert borrower.card_number not in body  # masked on screen: ••••9999
    assert "9999" in body


def test_unknown_card_says_so_and_keeps_what_was_entered(desk, lendable, branch):
    device = lendable()
    response = scan(desk, "20417999999999", branch, device=device.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "No borrower has the library card 20417999999999" in body
    assert 'value="20417999999999"' in body
    assert "Register a new borrower with card 20417999999999" in body
    assert device.asset_tag in body  # the device scanned before is still there
    assert "<title>Error:" in body


def test_unknown_tag_says_so(desk, branch):
    body = scan(desk, "http://testserver/d/RLY-999999", branch).content.decode()
    assert "No device has the tag RLY-999999" in body
    assert 'value="http://testserver/d/RLY-999999"' in body


def test_neither_tag_nor_card(desk, branch):
    body = scan(desk, "1234", branch).content.decode()
    assert "not a device label, a library card number or a name" in body


@pytest.mark.parametrize(
    ("build", "code", "words"),
    [
        ("unwiped", "not_sanitised", "data-wipe check"),
        ("elsewhere", "not_at_branch", "Civic Centre IT Depot"),
    ],
)
def test_device_that_may_not_be_lent_is_refused_with_the_reason(
    desk, make_device, ready_device, borrower, branch, build, code, words
):
    device = make_device(site=branch) if build == "unwiped" else ready_device()
    body = desk.get(f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}").content.decode()
    assert f'data-problem="{code}"' in body and words in body
    assert "Issue loan" not in body


def issue_form(desk, device, borrower, branch):
    body = desk.get(f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}").content.decode()
    token = form_token(body)
    return {
        "device": device.pk,
        "borrower": str(borrower.key),
        "token": token,
        "signature_method": "paper",
        "agreed": "on",
    }


def test_issue_without_javascript_signed_on_paper(desk, lendable, borrower, branch, dina):
    device = lendable()
    form = issue_form(desk, device, borrower, branch)
    response = desk.post(f"/desk/{branch.code}/issue/", form)
    loan = Loan.objects.get()
    assert response["Location"] == f"/loans/{loan.pk}/"
    assert (loan.borrower, loan.issued_by, loan.signature_method) == (borrower, dina, "paper")
    device.refresh_from_db()
    assert device.status == "on_loan"


def test_double_submit_makes_one_loan(desk, lendable, borrower, branch):
    device = lendable()
    form = issue_form(desk, device, borrower, branch)
    first = desk.post(f"/desk/{branch.code}/issue/", form)
    second = desk.post(f"/desk/{branch.code}/issue/", form)
    assert first["Location"] == second["Location"]
    assert Loan.objects.count() == 1


def test_second_desk_gets_a_plain_message(desk, lendable, borrower, make_borrower, branch):
    device = lendable()
    form_a = issue_form(desk, device, borrower, branch)
    form_b = issue_form(desk, device, make_borrower(), branch)
    desk.post(f"/desk/{branch.code}/issue/", form_a)
    response = desk.post(f"/desk/{branch.code}/issue/", form_b, follow=True)
    body = response.content.decode()
    assert "already on loan" in body
    assert Loan.objects.count() == 1


def test_drawn_signature_is_stored(desk, lendable, borrower, branch):
    import base64

    form = issue_form(desk, lendable(), borrower, branch)
    form.update(
        signature_method="drawn", signature_data="data:image/png;base64," + base64.b64encode(signature_bytes()).decode()
    )
    desk.post(f"/desk/{branch.code}/issue/", form)
    assert bytes(Loan.objects.get().signature_png) == signature_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "The signature box is empty"),
        ("data:image/png;base64,bm90IGEgcG5n", "damaged"),
        ("data:image/gif;base64,R0lGODlh", "did not arrive as an image"),
    ],
)
def test_bad_or_empty_signature_is_refused(desk, lendable, borrower, branch, data, message):
    import base64

    if data == "":
        blank = io.BytesIO()
        from PIL import Image

        Image.new("RGB", (600, 200), "white").save(blank, format="PNG")
        data = "data:image/png;base64," + base64.b64encode(blank.getvalue()).decode()
    form = issue_form(desk, lendable(), borrower, branch)
    form.update(signature_method="drawn", signature_data=data)
    response = desk.post(f"/desk/{branch.code}/issue/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Loan.objects.exists()


def test_agreeing_is_required(desk, lendable, borrower, branch):
    form = issue_form(desk, lendable(), borrower, branch)
    del form["agreed"]
    body = desk.post(f"/desk/{branch.code}/issue/", form).content.decode()
    assert "Confirm that the borrower agrees to the terms" in body
    assert not Loan.objects.exists()


def test_issuing_emails_the_agreement_pdf(desk, lendable, borrower, branch, django_capture_on_commit_callbacks):
    device = lendable()
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/desk/{branch.code}/issue/", issue_form(desk, device, borrower, branch))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.com"]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and device.asset_tag in name and "Rosa" not in name
    assert "Rosa Clarke" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_register_a_borrower_from_an_unknown_card(desk, lendable, branch):
    device = lendable()
    start = desk.post(
        f"/desk/{branch.code}/borrowers/new/",
        {"start": "1", "card_number": "20417555555555", "device": device.pk},
        follow=True,
    )
    # Post, redirect, get: the card waits in the session, never in the URL; Back leaves no resubmission.
    assert start.redirect_chain == [(f"/desk/{branch.code}/borrowers/new/?device={device.pk}", 302)]
    assert 'value="20417555555555"' in start.content.decode() and "There is a problem" not in start.content.decode()
    response = desk.post(
        f"/desk/{branch.code}/borrowers/new/",
        {
            "card_number": "2041 7555 5555 55",
            "name": "Joan Newcomer",
            "postcode": "an3 4bd",
            "phone": "07700 900321",
            "device": device.pk,
        },
    )
    borrower = Borrower.objects.get()
    assert (borrower.card_number, borrower.postcode) == ("20417555555555", "AN3 4BD")
    assert response["Location"] == f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}"


def test_registration_refuses_a_bad_or_taken_card(desk, borrower, branch):
    body = desk.post(
        f"/desk/{branch.code}/borrowers/new/", {"card_number": "12", "name": "X", "postcode": "AN1 1AA"}
    ).content.decode()
    assert "Enter the library card number as it is printed" in body
    body = desk.post(
        f"/desk/{branch.code}/borrowers/new/", {"card_number": borrower.card_number, "name": "X", "postcode": "AN1 1AA"}
    ).content.decode()
    assert "already registered" in body
    assert Borrower.objects.count() == 1


def test_loan_page_renew_and_return(desk, lendable, borrower, issue, branch):
    device = lendable(has_charger=True)
    loan = issue(device, borrower)
    page = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert "Renew" in page and "Take it back" in page
    desk.post(f"/loans/{loan.pk}/renew/", {"token": form_token(page)})
    loan.refresh_from_db()
    assert loan.renewals == 1
    form = desk.get(f"/loans/{loan.pk}/return/").content.decode()
    assert 'value="Charger"' in form
    desk.post(
        f"/loans/{loan.pk}/return/",
        {"branch": branch.pk, "missing": ["Charger"], "condition_notes": "Fine", "token": form_token(form)},
    )
    loan.refresh_from_db()
    device.refresh_from_db()
    assert (loan.outcome, loan.missing_accessories, device.status) == ("returned", ["Charger"], "received")


def test_device_page_shows_a_returned_device_needs_a_wipe(desk, client, lendable, borrower, issue, branch, dina, alice):
    from lending.services.loans import loan_return

    device = lendable()
    loan_return(loan=issue(device, borrower), actor=dina, site=branch)
    client.force_login(alice)
    body = client.get(device.get_absolute_url()).content.decode()
    assert "data-needs-wipe" in body and "Needs a wipe" in body
    assert "Rosa" not in body  # IT see the loan, not the borrower


def test_any_desk_may_take_a_return_but_only_see_its_own_loans(client, lendable, borrower, issue, other_branch):
    loan = issue(lendable(), borrower)
    elsewhere = make_user("nell", "Library desk", [other_branch])
    client.force_login(elsewhere)
    assert client.get(f"/loans/{loan.pk}/").status_code == 404
    form = client.get(f"/loans/{loan.pk}/return/").content.decode()
    client.post(f"/loans/{loan.pk}/return/", {"branch": other_branch.pk, "token": form_token(form)})
    loan.refresh_from_db()
    assert loan.closed_site == other_branch


def test_report_lost(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    body = desk.post(f"/loans/{loan.pk}/lost/", {}).content.decode()
    assert "Confirm that the borrower reported it lost" in body
    desk.post(f"/loans/{loan.pk}/lost/", {"confirm": "on", "notes": "Stolen"})
    loan.device.refresh_from_db()
    assert loan.device.status == "lost"


def test_agreement_download(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    response = desk.get(f"/loans/{loan.pk}/agreement.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and loan.device.asset_tag in response["Content-Disposition"]
    assert "Rosa Clarke" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_loan_list_filters_and_query_budget(
    desk, lendable, make_borrower, issue, branch, dina, django_assert_max_num_queries
):
    loans = [issue(lendable(), make_borrower()) for _ in range(6)]
    from lending.services.loans import loan_return

    loan_return(loan=loans[0], actor=dina, site=branch)
    with django_assert_max_num_queries(8):
        body = desk.get("/loans/").content.decode()
    assert "5 loans" in body
    assert "6 loans" in desk.get("/loans/?state=").content.decode()
    body = desk.get("/loans/?state=returned").content.decode()
    assert "1 loan" in body and loans[0].device.asset_tag in body
    assert "1 loan" in desk.get(f"/loans/?state=&tag={loans[3].device.asset_tag.lower()}").content.decode()


def test_desk_home_panels(desk, lendable, make_borrower, issue, branch, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    overdue = issue(lendable(), make_borrower(name="Olive Overdue"))
    Loan.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    today = issue(lendable(), make_borrower(name="Toby Today"))
    Loan.objects.filter(pk=today.pk).update(due_date=timezone.localdate())
    shelf = lendable()
    with django_assert_max_num_queries(16):
        body = desk.get(f"/desk/{branch.code}/").content.decode()
    assert "Olive Overdue" in body and "3 days late" in body
    assert "Toby Today" in body
    assert shelf.asset_tag in body and "1 laptop" in body


def test_hold_from_the_desk(desk, make_borrower, branch):
    person = make_borrower()
    response = desk.post(f"/desk/{branch.code}/borrowers/{person.key}/hold/", {"device_kind": "tablet"})
    assert response.status_code == 302
    assert person.holds.get().device_kind == "tablet"


def test_unknown_ids_in_the_desk_url_are_ignored(desk, branch, lendable):
    """A stale or mangled address shows the desk as if nothing had been scanned: the scan box and the panels."""
    shelf = lendable()
    response = desk.get(f"/desk/{branch.code}/?device=abc&borrower=99999")
    assert response.status_code == 200
    assert (response.context["device"], response.context["borrower"]) == (None, None)
    body = response.content.decode()
    assert 'data-scan-box=""' in body
    assert 'id="due-today"' in body and 'id="ready"' in body and shelf.asset_tag in body
    assert '<h2 class="govuk-heading-m">Borrower</h2>' not in body and "Issue loan" not in body


def test_issue_posts_a_fresh_token_each_time(desk, lendable, borrower, branch):
    device = lendable()
    first = issue_form(desk, device, borrower, branch)["token"]
    second = issue_form(desk, device, borrower, branch)["token"]
    assert first != second and uuid.UUID(first)


def test_the_desk_offers_exactly_the_connectivity_the_loan_service_accepts(
    desk, lendable, borrower, branch, issue, make_borrower
):
    """An expired SIM was offered at the desk and then refused by `loan_issue`: one definition now decides both."""
    today = timezone.localdate()
    expired = ConnectivityItem.objects.create(
        kind="sim",
        identifier="8944000000000000001",
        allowance="20 GB",
        site=branch,
        expires_on=today - datetime.timedelta(days=1),
    )
    last_day = ConnectivityItem.objects.create(
        kind="sim", identifier="8944000000000000002", allowance="20 GB", site=branch, expires_on=today
    )
    out = ConnectivityItem.objects.create(kind="voucher", identifier="DV-OUT", allowance="15 GB", site=branch)
    retired = ConnectivityItem.objects.create(
        kind="voucher", identifier="DV-GONE", allowance="15 GB", site=branch, retired=True
    )
    issue(lendable(), make_borrower(), connectivity=[out])
    device = lendable()
    body = desk.get(f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}").content.decode()
    offered = set(re.findall(r'name="connectivity" type="checkbox" value="(\d+)"', body))
    assert offered == {str(last_day.pk)}
    for refused in (expired, out, retired):
        with pytest.raises(DomainError) as error:
            issue(device, borrower, connectivity=[refused])
        assert error.value.code == "connectivity_unavailable"
    form = {**issue_form(desk, device, borrower, branch), "connectivity": [expired.pk]}
    response = desk.post(f"/desk/{branch.code}/issue/", form)
    assert response.status_code == 200 and response.context["form"].errors["connectivity"]
    assert not Loan.objects.filter(device=device).exists()
    loan = issue(device, borrower, connectivity=[last_day])
    assert [link.item for link in loan.connectivity.all()] == [last_day]


def test_loans_filter_state_any_includes_returned_and_lost_loans(desk, lendable, make_borrower, issue, branch, dina):
    from lending.services.loans import loan_mark_lost, loan_return

    returned = loan_return(loan=issue(lendable(), make_borrower()), actor=dina, site=branch)
    lost = loan_mark_lost(loan=issue(lendable(), make_borrower()), actor=dina, site=branch)
    open_loan = issue(lendable(), make_borrower())
    body = desk.get("/loans/", {"state": "", "site": "", "kind": "", "tag": ""}).content.decode()
    assert "3 loans" in body
    for loan in (returned, lost, open_loan):
        assert f'href="/loans/{loan.pk}/"' in body
    assert "1 loan<" in desk.get("/loans/").content.decode()  # the first visit: what is out now
