"""Attack: moving a device, changing its type or taking out a drive through the admin's device form, which
would change where it is or what it is without a custody event."""

from django.urls import reverse

from reuse.models import CustodyEvent


def _device_form(device, **changes) -> dict:
    medium = device.media.get()
    data = {
        "council_asset_number": device.council_asset_number,
        "kind": "phone",
        "make": device.make,
        "model": device.model,
        "serial": device.serial,
        "imei": "",
        "site": "",
        "grade": "",
        "received_at_0": "01/01/2026",
        "received_at_1": "09:00:00",
        "notes": "corrected",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "1",
        "media-0-id": str(medium.pk),
        "media-0-device": str(device.pk),
        "media-0-kind": medium.kind,
        "media-0-removed_at_0": "01/01/2026",
        "media-0-removed_at_1": "09:00:00",
        "media-0-DELETE": "on",
    }
    data.update(changes)
    return data


def test_admin_device_form_cannot_move_retype_or_pull_drives(client, ada, make_device, branch):
    device = make_device(serial="SN-ADMIN-1")
    events = CustodyEvent.objects.filter(device=device).count()
    client.force_login(ada)
    url = reverse("admin:reuse_device_change", args=[device.pk])
    response = client.post(url, _device_form(device, site=str(branch.pk)))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.notes == "corrected"  # details may still be corrected here
    assert device.site.code == "DEPOT" and device.kind == "laptop"
    medium = device.media.get()
    assert medium.removed_at is None
    assert CustodyEvent.objects.filter(device=device).count() == events


def test_admin_device_page_links_to_the_device_s_own_page(client, ada, make_device):
    device = make_device(serial="SN-ADMIN-2")
    client.force_login(ada)
    page = client.get(reverse("admin:reuse_device_change", args=[device.pk]))
    assert f'href="/d/{device.asset_tag}"'.encode() in page.content
