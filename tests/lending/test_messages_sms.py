"""Every message lending sends a borrower goes the way they prefer: a text when they chose texts and have
a phone number (through a local stand-in for GOV.UK Notify), an email otherwise; the signed agreement, a
PDF, always by email or not at all."""

import logging

import pytest
from django.core import mail

from lending.models import Borrower, Hold
from lending.services.holds import hold_place
from lending.services.reminders import reminders_send_due
from reuse.services.lifecycle import device_move

SMS = Borrower.ContactBy.SMS


@pytest.fixture
def hold_for(make_borrower, branch, dina, ready_device, alice, django_capture_on_commit_callbacks):
    """`hold_for(**borrower)`: a borrower waiting for a laptop at Central, then a ready laptop arriving
    there (what happens after commit run, the hold-ready message among it)."""

    def build(**fields):
        hold = hold_place(borrower=make_borrower(**fields), site=branch, device_kind="laptop", actor=dina)
        device = ready_device()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            device_move(device=device, site=branch, actor=alice, reason="To the branch")
        hold.refresh_from_db()
        return hold, callbacks

    return build


def test_the_hold_ready_message_is_a_text_for_a_borrower_who_prefers_texts(hold_for, notify):
    hold, _callbacks = hold_for(name="Sam Texter", phone="07700 900123", email="sam@example.com", contact_by=SMS)
    assert hold.status == Hold.Status.OFFERED and hold.notified_at is not None
    [sms] = notify.sent
    assert (sms.kind, sms.to) == ("sms", "07700 900123")
    body = sms.personalisation["body"]
    assert "laptop you asked for is ready to collect from Central Library" in body
    assert f"{hold.collect_by:%-d %B}" in body and "Sam" not in body
    assert mail.outbox == []


def test_the_hold_ready_message_is_an_email_otherwise(hold_for, notify, settings):
    hold, _callbacks = hold_for(name="Eve Mailer", phone="07700 900124", email="eve@example.com")
    [email] = notify.sent
    assert (email.kind, email.to, email.template_id) == ("email", "eve@example.com", settings.NOTIFY_EMAIL_TEMPLATE_ID)
    assert "ready to collect" in email.personalisation["subject"] and hold.notified_at is not None


def test_a_texter_without_a_phone_number_gets_the_email(hold_for, notify):
    hold_for(email="nophone@example.com", contact_by=SMS)
    assert [(m.kind, m.to) for m in notify.sent] == [("email", "nophone@example.com")]


def test_with_sms_off_the_texter_gets_the_email(hold_for, settings):
    settings.SMS_BACKEND = "off"
    hold_for(phone="07700 900125", email="sam@example.com", contact_by=SMS)
    assert mail.outbox[0].to == ["sam@example.com"]


def test_a_texter_with_no_email_is_texted_and_nobody_needs_to_phone(hold_for, notify):
    hold, _callbacks = hold_for(phone="07700 900126", contact_by=SMS)
    assert [(m.kind, m.to) for m in notify.sent] == [("sms", "07700 900126")]
    assert hold.notified_at is not None


def test_a_refused_text_leaves_the_hold_for_the_desk_to_phone_with_nothing_personal_logged(hold_for, notify, caplog):
    with caplog.at_level(logging.INFO):
        hold, _callbacks = hold_for(name="Lou Landline", phone="01632 960000", contact_by=SMS)
    assert hold.status == Hold.Status.OFFERED and hold.notified_at is None
    assert "01632" not in caplog.text and "Lou" not in caplog.text and f"hold {hold.pk}" in caplog.text


def test_reminders_follow_the_same_choice(lendable, make_borrower, issue, notify):
    texter = issue(lendable(), make_borrower(phone="07700 900128", email="t@example.com", contact_by=SMS))
    mailer = issue(lendable(), make_borrower(phone="07700 900129", email="m@example.com"))
    assert reminders_send_due(today=texter.due_date) == 2
    assert sorted((m.kind, m.to) for m in notify.sent) == [("email", "m@example.com"), ("sms", "07700 900128")]
    assert mailer.pk


def test_the_agreement_always_goes_by_email_even_to_a_texter(
    lendable, make_borrower, issue, notify, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(lendable(), make_borrower(phone="07700 900130", email="t@example.com", contact_by=SMS))
    [email] = notify.sent
    assert (email.kind, email.to) == ("email", "t@example.com")
    assert email.template_id == settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID and "link_to_file" in email.personalisation


def test_no_agreement_is_sent_without_an_email_address(
    lendable, make_borrower, issue, notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(lendable(), make_borrower(phone="07700 900131", contact_by=SMS))
    assert notify.sent == []
