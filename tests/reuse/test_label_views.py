"""The label pages: who may use them, the hand-over from the inventory, and what bad input gets."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.models import Device, LabelJob, LabelTemplate
from tests.reuse.labelcheck import assert_codes_in_cells, decode_pdf, pdf_text

PAGES = ["reuse:label-print", "reuse:label-preprint", "reuse:label-calibration"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_an_it_or_admin_role(client, name, alice, ada, dina, carl):
    url = reverse(name)
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for person, status in ((dina, 403), (carl, 403), (alice, 200), (ada, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status, person.username


def test_inventory_selection_is_handed_over_then_printed(client, alice, many_devices, l7160):
    devices = many_devices(5)
    chosen = [devices[1], devices[3]]
    client.force_login(alice)
    page = client.post(reverse("reuse:label-print"), {"device": [d.pk for d in chosen]})
    body = page.content.decode()
    assert page.status_code == 200
    assert f"2 devices chosen: {chosen[0].asset_tag}, {chosen[1].asset_tag}" in body
    assert body.count('name="device"') == 2
    response = client.post(
        reverse("reuse:label-print"),
        {"step": "print", "device": [d.pk for d in chosen], "template": l7160.pk, "skip": "7"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="labels-L7160.pdf"'
    assert_codes_in_cells(response.content, l7160, [d.label_url for d in chosen], skip=7)


def test_one_device_page_offers_its_label(client, alice, dina, make_device, branch):
    device = make_device()
    client.force_login(alice)
    assert "Print label" in client.get(device.get_absolute_url()).content.decode()
    client.force_login(dina)
    assert "Print label" not in client.get(device.get_absolute_url()).content.decode()


def test_the_printers_usual_size_and_offsets_are_used(client, alice, many_devices, depot_printer, l7160):
    device = many_devices(1)[0]
    client.force_login(alice)
    response = client.post(
        reverse("reuse:label-print"),
        {"step": "print", "tags": device.asset_tag, "template": "", "printer": depot_printer.pk},
    )
    assert_codes_in_cells(
        response.content,
        l7160,
        [device.label_url],
        offset_x=depot_printer.offset_x_mm,
        offset_y=depot_printer.offset_y_mm,
    )
    # Remembered for next time.
    form = client.get(reverse("reuse:label-print")).context["form"]
    assert (form.initial["template"], form.initial["printer"]) == (l7160.pk, depot_printer.pk)


def test_printing_by_status(client, alice, many_devices, ready_device, l7160):
    ready = ready_device()
    many_devices(2)
    client.force_login(alice)
    response = client.post(reverse("reuse:label-print"), {"step": "print", "status": "ready", "template": l7160.pk})
    assert [code.text for code in decode_pdf(response.content)] == [ready.label_url]


def test_more_than_two_sheets_become_a_background_job(
    client, alice, many_devices, l7160, media_root, django_capture_on_commit_callbacks
):
    many_devices(43)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reuse:label-print"), {"step": "print", "status": "received", "template": l7160.pk}
        )
    job = LabelJob.objects.get()
    assert response["Location"] == reverse("reuse:label-job", args=[job.pk])
    assert (job.count, job.status, job.created_by) == (43, "done", alice)
    assert job.tags == list(Device.objects.order_by("asset_tag").values_list("asset_tag", flat=True))
    page = client.get(response["Location"])
    assert "Printing 43 labels on 3 sheets" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "tags", "Enter asset tags or choose a status"),
        ({"tags": "X", "status": "ready"}, "status", "not both"),
        ({"status": "ready", "skip": "21"}, "skip", "skip between 0 and 20"),
        ({"status": "ready", "skip": "-3"}, "skip", "must be 0 or more"),
        ({"status": "ready", "template": ""}, "template", "Choose a label size"),
    ],
)
def test_bad_choices_get_a_form_error_and_no_pdf(client, alice, l7160, data, field, message):
    client.force_login(alice)
    response = client.post(reverse("reuse:label-print"), {"step": "print", "template": l7160.pk, **data})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert "There is a problem" in body and "<title>Error: Print labels" in body


def test_unknown_tags_and_empty_selections_are_explained(client, alice, l7160, many_devices):
    many_devices(1)
    client.force_login(alice)
    response = client.post(
        reverse("reuse:label-print"), {"step": "print", "tags": "RLY-424242 nope", "template": l7160.pk}
    )
    assert "No device or pre-printed label has the tag RLY-424242, NOPE." in response.content.decode()
    response = client.post(reverse("reuse:label-print"), {"step": "print", "status": "lost", "template": l7160.pk})
    assert "nothing to print" in response.content.decode()


def test_a_size_that_no_longer_fits_is_refused_on_the_page(client, alice, many_devices, l7160):
    device = many_devices(1)[0]
    LabelTemplate.objects.filter(pk=l7160.pk).update(top_margin_mm=50)
    client.force_login(alice)
    response = client.post(
        reverse("reuse:label-print"), {"step": "print", "tags": device.asset_tag, "template": l7160.pk}
    )
    assert response["Content-Type"].startswith("text/html")
    assert "cannot be printed" in response.content.decode()


def test_preprinted_page_prints_new_tags(client, alice, l7160):
    client.force_login(alice)
    response = client.post(reverse("reuse:label-preprint"), {"count": "4", "template": l7160.pk, "skip": "1"})
    assert response["Content-Type"] == "application/pdf"
    assert len(decode_pdf(response.content)) == 4


def test_preprinted_page_refuses_silly_counts(client, alice, l7160):
    client.force_login(alice)
    for count in ("0", "-5", "1000000", "lots"):
        response = client.post(reverse("reuse:label-preprint"), {"count": count, "template": l7160.pk})
        assert response.context["form"].errors["count"], count


def test_calibration_page_from_a_printer_link(client, ada, depot_printer, l7160):
    client.force_login(ada)
    page = client.get(reverse("reuse:label-calibration"), {"printer": depot_printer.pk})
    assert page.context["form"].initial["printer"] == str(depot_printer.pk)
    response = client.get(reverse("reuse:label-calibration"), {"printer": depot_printer.pk, "download": "1"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Calibration page: Avery L7160" in text and "on Depot laser" in text
    assert "printer +1.50 mm" in text and "printer -1.00 mm" in text


def test_print_page_query_count_does_not_grow_with_jobs(client, alice, bob, l7160, django_assert_max_num_queries):
    """The page lists this person's five latest batches, with their size and state, in a fixed number of queries."""
    now = timezone.now()
    jobs = [
        LabelJob.objects.create(
            template=l7160,
            created_by=alice,
            count=n + 1,
            tags=["RLY-000001"],
            status=LabelJob.Status.DONE if n % 2 else LabelJob.Status.FAILED,
            created_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(8)
    ]
    LabelJob.objects.create(template=l7160, created_by=bob, count=99, tags=["RLY-000001"])
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reuse:label-print"))
    assert list(response.context["jobs"]) == jobs[:5]  # the newest first
    body = response.content.decode()
    shown = re.findall(r'href="/devices/labels/jobs/(\d+)/"', body)
    assert shown == [str(job.pk) for job in response.context["jobs"]]
    assert "govuk-tag--green" in body and "govuk-tag--red" in body
    assert ">99<" not in body  # bob's batch is his own


def test_labels_is_the_current_menu_item(client, alice):
    client.force_login(alice)
    navigation = client.get(reverse("reuse:label-print")).context["navigation"]
    assert [item["label"] for item in navigation if item["current"]] == ["Labels"]
