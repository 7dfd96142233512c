"""Certificates of sanitisation: issued once, PDF text and QR code read back, and the public check."""

import hashlib
import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from core.errors import DomainError
from reuse.models import Certificate, CertificateEntry, Device, ResetChecklist
from reuse.services.certificates import certificate_issue, certificate_pdf
from reuse.services.evidence import evidence_store
from reuse.services.lifecycle import device_transition
from tests.factories import record_wipe

LOG = b"[2023/01/24 13:35:06]  notice: nwipe evidence\n"


@pytest.fixture(autouse=True)
def _media(media_root, settings):
    settings.SITE_URL = "https://relay.anytown.example"
    return media_root


@pytest.fixture
def certified(make_device, alice, bob):
    """A laptop with two drives wiped (one with the tool's log as evidence), verified and sanitised."""

    def build(**fields):
        device = make_device(
            media=2, serial=fields.pop("serial", "5CG9381XYZ"), council_asset_number="ABC123456", **fields
        )
        evidence, _ = evidence_store(upload=SimpleUploadedFile("nwipe-sda.log", LOG), actor=alice)
        first, second = device.media.all()
        record = record_wipe(device, first, operator=alice, verifier=bob)
        record.evidence = evidence
        record.save()
        record_wipe(device, second, operator=alice, verifier=bob)
        device_transition(device=device, to_status="sanitised", actor=alice)
        device.refresh_from_db()
        return device

    return build


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a certificate and run what is dispatched after commit (rendering its PDF)."""

    def run(devices, actor):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(devices=devices, actor=actor)
        certificate.refresh_from_db()
        return certificate

    return run


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_codes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=4).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(page)]


def test_one_device_certificate_names_every_medium_and_person(certified, alice, bob, settings, issue):
    device = certified()
    certificate = issue([device], alice)
    assert re.fullmatch(r"RLY-SC-\d{6}", certificate.number)
    pdf = certificate.pdf.read()
    text = pdf_text(pdf)
    for fact in (
        "Certificate of sanitisation",
        certificate.number,
        settings.COUNCIL_NAME,
        device.asset_tag,
        "5CG9381XYZ",
        "ABC123456",
        "Clear",
        "Overwrite",
        "NIST SP 800-88 Rev. 1",
        "nwipe 0.34",
        "Alice",
        "Bob",
        "Passed",
        *[m.serial for m in device.media.all()],
    ):
        assert fact in text, fact
    evidence = certificate.records.get(evidence__isnull=False).evidence
    assert evidence.sha256 in text.replace("\n", "")


def test_certificate_qr_code_leads_to_its_public_check(certified, alice, issue):
    certificate = issue([certified()], alice)
    assert qr_codes(certificate.pdf.read()) == [f"https://relay.anytown.example/verify/{certificate.token}"]


def test_token_is_random_and_not_the_number_or_id(certified, make_device, alice):
    first = certificate_issue(devices=[certified()], actor=alice)
    second = certificate_issue(devices=[certified(serial="OTHER1")], actor=alice)
    assert re.fullmatch(r"[A-Z2-7]{24}", first.token) and first.token != second.token
    assert first.number not in first.token and not first.token.isdigit()


def test_asking_again_for_the_same_wipe_returns_the_same_certificate(certified, alice, bob):
    device = certified()
    first = certificate_issue(devices=[device], actor=alice)
    assert certificate_issue(devices=[device], actor=bob) == first
    assert Certificate.objects.count() == 1


def test_the_stored_pdf_is_what_was_issued(certified, alice, issue):
    certificate = issue([certified()], alice)

    assert hashlib.sha256(certificate.pdf.read()).hexdigest() == certificate.pdf_sha256


def test_only_sanitised_devices_are_certified(make_device, certified, alice):
    unwiped = make_device()
    with pytest.raises(DomainError) as err:
        certificate_issue(devices=[certified(), unwiped], actor=alice)
    assert err.value.code == "not_sanitised" and unwiped.asset_tag in err.value.message
    assert Certificate.objects.count() == 0


def test_batch_certificate_covers_every_device_in_one_pdf(certified, alice, issue):
    devices = [certified(serial=f"SER{n}") for n in range(3)]
    certificate = issue(devices, alice)
    pdf = certificate.pdf.read()
    text = pdf_text(pdf)
    assert all(d.asset_tag in text for d in devices)
    assert re.search(r"Devices\s+3", text)
    assert certificate.entries.count() == 3 and certificate.records.count() == 6
    assert qr_codes(pdf) == [certificate.verify_url]


def test_phone_certificate_shows_the_reset_checklist(make_device, alice, bob):
    phone = make_device(kind="phone", media=0, imei="356938035643809", make="Samsung", model="Galaxy A52")
    ResetChecklist.objects.create(
        device=phone, cycle=1, operator=alice, verified_by=bob, **dict.fromkeys(ResetChecklist.ITEMS, True)
    )
    device_transition(device=phone, to_status="sanitised", actor=alice)
    phone.refresh_from_db()
    text = pdf_text(certificate_pdf(certificate_issue(devices=[phone], actor=alice)))
    assert "Reset checklist" in text and "Activation lock" in text


# Pages --------------------------------------------------------------------------------------------


def test_technician_issues_and_downloads_the_certificate(client, certified, alice):
    device = certified()
    client.force_login(alice)
    response = client.post(f"/devices/{device.asset_tag}/certificate/")
    certificate = Certificate.objects.get()
    assert response["Location"] == certificate.get_absolute_url()
    download = client.get(f"/devices/certificates/{certificate.number}/pdf/")
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    assert device.asset_tag in pdf_text(body)


def test_an_unwiped_device_gets_an_explanation_not_a_certificate(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    response = client.post(f"/devices/{device.asset_tag}/certificate/", follow=True)
    assert "Only devices marked sanitised" in response.content.decode()
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize("persona", ["dina", "carl"])
def test_only_it_downloads_certificates(client, certified, alice, persona, request):
    certificate = certificate_issue(devices=[certified()], actor=alice)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/devices/certificates/{certificate.number}/pdf/").status_code == 403


def test_public_check_shows_the_facts_and_nothing_personal(client, certified, alice):
    device = certified(notes="Used by J. Smith in Housing")
    certificate = certificate_issue(devices=[device], actor=alice)
    response = client.get(f"/verify/{certificate.token}")
    body = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert certificate.number in body and device.asset_tag in body and "Latitude 5490" in body
    assert "Clear: overwrite" in body and "passed" in body
    media = list(device.media.all())
    assert all(m.serial[-4:] in body and m.serial not in body for m in media)
    assert "5CG9381XYZ" not in body and "XYZ" in body
    for private in ("Alice", "Bob", "alice@", "J. Smith", "Housing", "ABC123456"):
        assert private not in body, private


def test_public_check_is_not_found_by_number_or_id(client, certified, alice):
    certificate = certificate_issue(devices=[certified()], actor=alice)
    assert client.get(f"/verify/{certificate.number}").status_code == 404
    assert client.get(f"/verify/{certificate.pk}").status_code == 404
    assert client.get(f"/verify/{certificate.token.lower()}").status_code == 200


def test_public_check_says_when_the_device_has_come_back_since(client, certified, alice):
    device = certified()
    certificate = certificate_issue(devices=[device], actor=alice)
    device_transition(device=device, to_status="ready", actor=alice)
    device_transition(device=device, to_status="received", actor=alice, reason="fault found")
    assert "has come back to the council" in client.get(f"/verify/{certificate.token}").content.decode()


def test_a_big_certificate_waits_for_the_worker_and_says_so(
    client, certified, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from reuse.services import certificates

    monkeypatch.setattr(certificates, "RENDER_INLINE_MAX", 1)
    monkeypatch.setattr("reuse.views.certificates.RENDER_INLINE_MAX", 1)
    devices = [certified(serial=f"BIG{n}") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = certificate_issue(devices=devices, actor=alice)
    assert len(callbacks) == 1  # the render task, dispatched only once the certificate is committed
    client.force_login(alice)
    response = client.get(f"/devices/certificates/{certificate.number}/pdf/", follow=True)
    assert "still being prepared" in response.content.decode()
    callbacks[0]()  # the worker picks the task up (TASKS_SYNC runs it here)
    certificate.refresh_from_db()
    text = pdf_text(certificate.pdf.read())
    assert all(d.asset_tag in text for d in devices)


def test_the_public_check_shows_what_was_certified_as_it_was_then(client, certified, alice, bob):
    """Attack on the record: the device's description and drives changed after the certificate was issued
    (a drive swapped, the model 'corrected'); the public check still shows what was certified."""
    device = certified()
    certificate = certificate_issue(devices=[device], actor=alice)
    old_serials = [m.serial for m in device.media.all()]
    Device.objects.filter(pk=device.pk).update(make="Acme", model="Replaced 9000", serial="NEWSERIAL99")
    device.media.update(serial="SWAPPEDQQQQ")
    body = client.get(f"/verify/{certificate.token}").content.decode()
    assert "Latitude 5490" in body and "Replaced 9000" not in body and "Acme" not in body
    assert "XYZ" in body and "ER99" not in body
    assert all(serial[-4:] in body for serial in old_serials) and "QQQQ" not in body
    assert "as it was on that day" in body


def test_certificates_issued_before_snapshots_are_frozen_by_the_migration(certified, alice):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    certificate = certificate_issue(devices=[certified()], actor=alice)
    CertificateEntry.objects.update(snapshot={})
    apps = MigrationLoader(connection).project_state(("reuse", "0009_certificate_snapshot")).apps
    importlib.import_module("reuse.migrations.0009_certificate_snapshot").freeze_existing(apps, None)
    snapshot = CertificateEntry.objects.get(certificate=certificate).snapshot
    assert snapshot["model"] == "Latitude 5490" and len(snapshot["media"]) == 2
    assert snapshot["media"][0]["result"] == "Passed" and snapshot["serial"].endswith("1XYZ")


def test_the_public_pages_are_rate_limited_for_the_public_not_for_staff(client, certified, alice):
    device = certified()
    certificate = certificate_issue(devices=[device], actor=alice)
    for url in (f"/verify/{certificate.token}", f"/d/{device.asset_tag}"):
        for _ in range(60):
            assert client.get(url, REMOTE_ADDR="203.0.113.50").status_code == 200
        refused = client.get(url, REMOTE_ADDR="203.0.113.50")
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        assert client.get(url, REMOTE_ADDR="203.0.113.51").status_code == 200
    client.force_login(alice)
    assert all(client.get(f"/d/{device.asset_tag}", REMOTE_ADDR="203.0.113.50").status_code == 302 for _ in range(5))
