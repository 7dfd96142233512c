"""Sanitisation batches: the worklist, bulk mark-sanitised, batch certificates, and the verification queue."""

import pytest

from core.errors import DomainError
from reuse.gates import gate_problems_bulk, sanitisation_gate_problems
from reuse.models import Certificate, Device, ResetChecklist
from reuse.services.lifecycle import device_transition
from reuse.services.sanitisation import medium_remove
from tests.factories import record_wipe, wipe_all

URL = "/devices/sanitisation/batch/"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def scenarios(make_device, alice, bob):
    """One device in each state the gate can find it in."""
    devices = []
    devices.append(make_device(media=0))  # no drives
    devices.append(make_device(media=2))  # nothing wiped
    d = make_device(media=2)
    record_wipe(d, d.media.first(), operator=alice, verifier=bob)  # one of two
    devices.append(d)
    d = make_device()
    record_wipe(d, d.media.get(), operator=alice, verifier=None)  # unverified
    devices.append(d)
    d = make_device()
    record_wipe(d, d.media.get(), operator=alice, verifier=bob, result="failed")
    devices.append(d)
    d = make_device()
    wipe_all(d, operator=alice, verifier=bob)  # ready
    devices.append(d)
    d = make_device(media=2)
    wipe_all(d, operator=alice, verifier=bob)
    medium_remove(medium=d.media.last(), actor=alice, reason="x")  # removed drive
    devices.append(d)
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    devices.append(phone)  # no checklist
    tablet = make_device(kind="tablet", media=0)
    ResetChecklist.objects.create(
        device=tablet, cycle=1, operator=alice, verified_by=None, **dict.fromkeys(ResetChecklist.ITEMS, True)
    )
    devices.append(tablet)  # unverified checklist
    hotspot = make_device(kind="hotspot", media=0)
    ResetChecklist.objects.create(
        device=hotspot,
        cycle=1,
        operator=alice,
        verified_by=bob,
        **{**dict.fromkeys(ResetChecklist.ITEMS, True), "sim_removed": False},
    )
    devices.append(hotspot)  # incomplete
    d = make_device()
    wipe_all(d, operator=alice, verifier=bob)
    device_transition(device=d, to_status="sanitised", actor=alice)
    device_transition(device=d, to_status="ready", actor=alice)
    device_transition(device=d, to_status="received", actor=alice, reason="back")  # wipe from last cycle
    devices.append(d)
    return [Device.objects.get(pk=d.pk) for d in devices]


def test_bulk_gate_says_exactly_what_the_gate_says(make_device, alice, bob, django_assert_max_num_queries):
    devices = scenarios(make_device, alice, bob)
    with django_assert_max_num_queries(4):
        bulk = gate_problems_bulk(devices)
    assert {pk: p for pk, p in bulk.items()} == {d.pk: sanitisation_gate_problems(d) for d in devices}
    assert sum(1 for p in bulk.values() if not p) == 2


def test_inventory_bulk_action_posts_device_ids_and_opens_the_worklist(client, make_device, alice):
    devices = [make_device() for _ in range(3)]
    client.force_login(alice)
    response = client.post(URL, {"device": [d.pk for d in devices]})
    assert response.status_code == 303
    page = client.get(response["Location"])
    body = page.content.decode()
    assert all(d.asset_tag in body for d in devices)
    assert "No passing, verified wipe for" in body


def test_worklist_by_lot_with_a_query_budget(client, make_device, alice, bob, django_assert_max_num_queries):
    for n in range(30):
        device = make_device(lot="LOT-202601")
        if n % 2:
            wipe_all(device, operator=alice, verifier=bob)
    make_device(lot="LOT-OTHER")
    client.force_login(alice)
    with django_assert_max_num_queries(15):
        response = client.get(URL, {"lot": "LOT-202601"})
    body = response.content.decode()
    assert len(response.context["rows"]) == 30 and response.context["ready"] == 15
    assert 'name="mark"' in body and body.count('name="mark"') == 15


def test_mark_sanitised_moves_the_ones_that_pass_and_names_the_rest(client, make_device, alice, bob):
    ready = [make_device(lot="L1") for _ in range(3)]
    for device in ready:
        wipe_all(device, operator=alice, verifier=bob)
    not_ready = make_device(lot="L1")
    client.force_login(alice)
    response = client.post(
        URL, {"lot": "L1", "action": "mark", "mark": [d.pk for d in [*ready, not_ready]]}, follow=True
    )
    body = response.content.decode()
    assert all(Device.objects.get(pk=d.pk).status == "sanitised" for d in ready)
    assert Device.objects.get(pk=not_ready.pk).status == "received"
    assert "3 devices marked sanitised" in body
    assert f"1 not marked (each left as it was). {not_ready.asset_tag}: No passing, verified wipe" in body
    assert all(Device.objects.get(pk=d.pk).events.filter(to_status="sanitised").count() == 1 for d in ready)


def test_batch_certificate_for_the_sanitised_devices_of_a_lot(client, make_device, alice, bob):
    devices = [make_device(lot="L2") for _ in range(3)]
    for device in devices[:2]:
        wipe_all(device, operator=alice, verifier=bob)
        device_transition(device=device, to_status="sanitised", actor=alice)
    client.force_login(alice)
    response = client.post(URL, {"lot": "L2", "action": "certificate"})
    certificate = Certificate.objects.get()
    assert response["Location"] == certificate.get_absolute_url()
    assert set(certificate.devices.all()) == set(devices[:2])


def test_batch_certificate_with_nothing_sanitised_explains(client, make_device, alice):
    make_device(lot="L3")
    client.force_login(alice)
    body = client.post(URL, {"lot": "L3", "action": "certificate"}, follow=True).content.decode()
    assert "Choose at least one device to certify" in body and Certificate.objects.count() == 0


def test_verification_queue_shows_other_peoples_wipes(client, make_device, alice, bob):
    mine, theirs = make_device(), make_device()
    own = record_wipe(mine, mine.media.get(), operator=bob, verifier=None)
    other = record_wipe(theirs, theirs.media.get(), operator=alice, verifier=None)
    client.force_login(bob)
    response = client.get("/devices/sanitisation/")
    assert list(response.context["records"]) == [other]
    assert own not in response.context["records"]


@pytest.mark.parametrize("persona", ["dina", "carl"])
def test_batch_pages_are_for_it(client, make_device, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get("/devices/sanitisation/").status_code == 403


def test_mark_refuses_unlisted_transition_per_device(make_device, alice):
    from reuse.services.sanitisation import batch_mark_sanitised

    device = make_device()
    outcome = batch_mark_sanitised(devices=[device], actor=alice)
    assert outcome.done == [] and isinstance(outcome.failed[0][1], DomainError)
    assert outcome.failed[0][1].code == "not_sanitised"
