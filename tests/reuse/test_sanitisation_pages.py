"""The technicians' pages: record a wipe with its evidence, verify it, drives, checklists, status changes."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reuse.models import Device, Evidence, ResetChecklist, SanitisationRecord
from tests.factories import record_wipe, wipe_all

BLANCCO_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type/Catalog>> endobj\n" + os.urandom(300_000) + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def wipe_form(**overrides):
    now = timezone.localtime()
    data = {
        "category": "clear",
        "technique": "overwrite",
        "tool": "Blancco Drive Eraser",
        "tool_version": "7.9",
        "rounds": "1",
        "started_at": (now - timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (now - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "result": "passed",
        "verification_method": "Full read-back verification",
        "verification_result": "passed",
        "standard": "nist-800-88-r1",
        "notes": "",
    }
    return {**data, **overrides}


def wipe_url(device, medium):
    return f"/devices/{device.asset_tag}/drives/{medium.pk}/wipe/"


def test_technician_records_a_wipe_with_the_tools_report(client, make_device, alice, media_root):
    device = make_device()
    medium = device.media.get()
    client.force_login(alice)
    response = client.post(
        wipe_url(device, medium), {**wipe_form(), "evidence": SimpleUploadedFile("blancco-report.pdf", BLANCCO_PDF)}
    )
    assert response.status_code == 302
    record = SanitisationRecord.objects.get()
    assert (record.medium, record.operator, record.tool, record.verified_by) == (
        medium,
        alice,
        "Blancco Drive Eraser",
        None,
    )
    evidence = record.evidence
    assert evidence.sha256 == hashlib.sha256(BLANCCO_PDF).hexdigest()
    assert (evidence.size, evidence.content_type, evidence.original_name) == (
        len(BLANCCO_PDF),
        "application/pdf",
        "blancco-report.pdf",
    )
    # Stored under a random name, byte for byte.
    assert "blancco" not in evidence.file.name
    with open(os.path.join(media_root, evidence.file.name), "rb") as stored:
        assert stored.read() == BLANCCO_PDF


def test_evidence_downloads_unaltered_as_an_attachment(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    client.post(
        wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile("report.pdf", BLANCCO_PDF)}
    )
    evidence = Evidence.objects.get()
    response = client.get(f"/devices/sanitisation/evidence/{evidence.pk}/")
    body = b"".join(response.streaming_content)
    assert body == BLANCCO_PDF and hashlib.sha256(body).hexdigest() == evidence.sha256
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_log_uploaded_as_evidence_is_served_as_a_download_not_a_page(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    log = b"<html><script>alert(1)</script></html>\n[2023/01/24 13:35:06] notice: nwipe\n"
    client.post(wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile("w.log", log)})
    response = client.get(f"/devices/sanitisation/evidence/{Evidence.objects.get().pk}/")
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == log


@pytest.mark.parametrize("persona", ["dina", "carl", "nobody"])
def test_only_it_staff_download_evidence(client, make_device, alice, persona, request):
    device = make_device()
    client.force_login(alice)
    client.post(
        wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile("r.pdf", BLANCCO_PDF)}
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/devices/sanitisation/evidence/{Evidence.objects.get().pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_for_evidence(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    client.post(
        wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile("r.pdf", BLANCCO_PDF)}
    )
    client.logout()
    response = client.get(f"/devices/sanitisation/evidence/{Evidence.objects.get().pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html>not a pdf</html>", "is not a PDF"),
        ("report.exe", b"MZ\x90\x00", "Upload an nwipe or ShredOS log"),
        ("wipe.log", b"\x00\x01\x02binary", "is not text"),
        ("wipe.log", b"nwipe \xff\xfe broken utf-8", "is not text"),
    ],
)
def test_evidence_that_is_not_a_wipe_report_is_refused_and_nothing_is_kept(
    client, make_device, alice, media_root, name, content, message
):
    device = make_device()
    client.force_login(alice)
    response = client.post(
        wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert SanitisationRecord.objects.count() == 0 and Evidence.objects.count() == 0
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_evidence_over_the_size_limit_is_refused(client, make_device, alice, settings, media_root):
    settings.EVIDENCE_MAX_BYTES = 100_000
    device = make_device()
    client.force_login(alice)
    response = client.post(
        wipe_url(device, device.media.get()), {**wipe_form(), "evidence": SimpleUploadedFile("big.pdf", BLANCCO_PDF)}
    )
    assert "smaller than" in response.content.decode()
    assert Evidence.objects.count() == 0 and not [p for p in media_root.rglob("*") if p.is_file()]


def test_the_same_report_twice_is_stored_once(client, make_device, alice, media_root):
    device = make_device(media=2)
    client.force_login(alice)
    for medium in device.media.all():
        client.post(wipe_url(device, medium), {**wipe_form(), "evidence": SimpleUploadedFile("r.pdf", BLANCCO_PDF)})
    assert SanitisationRecord.objects.count() == 2 and Evidence.objects.count() == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 1


def test_wipe_form_errors_show_in_the_error_summary(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    response = client.post(wipe_url(device, device.media.get()), wipe_form(tool="", ended_at="2000-01-01T10:00"))
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "The finish must be after the start" in body and response.context["form"].errors["tool"]
    assert body.count("<title>Error: ") == 1


def test_second_technician_verifies_on_the_verify_page(client, make_device, alice, bob):
    device = make_device()
    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    client.force_login(bob)
    url = f"/devices/sanitisation/wipes/{record.pk}/verify/"
    assert "Verify a wipe" in client.get(url).content.decode()
    response = client.post(url, {"decision": "confirm", "reason": ""})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.verified_by == bob and record.is_passing


def test_operator_trying_to_verify_gets_the_rule_explained(client, make_device, alice):
    device = make_device()
    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    client.force_login(alice)
    response = client.post(f"/devices/sanitisation/wipes/{record.pk}/verify/", {"decision": "confirm"})
    assert response.status_code == 200
    assert "A second technician must verify this wipe" in response.content.decode()
    record.refresh_from_db()
    assert record.verified_by is None


def test_rejecting_needs_a_reason(client, make_device, alice, bob):
    device = make_device()
    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    client.force_login(bob)
    response = client.post(f"/devices/sanitisation/wipes/{record.pk}/verify/", {"decision": "reject"})
    assert "Say why you are rejecting this wipe" in response.content.decode()


def test_add_and_remove_a_drive_from_the_device_page(client, make_device, alice):
    device = make_device(media=0)
    client.force_login(alice)
    response = client.post(
        f"/devices/{device.asset_tag}/drives/add/",
        {"kind": "nvme", "make": "Samsung", "model": "PM981", "serial": "S4DXNX0M123", "capacity_gb": "512"},
    )
    assert response.status_code == 302
    medium = device.media.get()
    assert (medium.serial, medium.capacity_gb) == ("S4DXNX0M123", 512)
    response = client.post(f"/devices/{device.asset_tag}/drives/{medium.pk}/remove/", {"reason": "Replaced"})
    assert response.status_code == 302
    medium.refresh_from_db()
    assert medium.removed_at is not None


def test_adding_a_drive_to_a_ready_device_is_refused_on_the_page(client, ready_device, alice):
    device = ready_device()
    client.force_login(alice)
    response = client.post(f"/devices/{device.asset_tag}/drives/add/", {"kind": "ssd", "serial": "X1"})
    assert response.status_code == 200 and "only while it is received" in response.content.decode()
    assert device.media.count() == 1


def test_reset_checklist_recorded_and_verified_from_the_pages(client, make_device, alice, bob):
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    client.force_login(alice)
    items = dict.fromkeys(ResetChecklist.ITEMS, "on")
    assert client.post(f"/devices/{phone.asset_tag}/reset-checklist/", items).status_code == 302
    checklist = ResetChecklist.objects.get()
    assert checklist.operator == alice and not checklist.missing_items

    client.post(f"/devices/sanitisation/checklists/{checklist.pk}/verify/")
    assert ResetChecklist.objects.get().verified_by is None
    client.force_login(bob)
    client.post(f"/devices/sanitisation/checklists/{checklist.pk}/verify/")
    assert ResetChecklist.objects.get().verified_by == bob


# Status changes from the device page --------------------------------------------------------------


def transition(client, device, to_status, reason="Checked"):
    return client.post(f"/devices/{device.asset_tag}/status/", {"status-to_status": to_status, "status-reason": reason})


def test_mark_sanitised_from_the_device_page(client, make_device, alice, bob):
    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    client.force_login(alice)
    response = transition(client, device, "sanitised", "All drives wiped")
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == "sanitised"
    last = device.events.order_by("-seq").first()
    assert (last.to_status, last.reason, last.actor) == ("sanitised", "All drives wiped", alice)


def test_gate_problems_are_listed_when_the_change_is_refused(client, make_device, alice, bob):
    device = make_device(media=2)
    first, second = device.media.all()
    record_wipe(device, first, operator=alice, verifier=bob)
    client.force_login(alice)
    response = transition(client, device, "sanitised")
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert f"No passing, verified wipe for {second}." in body
    assert str(first) not in body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert Device.objects.get(pk=device.pk).status == "received"


def test_lending_statuses_are_not_offered_or_accepted(client, ready_device, alice):
    device = ready_device()
    client.force_login(alice)
    page = client.get(f"/devices/{device.asset_tag}/status/").content.decode()
    assert 'value="received"' in page and 'value="on_loan"' not in page and 'value="reserved"' not in page
    response = transition(client, device, "on_loan")
    assert response.status_code == 200 and Device.objects.get(pk=device.pk).status == "ready"


@pytest.mark.parametrize("persona", ["dina", "carl"])
def test_only_it_changes_status_here(client, make_device, persona, request):
    device = make_device()
    client.force_login(request.getfixturevalue(persona))
    assert transition(client, device, "quarantined").status_code == 403
    assert Device.objects.get(pk=device.pk).status == "received"


def test_device_page_shows_the_panel_within_a_query_budget(
    client, make_device, alice, bob, django_assert_max_num_queries
):
    device = make_device(media=2)
    for medium in device.media.all():
        record_wipe(device, medium, operator=alice, verifier=None)
    client.force_login(bob)
    # The page also carries the device's whole timeline: one query per kind of record (core.timeline).
    with django_assert_max_num_queries(30):
        body = client.get(device.get_absolute_url()).content.decode()
    assert body.count("Awaiting verification") == 2 and body.count(">Verify<") == 2
    assert "Change status" in body and 'value="quarantined"' in body


def test_operator_sees_no_verify_link_on_their_own_wipes(client, make_device, alice):
    device = make_device()
    record_wipe(device, device.media.get(), operator=alice, verifier=None)
    client.force_login(alice)
    body = client.get(device.get_absolute_url()).content.decode()
    assert (
        "awaiting a second technician" in body and f"/wipes/{SanitisationRecord.objects.get().pk}/verify/" not in body
    )


def test_desk_staff_see_the_record_but_no_actions(client, make_device, alice, dina, branch):
    device = make_device(site=branch)  # desk staff see the devices at their own branches only
    record_wipe(device, device.media.get(), operator=alice, verifier=None)
    client.force_login(dina)
    body = client.get(device.get_absolute_url()).content.decode()
    assert "Sanitisation" in body and "Record wipe" not in body and "Change status" not in body


def test_device_page_cannot_take_a_device_off_its_loan(client, lendable, borrower, issue, alice):
    """Found by the stateful proof (tests/properties): the device page offered "received" and "lost" for a
    device on loan, which left the loan open on a device back on the shelf. A loan ends at the desk."""
    device = lendable()
    loan = issue(device, borrower)
    events = device.events.count()
    client.force_login(alice)
    url = reverse("reuse:device-transition", args=[device.asset_tag])
    for status in ("received", "lost"):
        response = client.post(url, {"status-to_status": status, "status-reason": "Back"})
        assert response.status_code == 200 and "Select the new status from the list" in response.content.decode()
    device.refresh_from_db()
    loan.refresh_from_db()
    assert device.status == "on_loan" and loan.is_open and device.events.count() == events


def test_device_page_cannot_release_a_reservation(client, ready_device, branch, alice, borrower, dina):
    """A reserved device goes back on the shelf when its hold or allocation is cancelled, never from the
    device page (the reservation would stay live, owned by nobody's wish)."""
    from lending.services.holds import hold_offer_next, hold_place
    from reuse.models import Reservation
    from reuse.services.lifecycle import device_move

    hold_place(borrower=borrower, site=branch, device_kind="laptop", actor=dina)
    device = device_move(device=ready_device(), site=branch, actor=alice)
    assert hold_offer_next(device_id=device.pk) is not None
    client.force_login(alice)
    url = reverse("reuse:device-transition", args=[device.asset_tag])
    response = client.post(url, {"status-to_status": "ready", "status-reason": "Shelf"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.status == "reserved"
    assert Reservation.objects.filter(device=device, ended_at__isnull=True).count() == 1
