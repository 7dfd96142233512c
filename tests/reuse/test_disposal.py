"""Disposal batches: every device through the lifecycle, all or nothing, with the recycler's paperwork."""

import pytest

from core.errors import DomainError
from reuse.models import CustodyEvent, Device, DisposalBatch
from reuse.services.disposal import disposal_batch_create, disposal_batch_record_certificate
from reuse.services.lifecycle import device_transition


def paperwork(**overrides):
    return {
        "recycler": "Anytown Electronics Recycling Ltd",
        "waste_transfer_note": "WTN-2026-0412",
        "destruction_certificate": "",
        **overrides,
    }


def test_recycling_a_batch_moves_each_device_with_a_custody_event(make_device, alice):
    devices = [make_device() for _ in range(3)]
    batch = disposal_batch_create(devices=devices, method="recycled", actor=alice, **paperwork())
    assert batch.reference.startswith("RLY-DSP-")
    assert set(batch.devices.all()) == set(devices)
    for device in devices:
        device.refresh_from_db()
        assert device.status == "recycled"
        event = device.events.order_by("-seq").first()
        assert event.to_status == "recycled" and batch.reference in event.reason and "WTN-2026-0412" in event.reason


def test_a_device_that_cannot_go_there_is_named_and_nothing_is_written(make_device, ready_device, alice):
    fine = make_device()
    on_shelf = ready_device()
    events_before = CustodyEvent.objects.count()
    with pytest.raises(DomainError) as err:
        disposal_batch_create(devices=[fine, on_shelf], method="destroyed", actor=alice, **paperwork())
    assert err.value.code == "disposal_not_allowed"
    assert err.value.details["devices"] == [on_shelf.asset_tag]
    assert f"{on_shelf.asset_tag} (ready for reuse)" in err.value.message
    assert DisposalBatch.objects.count() == 0 and CustodyEvent.objects.count() == events_before
    assert Device.objects.get(pk=fine.pk).status == "received"


def test_quarantined_devices_can_be_destroyed(make_device, alice):
    device = make_device()
    device_transition(device=device, to_status="quarantined", actor=alice, reason="Drive would not wipe")
    disposal_batch_create(devices=[device], method="destroyed", actor=alice, **paperwork())
    assert Device.objects.get(pk=device.pk).status == "destroyed"


def test_a_disposed_device_cannot_be_disposed_again(make_device, alice):
    device = make_device()
    disposal_batch_create(devices=[device], method="recycled", actor=alice, **paperwork())
    with pytest.raises(DomainError) as err:
        disposal_batch_create(devices=[device], method="destroyed", actor=alice, **paperwork())
    assert err.value.code == "disposal_not_allowed"


def test_certificate_of_destruction_is_added_once(make_device, alice):
    batch = disposal_batch_create(devices=[make_device()], method="destroyed", actor=alice, **paperwork())
    disposal_batch_record_certificate(batch=batch, reference="COD-77812", actor=alice)
    assert DisposalBatch.objects.get().destruction_certificate == "COD-77812"
    with pytest.raises(DomainError) as err:
        disposal_batch_record_certificate(batch=batch, reference="COD-99999", actor=alice)
    assert err.value.code == "already_recorded"


def form(tags, **overrides):
    return {"method": "recycled", "collected_on": "24/01/2026", "notes": "", "tags": tags, **paperwork(), **overrides}


def test_disposal_page_by_scanned_tags(client, make_device, alice):
    devices = [make_device() for _ in range(2)]
    client.force_login(alice)
    response = client.post("/devices/disposal/new/", form(f"{devices[0].asset_tag.lower()}\n{devices[1].asset_tag}"))
    batch = DisposalBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert str(batch.collected_on) == "2026-01-24"
    assert all(Device.objects.get(pk=d.pk).status == "recycled" for d in devices)
    assert "WTN-2026-0412" in client.get(batch.get_absolute_url()).content.decode()


def test_disposal_page_names_unknown_and_refused_devices(client, make_device, ready_device, alice):
    fine, shelf = make_device(), ready_device()
    client.force_login(alice)
    body = client.post("/devices/disposal/new/", form(f"{fine.asset_tag} RLY-999999")).content.decode()
    assert "No device has the tag RLY-999999" in body and "govuk-error-summary" in body
    body = client.post("/devices/disposal/new/", form(f"{fine.asset_tag}, {shelf.asset_tag}")).content.decode()
    assert f"{shelf.asset_tag} (ready for reuse)" in body
    assert DisposalBatch.objects.count() == 0 and Device.objects.get(pk=fine.pk).status == "received"


def test_disposal_page_requires_the_waste_transfer_note(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    response = client.post("/devices/disposal/new/", form(device.asset_tag, waste_transfer_note=""))
    assert response.status_code == 200 and response.context["form"].errors["waste_transfer_note"]
    assert Device.objects.get(pk=device.pk).status == "received"


def test_disposal_form_prefills_devices_chosen_elsewhere(client, make_device, alice):
    devices = [make_device() for _ in range(2)]
    client.force_login(alice)
    body = client.get("/devices/disposal/new/", {"device": [d.pk for d in devices]}).content.decode()
    assert f"{devices[0].asset_tag}\n{devices[1].asset_tag}" in body
    assert "---------" not in body


def test_disposal_list_within_a_query_budget(client, make_device, alice, django_assert_max_num_queries):
    for _ in range(5):
        disposal_batch_create(devices=[make_device()], method="recycled", actor=alice, **paperwork())
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        response = client.get("/devices/disposal/")
    assert len(response.context["page"].object_list) == 5


@pytest.mark.parametrize("persona", ["dina", "carl"])
def test_disposal_is_for_it(client, make_device, persona, request):
    device = make_device()
    client.force_login(request.getfixturevalue(persona))
    assert client.post("/devices/disposal/new/", form(device.asset_tag)).status_code == 403
    assert Device.objects.get(pk=device.pk).status == "received"
