"""The intake pages: upload, preview, confirm, and the downloadable template."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reuse.intake.native import COLUMNS
from reuse.intake.plan import plan_import
from reuse.models import Device, DeviceImport
from tests.factories import make_user
from tests.reuse.intake_support import fixture, laptop, native_csv


def upload(client, data: bytes, site, name="devices.csv", date_format="uk", lot=""):
    return client.post(
        reverse("reuse:intake"),
        {"file": SimpleUploadedFile(name, data, "text/csv"), "site": site.pk, "date_format": date_format, "lot": lot},
    )


@pytest.fixture
def it_client(client, alice):
    client.force_login(alice)
    return client


def test_upload_keeps_the_file_under_a_random_token_and_shows_a_preview(it_client, depot):
    response = upload(it_client, native_csv([laptop(1), laptop(2)]), depot, name="Jo Bloggs laptops.csv")
    record = DeviceImport.objects.get()
    assert response.url == reverse("reuse:intake-preview", args=[record.token])
    assert "Bloggs" not in response.url and len(record.token) >= 32
    assert bytes(record.content) == native_csv([laptop(1), laptop(2)])
    page = it_client.get(response.url)
    assert page.status_code == 200
    assert page.context["plan"]["ok"] and page.context["plan"]["to_create"] == 2
    assert b"Import 2 devices at Civic Centre IT Depot" in page.content
    assert Device.objects.count() == 0


def test_confirming_imports_and_lands_on_the_inventory_of_that_import(it_client, depot, alice):
    preview = upload(it_client, native_csv([laptop(1), laptop(2)]), depot).url
    response = it_client.post(preview, {"action": "import", "expected": "2"})
    record = DeviceImport.objects.get()
    assert response.url == f"{reverse('reuse:device-list')}?intake={record.pk}"
    assert record.imported_at is not None and record.content is None and record.uploaded_by == alice
    assert Device.objects.filter(status="received", created_by=alice).count() == 2
    listing = it_client.get(response.url)
    assert {d.serial for d in listing.context["page"]} == {"SN00001", "SN00002"}
    assert it_client.get(preview).status_code == 404  # the token is spent


def test_preview_lists_problems_and_offers_no_import(it_client, depot):
    preview = upload(it_client, native_csv([laptop(1), laptop(2, serial="6.37702E+15")]), depot).url
    page = it_client.get(preview)
    assert page.context["plan"]["error_groups"][0]["line"] == 3
    assert "Error: Check the import" in page.content.decode()
    assert b'value="import"' not in page.content
    assert it_client.post(preview, {"action": "import", "expected": "1"}).status_code == 200
    assert Device.objects.count() == 0


def test_changing_the_date_format_rechecks_without_uploading_again(it_client, depot):
    preview = upload(it_client, fixture("assets-sample.csv"), depot, name="assets.csv").url
    assert it_client.get(preview).context["plan"]["error_count"] == 14
    response = it_client.post(preview, {"action": "options", "site": depot.pk, "date_format": "us", "lot": "SNIPE-1"})
    assert response.status_code == 302
    page = it_client.get(preview)
    assert page.context["plan"]["error_count"] == 0 and page.context["plan"]["to_create"] == 22
    it_client.post(preview, {"action": "import", "expected": "22"})
    assert Device.objects.filter(lot="SNIPE-1").count() == 22


def test_confirming_a_preview_that_has_changed_meanwhile_imports_nothing(it_client, depot, make_device):
    preview = upload(it_client, native_csv([laptop(1), laptop(2)]), depot).url
    it_client.get(preview)
    make_device(serial="SN00002", make="Dell", model="Latitude 5490", council_asset_number="IT-00002")
    page = it_client.post(preview, {"action": "import", "expected": "2"}, follow=True)
    assert "changed since you looked" in page.content.decode()
    assert Device.objects.count() == 1


def test_cancel_deletes_the_uploaded_file(it_client, depot):
    preview = upload(it_client, native_csv([laptop(1)]), depot).url
    it_client.post(preview, {"action": "cancel"})
    assert DeviceImport.objects.count() == 0


def test_a_preview_belongs_to_the_person_who_uploaded_it(it_client, depot, bob, client):
    preview = upload(it_client, native_csv([laptop(1)]), depot).url
    client.force_login(bob)
    assert client.get(preview).status_code == 404


def test_unconfirmed_uploads_are_forgotten_after_a_day(it_client, depot):
    upload(it_client, native_csv([laptop(1)]), depot)
    DeviceImport.objects.update(uploaded_at=timezone.now() - datetime.timedelta(days=2))
    upload(it_client, native_csv([laptop(2)]), depot)
    assert DeviceImport.objects.count() == 1


def test_an_excel_workbook_is_refused_at_upload(it_client, depot):
    response = upload(it_client, b"PK\x03\x04rest-of-a-zip", depot, name="devices.xlsx")
    assert response.status_code == 200
    assert "Excel workbook" in response.context["form"].errors["file"][0]
    assert DeviceImport.objects.count() == 0


def test_template_download_has_a_bom_the_headings_and_one_example(it_client):
    response = it_client.get(reverse("reuse:intake-template"))
    assert response["Content-Disposition"] == 'attachment; filename="relay-intake-template.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [c.heading for c in COLUMNS] and len(rows) == 2
    assert plan_import(response.content).ok


def test_intake_page_links_to_the_single_device_form_and_the_template(it_client):
    page = it_client.get(reverse("reuse:intake")).content.decode()
    assert reverse("reuse:device-add") in page and reverse("reuse:intake-template") in page


@pytest.mark.parametrize("username", ["dina", "carl", "nobody"])
def test_only_it_may_use_intake(client, depot, dina, carl, nobody, username):
    client.force_login({"dina": dina, "carl": carl, "nobody": nobody}[username])
    for url in (reverse("reuse:intake"), reverse("reuse:intake-template"), reverse("reuse:device-add")):
        assert client.get(url).status_code == 403


def test_intake_is_in_the_menu_for_it_only(client, alice, carl):
    client.force_login(alice)
    assert ("Intake", reverse("reuse:intake")) in [
        (i["label"], i["url"]) for i in client.get(reverse("reuse:intake")).context["navigation"]
    ]
    page = client.get(reverse("reuse:intake"))
    assert [i["label"] for i in page.context["navigation"] if i["current"]] == ["Intake"]
    other = make_user("carla", None)
    client.force_login(other)
    assert "Intake" not in [i["label"] for i in client.get("/").context["navigation"]]


def test_preview_opens_the_options_when_dates_look_like_another_format(it_client, depot):
    preview = upload(it_client, fixture("assets-sample.csv"), depot, name="assets.csv").url
    page = it_client.get(preview)
    assert page.context["plan"]["wrong_date_format"]
    assert '<details class="govuk-details" open>' in page.content.decode()
    other = upload(it_client, native_csv([laptop(1, serial="6.37702E+15")]), depot).url
    assert '<details class="govuk-details" open>' not in it_client.get(other).content.decode()


def test_the_preview_reads_the_stored_plan_not_the_file(it_client, depot):
    """Attack: a 19 MB CSV re-parsed on every preview view. The file is parsed once, at upload; a preview
    reads the stored summary, so even a file that could no longer be read shows the same preview."""
    preview = upload(it_client, native_csv([laptop(1), laptop(2)]), depot).url
    record = DeviceImport.objects.get()
    assert record.plan and record.preview["to_create"] == 2
    DeviceImport.objects.filter(pk=record.pk).update(content=b"not,a,plan\n")  # were it parsed again, it would say so
    page = it_client.get(preview)
    assert page.context["plan"]["to_create"] == 2 and b"Import 2 devices" in page.content
    it_client.post(preview, {"action": "import", "expected": "2"})
    assert Device.objects.count() == 2
    record.refresh_from_db()
    assert record.content is None and record.plan is None and record.preview is None


def test_a_device_added_since_the_upload_is_found_at_confirmation(it_client, depot, make_device):
    preview = upload(it_client, native_csv([laptop(1), laptop(2)]), depot).url
    make_device(serial="SN00002", make="Dell", model="Latitude 5490")
    response = it_client.post(preview, {"action": "import", "expected": "2"})
    assert response.status_code == 200 and response.context["plan"]["to_create"] == 1
    assert Device.objects.count() == 1


def test_unconfirmed_uploads_expire_on_the_hourly_clean_up(it_client, depot):
    from datetime import timedelta

    from django.utils import timezone
    from django_q.models import Schedule

    from reuse.tasks import intake_uploads_expire

    upload(it_client, native_csv([laptop(1)]), depot)
    assert Schedule.objects.filter(func="reuse.tasks.intake_uploads_expire", schedule_type=Schedule.HOURLY).exists()
    assert intake_uploads_expire() == 0
    DeviceImport.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    assert intake_uploads_expire() == 1
    assert not DeviceImport.objects.exists()


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(it_client, depot, settings):
    """Attack: a huge upload spooled to disk in full before the form's size check runs."""
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.csv", b"Type,Make,Model\n" + b"laptop,Dell,X\n" * 90_000, content_type="text/csv")
    response = it_client.post(reverse("reuse:intake"), {"file": big, "site": depot.pk, "date_format": "uk"})
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not DeviceImport.objects.exists()
