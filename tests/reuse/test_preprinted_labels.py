"""Labels printed ahead of time: their tags wait, unclaimed, until intake scans one onto a new device."""

import pytest
from django.conf import settings

from core.errors import DomainError
from reuse.models import CustodyEvent, Device, PreprintedTag
from reuse.services.devices import device_register
from reuse.services.labels import preprinted_print
from tests.reuse.labelcheck import assert_codes_in_cells


@pytest.fixture
def spare_tags(l7160, alice, media_root):
    result = preprinted_print(count=3, template=l7160, actor=alice)
    return list(PreprintedTag.objects.values_list("asset_tag", flat=True)), result


def test_printing_ahead_allocates_tags_and_labels_for_them(spare_tags, l7160):
    tags, result = spare_tags
    assert len(tags) == 3 and not Device.objects.exists()
    assert PreprintedTag.objects.filter(device__isnull=True, claimed_at__isnull=True).count() == 3
    assert_codes_in_cells(result.pdf, l7160, [f"{settings.SITE_URL}/d/{tag}" for tag in tags])


def test_big_runs_are_printed_by_a_job_and_remember_it(l7160, alice, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = preprinted_print(count=50, template=l7160, actor=alice)
    assert result.pdf is None
    result.job.refresh_from_db()
    assert (result.job.kind, result.job.status, result.job.count) == ("preprinted", "done", 50)
    assert PreprintedTag.objects.filter(job=result.job).count() == 50


def test_intake_with_a_preprinted_tag_claims_it(spare_tags, alice, depot):
    tag = spare_tags[0][1]
    device = device_register(
        actor=alice, site=depot, kind="laptop", make="Dell", model="Latitude 5490", asset_tag=tag.lower()
    )
    assert device.asset_tag == tag
    spare = PreprintedTag.objects.get(asset_tag=tag)
    assert spare.device == device and spare.claimed_at is not None
    assert CustodyEvent.objects.filter(device=device, to_status="received").count() == 1


def test_intake_accepts_the_scanned_label_url(spare_tags, alice, depot):
    tag = spare_tags[0][0]
    device = device_register(
        actor=alice,
        site=depot,
        kind="phone",
        make="Samsung",
        model="Galaxy A52",
        asset_tag=f" {settings.SITE_URL}/d/{tag}\n",
    )
    assert device.asset_tag == tag


def test_a_tag_that_was_never_printed_is_refused(spare_tags, alice, depot):
    with pytest.raises(DomainError) as caught:
        device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="Latitude", asset_tag="RLY-777777")
    assert caught.value.code == "unknown_tag"
    assert not Device.objects.exists()


def test_a_tag_already_on_a_device_is_refused(spare_tags, alice, depot):
    tag = spare_tags[0][0]
    first = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="A", asset_tag=tag)
    with pytest.raises(DomainError) as caught:
        device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="B", asset_tag=tag)
    assert caught.value.code == "tag_already_used"
    assert list(Device.objects.all()) == [first]
    assert PreprintedTag.objects.get(asset_tag=tag).device == first


def test_an_existing_devices_own_tag_cannot_be_reused(make_device, alice, depot):
    existing = make_device()
    with pytest.raises(DomainError) as caught:
        device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="B", asset_tag=existing.asset_tag)
    assert caught.value.code == "tag_already_used"
    assert Device.objects.count() == 1


def test_without_a_tag_intake_allocates_a_new_one(spare_tags, alice, depot):
    device = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="Latitude 5490")
    assert device.asset_tag not in spare_tags[0]
    assert PreprintedTag.objects.filter(device__isnull=True).count() == 3


def test_the_label_of_an_unclaimed_tag_says_whose_it_is(client, spare_tags):
    tag = spare_tags[0][0]
    response = client.get(f"/d/{tag}")
    assert response.status_code == 200
    body = response.content.decode()
    assert tag in body and "This device belongs to Anytown Borough Council" in body


def test_staff_scanning_an_unclaimed_label_are_told_to_register_a_device(client, spare_tags, alice):
    client.force_login(alice)
    response = client.get(f"/d/{spare_tags[0][0].lower()}")
    assert response.status_code == 200
    assert "This label is not yet attached to a device" in response.content.decode()


def test_staff_scanning_a_claimed_label_land_on_its_device(client, spare_tags, alice, depot):
    tag = spare_tags[0][0]
    device = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="A", asset_tag=tag)
    client.force_login(alice)
    assert client.get(f"/d/{tag}")["Location"] == device.get_absolute_url()


def test_reprinting_an_unclaimed_label_by_its_tag(client, spare_tags, alice, l7160):
    tag = spare_tags[0][2]
    client.force_login(alice)
    response = client.post("/devices/labels/", {"step": "print", "tags": tag, "template": l7160.pk, "skip": 0})
    assert response["Content-Type"] == "application/pdf"
    assert_codes_in_cells(response.content, l7160, [f"{settings.SITE_URL}/d/{tag}"])


def test_two_desks_scanning_one_label_at_once_only_one_wins(spare_tags, alice, depot, monkeypatch):
    """Both pass the check; the database's unique asset tag turns the second into `tag_already_used`."""
    tag = spare_tags[0][0]
    first = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="A", asset_tag=tag)
    monkeypatch.setattr("reuse.services.devices._check_preprinted", lambda tag: None)
    with pytest.raises(DomainError) as caught:
        device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="B", asset_tag=tag)
    assert caught.value.code == "tag_already_used"
    assert list(Device.objects.all()) == [first]
