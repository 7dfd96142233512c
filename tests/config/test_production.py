"""Production settings: `check --deploy` is clean in production mode, HTTPS is enforced from the
environment, every page carries a Content Security Policy without unsafe-inline or unsafe-eval, and
password spraying from one address is throttled across user names."""

import re
import secrets

from django.urls import reverse

from tests.config.test_settings import manage
from tests.factories import PASSWORD, make_user

PRODUCTION = {
    "DEBUG": "0",
    "SITE_URL": "https://relay.anytown.example",
    "AUDIT_KEY": secrets.token_hex(32),
    "CLIENT_REFERENCE_KEY": secrets.token_hex(32),
    "EMAIL_BACKEND": "console",
}


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = manage(
        "check",
        "--deploy",
        **PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_hsts_turned_off_from_the_environment_shows_in_check_deploy(tmp_path):
    result = manage(
        "check",
        "--deploy",
        **PRODUCTION,
        HSTS_SECONDS="0",
        SSL_REDIRECT="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
    )
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_https_is_enforced_and_remembered(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code in (200, 503)  # load balancers may check over plain HTTP
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_every_page_has_a_content_security_policy_with_a_nonce_for_its_own_script(client, alice):
    client.force_login(alice)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert client.get("/")["Content-Security-Policy"] != policy  # a fresh nonce each response


def _fail(client, username, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": "Winter2026!"}, REMOTE_ADDR=address)


def test_password_spraying_from_one_address_is_throttled_across_user_names(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for n in range(12):  # one try each for twelve user names: axes' per-name limit never trips
        assert _fail(client, f"user{n}").status_code == 200
    refused = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    page = refused.content.decode()
    assert "Try again in <strong>15 minutes</strong>" in page
    assert 'href="tel:01632960000"' in page and "administrator" in page
    assert refused["Retry-After"] == "900"
    elsewhere = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.status_code == 302


def test_the_address_is_the_client_s_behind_the_proxies(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    settings.PROXY_COUNT = 1
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": f"user{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    # Another client behind the same proxy is not locked out with the sprayer.
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302


def test_the_per_name_lockout_page_says_how_long_it_lasts(client, db, settings):
    make_user("gina", None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "gina")
    response = _fail(client, "gina")
    assert response.status_code == 429
    assert "Try again in <strong>15 minutes</strong>" in response.content.decode()
