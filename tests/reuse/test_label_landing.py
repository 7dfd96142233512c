"""`/d/<ASSET_TAG>` is what every printed QR label holds: its meaning must never change."""


def test_member_of_public_sees_how_to_return_it_and_nothing_personal(client, make_device):
    device = make_device(serial="SN-SECRET-123", notes="Belonged to J. Smith, Housing")
    response = client.get(f"/d/{device.asset_tag}")
    assert response.status_code == 200
    body = response.content.decode()
    assert device.asset_tag in body
    assert "hand it in at any library" in body
    for private in ("SN-SECRET-123", "J. Smith", "Housing", "Latitude"):
        assert private not in body


def test_staff_land_on_the_device(client, make_device, alice):
    device = make_device()
    client.force_login(alice)
    response = client.get(f"/d/{device.asset_tag}")
    assert response.status_code == 302
    assert response["Location"] == f"/devices/{device.asset_tag}/"


def test_lower_case_tag_still_resolves(client, make_device, alice):
    """Scanners and people type tags in lower case: the same device's public page, and staff still land on it."""
    device = make_device()
    response = client.get(f"/d/{device.asset_tag.lower()}")
    assert response.status_code == 200
    assert response.context["device"] == device
    assert f"Quote the asset number <strong>{device.asset_tag}</strong>" in response.content.decode()
    client.force_login(alice)
    assert client.get(f"/d/{device.asset_tag.lower()}")["Location"] == f"/devices/{device.asset_tag}/"


def test_unknown_tag_is_404(client, db):
    assert client.get("/d/RLY-999999").status_code == 404


def test_staff_without_a_role_get_the_public_page(client, make_device, nobody):
    """Signed in is not enough: without a staff role the label shows what anyone sees, nothing more."""
    device = make_device(serial="SN-SECRET-456")
    client.force_login(nobody)
    response = client.get(f"/d/{device.asset_tag}")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "reuse/device_public.html"
    body = response.content.decode()
    assert "This device belongs to" in body and device.asset_tag in body
    for private in ("SN-SECRET-456", "Latitude", f"/devices/{device.asset_tag}/"):
        assert private not in body


def test_the_finders_phone_number_is_a_tel_link(client, make_device, settings):
    """A finder reading the page on the phone that scanned the label can call with one tap."""
    from html.parser import HTMLParser

    settings.COUNCIL_PHONE = "01234 567890"
    device = make_device()
    links: list[tuple[str, str]] = []

    class Links(HTMLParser):
        href = None

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.href = dict(attrs).get("href")

        def handle_data(self, data):
            if self.href is not None:
                links.append((self.href, data.strip()))
                self.href = None

    Links().feed(client.get(f"/d/{device.asset_tag}").content.decode())
    assert ("tel:01234567890", "01234 567890") in links


def test_desk_staff_of_another_branch_get_the_public_page_not_the_device(client, make_device, branch, other_branch):
    """Desk staff see the devices at their own branches only (issue 11's permission matrix found the device
    page open to every desk): another branch's device, scanned or typed, is what a finder sees."""
    from core.roles import DESK
    from tests.factories import make_user

    device = make_device(site=branch, serial="SN-SECRET-789")
    client.force_login(make_user("dan", DESK, [other_branch]))
    response = client.get(f"/d/{device.asset_tag}")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "reuse/device_public.html"
    assert "SN-SECRET-789" not in response.content.decode()
    assert client.get(f"/devices/{device.asset_tag}/").status_code == 404
    client.force_login(make_user("dina", DESK, [branch]))
    assert client.get(f"/d/{device.asset_tag}")["Location"] == f"/devices/{device.asset_tag}/"
    assert client.get(f"/devices/{device.asset_tag}/").status_code == 200
