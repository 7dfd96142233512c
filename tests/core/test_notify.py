"""GOV.UK Notify as the email backend and the SMS sender, against a local stand-in of Notify's API."""

import datetime

import jwt
import pytest
from django.core.mail import EmailMessage, send_mail

from core.notify import NotifyError
from core.sms import send_sms, sms_enabled


def test_an_email_goes_through_the_generic_template_with_subject_and_body(notify):
    assert send_mail("Your loan", "Hello Rosa,\nIt is due back soon.", None, ["rosa@example.com"]) == 1
    [sent] = notify.sent
    assert (sent.kind, sent.to) == ("email", "rosa@example.com")
    assert sent.personalisation == {"subject": "Your loan", "body": "Hello Rosa,\nIt is due back soon."}


def test_each_recipient_gets_their_own_email(notify):
    EmailMessage("Hi", "Body", to=["a@example.com"], cc=["b@example.com"], bcc=["c@example.com"]).send()
    assert [s.to for s in notify.sent] == ["a@example.com", "b@example.com", "c@example.com"]


def test_a_document_goes_as_a_link_to_file_through_the_file_template(notify, settings):
    message = EmailMessage("Agreement", "Attached.", to=["rosa@example.com"])
    message.attach("agreement.pdf", b"%PDF-1.7 test", "application/pdf")
    message.send()
    [sent] = notify.sent
    assert sent.template_id == settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID
    assert sent.personalisation["link_to_file"]["filename"] == "agreement.pdf"
    assert sent.personalisation["link_to_file"]["file"]  # base64 of the bytes, as Notify takes it


def test_without_a_file_template_a_document_is_refused_clearly(notify, settings):
    settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID = ""
    message = EmailMessage("Agreement", "Attached.", to=["rosa@example.com"])
    message.attach("agreement.pdf", b"%PDF", "application/pdf")
    with pytest.raises(NotifyError, match="NOTIFY_EMAIL_FILE_TEMPLATE_ID"):
        message.send()
    assert notify.sent == []


def test_notifys_refusal_is_raised_with_notifys_words(notify, settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotifyError, match="Template not found"):
        send_mail("Hi", "Body", None, ["rosa@example.com"])


def test_fail_silently_swallows_a_refusal(notify, settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "00000000-0000-4000-8000-000000000000"
    assert send_mail("Hi", "Body", None, ["rosa@example.com"], fail_silently=True) == 0


def test_a_wrong_key_is_refused_by_notifys_jwt_check(notify, settings):
    settings.NOTIFY_API_KEY = notify.api_key[:-36] + "00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotifyError, match="Invalid token"):
        send_mail("Hi", "Body", None, ["rosa@example.com"])
    assert notify.sent == []


def test_the_stand_in_checks_the_token_like_notify(notify):
    stale = jwt.encode(
        {"iss": notify.service_id, "iat": int((datetime.datetime.now() - datetime.timedelta(minutes=5)).timestamp())},
        notify.secret,
        algorithm="HS256",
    )
    assert "clock" in notify.check_token(f"Bearer {stale}")
    assert notify.check_token("Bearer nonsense").startswith("Invalid token")
    assert notify.check_token("") != ""


def test_a_text_message_goes_through_the_sms_template(notify):
    assert sms_enabled()
    send_sms(to="07700 900123", body="Your laptop is due back on Friday.")
    [sent] = notify.sent
    assert (sent.kind, sent.to, sent.personalisation) == (
        "sms",
        "07700 900123",
        {"body": "Your laptop is due back on Friday."},
    )


def test_a_number_notify_cannot_text_is_refused(notify):
    with pytest.raises(NotifyError, match="Not a UK mobile number"):
        send_sms(to="01632 960000", body="Hi")


def test_console_sms_prints_and_off_sends_nothing(settings, capsys):
    settings.SMS_BACKEND = "console"
    send_sms(to="07700 900123", body="Hello")
    assert "SMS to 07700 900123\nHello" in capsys.readouterr().out
    settings.SMS_BACKEND = "off"
    assert not sms_enabled()
    with pytest.raises(RuntimeError):
        send_sms(to="07700 900123", body="Hello")
