"""How email and text messages go: console, SMTP or GOV.UK Notify, chosen by settings; production never
falls back to the console (which sends nothing) unless it is chosen by name."""

import pytest

from tests.config.test_settings import manage

KEY = "relay_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "CLIENT_REFERENCE_KEY": "c" * 40,
    "AUDIT_KEY": "a" * 40,
    "ALLOWED_HOSTS": "relay.example",
}


def test_production_refuses_the_console_backend_it_was_not_asked_for(tmp_path):
    result = manage("check", **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Relay cannot start: EMAIL_BACKEND must be set when DEBUG is off: smtp (with EMAIL_HOST) or notify; "
        "console sends no email, so it must be chosen by name"
    ]


@pytest.mark.parametrize(
    "env",
    [
        {"EMAIL_BACKEND": "console"},
        {"EMAIL_HOST": "smtp.example.org"},
        {"EMAIL_BACKEND": "notify", "NOTIFY_API_KEY": KEY, "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE},
    ],
)
def test_production_starts_with_a_backend_chosen(tmp_path, env):
    result = manage("check", **PRODUCTION, **env, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"EMAIL_BACKEND": "notify"}, "NOTIFY_API_KEY must be set when EMAIL_BACKEND is notify"),
        (
            {"EMAIL_BACKEND": "notify", "NOTIFY_API_KEY": KEY},
            "NOTIFY_EMAIL_TEMPLATE_ID must be set when EMAIL_BACKEND is",
        ),
        ({"SMS_BACKEND": "notify", "NOTIFY_API_KEY": KEY}, "NOTIFY_SMS_TEMPLATE_ID must be set when SMS_BACKEND is"),
        ({"EMAIL_BACKEND": "smtp"}, "EMAIL_HOST must be set when EMAIL_BACKEND is smtp"),
        ({"NOTIFY_API_KEY": "live-" + "a" * 20}, "NOTIFY_API_KEY must be a GOV.UK Notify API key"),
    ],
)
def test_incomplete_delivery_settings_are_refused(load, env, message):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=message):
        load(**env)


def test_a_bad_notify_key_is_never_repeated(load):
    from django.core.exceptions import ImproperlyConfigured

    secret = "mykey-not-valid-secret-part"
    with pytest.raises(ImproperlyConfigured) as refused:
        load(NOTIFY_API_KEY=secret)
    assert secret not in str(refused.value)


def test_notify_is_chosen_by_settings(load):
    loaded = load(
        EMAIL_BACKEND="notify",
        SMS_BACKEND="notify",
        NOTIFY_API_KEY=KEY,
        NOTIFY_EMAIL_TEMPLATE_ID=TEMPLATE,
        NOTIFY_SMS_TEMPLATE_ID=TEMPLATE,
        NOTIFY_BASE_URL="http://127.0.0.1:9999/",
    )
    assert loaded["EMAIL_BACKEND"] == "core.notify.NotifyEmailBackend"
    assert loaded["SMS_BACKEND"] == "notify"
    assert loaded["NOTIFY_BASE_URL"] == "http://127.0.0.1:9999"


def test_development_defaults_print_to_the_console_and_production_sends_no_sms(load):
    assert load(DEBUG="1")["SMS_BACKEND"] == "console"
    assert load(DEBUG="0")["SMS_BACKEND"] == "off"
