"""Text-message reminders for borrowers who prefer them, through GOV.UK Notify (a local stand-in)."""

import datetime
import logging

import pytest
from django.core import mail

from lending.models import Borrower, Reminder
from lending.services.reminders import reminders_send_due

SMS = Borrower.ContactBy.SMS


@pytest.fixture
def texted(lendable, make_borrower, issue):
    borrower = make_borrower(name="Sam Texter", phone="07700 900123", email="sam@example.com", contact_by=SMS)
    return issue(lendable(), borrower)


def test_a_borrower_who_prefers_sms_gets_a_text_not_an_email(texted, notify, settings):
    settings.LOAN_DUE_SOON_DAYS = 3
    assert reminders_send_due(today=texted.due_date - datetime.timedelta(days=2)) == 1
    [sms] = notify.sent
    assert (sms.kind, sms.to) == ("sms", "07700 900123")
    assert f"due back on {texted.due_date:%-d %B}" in sms.personalisation["body"]
    assert "Sam" not in sms.personalisation["body"]  # a text can be read over a shoulder: no name
    assert Reminder.objects.filter(loan=texted).count() == 1
    assert mail.outbox == []


def test_each_reminder_still_goes_once(texted, notify):
    today = texted.due_date
    assert reminders_send_due(today=today) == 1
    assert reminders_send_due(today=today) == 0
    assert len(notify.sent) == 1


def test_a_refused_text_is_rolled_back_and_tried_next_run_with_no_personal_data_logged(texted, notify, caplog):
    texted.borrower.phone = "01632 960000"  # a landline: Notify cannot text it
    texted.borrower.save()
    with caplog.at_level(logging.INFO):
        assert reminders_send_due(today=texted.due_date) == 0
    assert Reminder.objects.count() == 0
    assert "01632" not in caplog.text and "Sam" not in caplog.text
    assert f"loan {texted.pk}" in caplog.text


def test_with_sms_off_a_borrower_who_prefers_it_gets_email(texted, settings):
    settings.SMS_BACKEND = "off"
    assert reminders_send_due(today=texted.due_date) == 1
    assert mail.outbox[0].to == ["sam@example.com"]


def test_a_borrower_with_a_phone_and_no_email_is_still_reminded_by_text(lendable, make_borrower, issue, notify):
    loan = issue(lendable(), make_borrower(phone="07700 900999", contact_by=SMS))
    assert reminders_send_due(today=loan.due_date) == 1
    assert notify.sent[0].to == "07700 900999"


def test_email_reminders_through_notify_use_the_generic_template(lendable, borrower, issue, notify, settings):
    loan = issue(lendable(), borrower)
    assert reminders_send_due(today=loan.due_date) == 1
    [email] = notify.sent
    assert (email.kind, email.to, email.template_id) == ("email", "rosa@example.com", settings.NOTIFY_EMAIL_TEMPLATE_ID)
    assert "due back on" in email.personalisation["subject"] and loan.device.asset_tag in email.personalisation["body"]


def test_the_borrower_form_asks_how_to_remind_and_needs_a_mobile_for_texts(client, dina, branch):
    client.force_login(dina)
    url = f"/desk/{branch.code}/borrowers/new/"
    page = client.post(
        url, {"card_number": "20417000001111", "name": "Ann", "postcode": "AN1 1AA", "contact_by": "sms"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Enter a mobile number to send the reminders to" in body
    assert 'value="sms"' in body and "checked" in body.split('value="sms"', 1)[1][:40]
    assert Borrower.objects.count() == 0
    client.post(
        url,
        {
            "card_number": "20417000001111",
            "name": "Ann",
            "postcode": "AN1 1AA",
            "contact_by": "sms",
            "phone": "07700 900555",
        },
    )
    assert Borrower.objects.get().contact_by == SMS
