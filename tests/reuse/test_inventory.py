"""The inventory list: filters, sorting, paging, who sees what, bulk move and a CSV export safe for Excel."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.models import CustodyEvent, Device
from reuse.services.lifecycle import device_transition
from reuse.views.inventory import safe_cell
from tests.factories import force_status

URL = "/devices/"


@pytest.fixture
def it_client(client, alice):
    client.force_login(alice)
    return client


def tags(response) -> list[str]:
    return [d.asset_tag for d in response.context["page"]]


@pytest.fixture
def stock(make_device, branch, other_branch):
    """A small, varied inventory."""
    now = timezone.now()
    devices = {
        "old_laptop": make_device(ram_gb=4, storage_gb=128, grade="C", serial="OLD1", model="Latitude 5490"),
        "big_laptop": make_device(
            ram_gb=16,
            storage_gb=512,
            grade="A",
            serial="BIG1",
            model="ThinkPad X1 Carbon",
            make="Lenovo",
            site=branch,
            lot="LOT-A",
        ),
        "desktop": make_device(
            kind="desktop", ram_gb=8, storage_gb=256, serial="DESK1", model="OptiPlex 7060", site=other_branch
        ),
        "phone": make_device(
            kind="phone",
            media=0,
            imei="490154203237518",
            ram_gb=4,
            storage_gb=64,
            model="Galaxy A52",
            make="Samsung",
            serial="",
        ),
    }
    Device.objects.filter(pk=devices["old_laptop"].pk).update(received_at=now - datetime.timedelta(days=40))
    Device.objects.filter(pk=devices["desktop"].pk).update(received_at=now - datetime.timedelta(days=10))
    force_status(devices["big_laptop"], "ready")
    return devices


def test_a_row_shows_each_column_and_escapes_what_staff_typed(it_client, make_device, branch):
    device = make_device(
        make='<script>alert("x")</script>',
        model="O'Brien & Sons",
        serial="<b>S1</b>",
        ram_gb=8,
        storage_gb=None,
        grade="B",
        site=branch,
    )
    force_status(device, "ready")
    body = it_client.get(URL).content.decode()
    row = body[body.index(f'id="select-{device.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<script>" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in row
    assert "O&#x27;Brien &amp; Sons" in row and "&lt;b&gt;S1&lt;/b&gt;" in row
    assert f'<a class="govuk-link" href="/devices/{device.asset_tag}/">{device.asset_tag}</a>' in row
    assert "Laptop, grade B" in row and "8 GB" in row and ">–<" in row and branch.name in row
    assert '<strong class="govuk-tag relay-status govuk-tag--green">Ready for reuse</strong>' in row
    assert f"Select {device.asset_tag}" in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=ready", ["big_laptop"]),
        ("kind=laptop", ["old_laptop", "big_laptop"]),
        ("kind=laptop&min_ram=8", ["big_laptop"]),
        ("min_ram=8", ["big_laptop", "desktop"]),
        ("min_storage=256", ["big_laptop", "desktop"]),
        ("grade=C", ["old_laptop"]),
        ("lot=LOT-A", ["big_laptop"]),
        ("q=optiplex", ["desktop"]),
        ("q=big1", ["big_laptop"]),
        ("q=lenovo+carbon", []),  # every word must match tag, serial, model or asset number; "lenovo" is the make
        ("q=x1+carbon", ["big_laptop"]),
    ],
)
def test_filters(it_client, stock, query, expected):
    response = it_client.get(f"{URL}?{query}")
    assert sorted(tags(response)) == sorted(stock[name].asset_tag for name in expected)


def test_filter_by_site_and_by_tag_search(it_client, stock, branch):
    assert tags(it_client.get(f"{URL}?site={branch.pk}")) == [stock["big_laptop"].asset_tag]
    tag = stock["phone"].asset_tag
    assert tags(it_client.get(f"{URL}?q={tag.lower()}")) == [tag]


def test_received_date_range_uses_whole_local_days(it_client, stock):
    today = timezone.localdate()
    since = today - datetime.timedelta(days=20)
    response = it_client.get(f"{URL}?received_from={since:%d/%m/%Y}")
    assert "old_laptop" not in [n for n, d in stock.items() if d.asset_tag in tags(response)]
    assert len(tags(response)) == 3
    until = today - datetime.timedelta(days=10)
    response = it_client.get(f"{URL}?received_from={since:%d/%m/%Y}&received_to={until:%d/%m/%Y}")
    assert tags(response) == [stock["desktop"].asset_tag]


def test_a_bad_filter_value_is_reported_not_a_crash(it_client, stock):
    response = it_client.get(f"{URL}?received_from=yesterday&status=exploded")
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"received_from", "status"}
    assert "<title>Error: Inventory" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("ram", ["old_laptop", "phone", "desktop", "big_laptop", "unknown"]),  # ties by tag; blanks last
        ("-ram", ["big_laptop", "desktop", "old_laptop", "phone", "unknown"]),
        ("-storage", ["big_laptop", "desktop", "old_laptop", "phone", "unknown"]),
        ("received", ["old_laptop", "desktop", "big_laptop", "phone", "unknown"]),
        ("site", ["big_laptop", "old_laptop", "phone", "unknown", "desktop"]),  # Central, Civic Centre, Northgate
    ],
)
def test_sorting_by_column(it_client, stock, make_device, sort, expected):
    stock["unknown"] = make_device(kind="other", media=0, serial="UNK1")
    assert tags(it_client.get(f"{URL}?sort={sort}")) == [stock[name].asset_tag for name in expected]


def test_sort_links_flip_direction_and_say_so(it_client, stock):
    response = it_client.get(f"{URL}?sort=ram&kind=laptop")
    ram = next(c for c in response.context["columns"] if c["heading"] == "RAM")
    assert (ram["aria_sort"], ram["next"]) == ("ascending", "-ram")
    assert 'aria-sort="ascending"' in response.content.decode()
    assert "?sort=-ram&amp;kind=laptop" in response.content.decode()


def test_paging_and_page_size(it_client, make_device):
    for _ in range(30):
        make_device(media=0)
    first = it_client.get(URL)
    assert len(tags(first)) == 25 and first.context["page"].paginator.num_pages == 2
    second = it_client.get(f"{URL}?page=2")
    assert len(tags(second)) == 5 and not set(tags(first)) & set(tags(second))
    assert len(tags(it_client.get(f"{URL}?per_page=50"))) == 30
    assert len(tags(it_client.get(f"{URL}?per_page=7"))) == 25  # only the offered sizes
    assert 'class="govuk-pagination"' in first.content.decode()


@pytest.mark.parametrize("per_page", [25, 200])
def test_at_most_ten_queries_whatever_the_page_size(
    it_client, make_device, branch, django_assert_max_num_queries, per_page
):
    for n in range(60):
        make_device(media=0, site=branch if n % 2 else None)
    with django_assert_max_num_queries(10):
        response = it_client.get(f"{URL}?per_page={per_page}&kind=laptop&sort=site")
    assert len(tags(response)) == min(60, per_page)


def test_desk_staff_see_only_their_branches_devices_and_no_bulk_actions(
    client, dina, stock, branch, django_assert_max_num_queries
):
    client.force_login(dina)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert tags(response) == [stock["big_laptop"].asset_tag]
    assert response.context["filter"].form.fields["site"].choices == [("", "Any site"), (branch.pk, branch.name)]
    assert 'id="bulk-form"' not in response.content.decode()
    assert "the sites you work at" in response.content.decode()
    assert tags(client.get(f"{URL}?site={stock['desktop'].site_id}")) == [stock["big_laptop"].asset_tag]


def test_coordinators_see_everything_but_cannot_act(client, carl, stock):
    client.force_login(carl)
    response = client.get(URL)
    assert len(tags(response)) == 4
    assert 'id="bulk-form"' not in response.content.decode()


def test_people_without_a_role_cannot_see_the_inventory(client, nobody):
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reuse:device-export")).status_code == 403


def test_bulk_move_moves_each_device_with_a_custody_event(it_client, stock, other_branch, alice):
    chosen = [stock["old_laptop"], stock["big_laptop"]]
    response = it_client.post(
        reverse("reuse:device-bulk-move"),
        {"device": [d.pk for d in chosen], "site": other_branch.pk, "next": f"{URL}?kind=laptop"},
    )
    assert response.url == f"{URL}?kind=laptop"
    for device in chosen:
        device.refresh_from_db()
        assert device.site == other_branch
        event = device.events.order_by("-seq").first()
        assert (event.from_status, event.to_status, event.site, event.actor) == (
            device.status,
            device.status,
            other_branch,
            alice,
        )


def test_bulk_move_leaves_devices_on_loan_and_reports_them(it_client, ready_device, other_branch, make_device):
    lent = ready_device()
    device_transition(device=lent, to_status="on_loan", actor=None)
    other = make_device()
    events = CustodyEvent.objects.count()
    response = it_client.post(
        reverse("reuse:device-bulk-move"), {"device": [lent.pk, other.pk], "site": other_branch.pk}, follow=True
    )
    lent.refresh_from_db()
    other.refresh_from_db()
    assert lent.site != other_branch and other.site == other_branch
    assert CustodyEvent.objects.count() == events + 1
    assert f"Not moved (on loan, lost or gone): {lent.asset_tag}" in response.content.decode()


def test_bulk_move_needs_devices_and_a_site(it_client, stock):
    response = it_client.post(reverse("reuse:device-bulk-move"), {"site": ""}, follow=True)
    page = response.content.decode()
    assert "Select the devices to move" in page and "Choose the site to move them to" in page


def test_bulk_move_ignores_an_offsite_return_address(it_client, stock, branch):
    response = it_client.post(
        reverse("reuse:device-bulk-move"),
        {"device": [stock["phone"].pk], "site": branch.pk, "next": "https://evil.example/"},
    )
    assert response.url == URL


def test_only_it_may_move_devices(client, dina, carl, stock, branch):
    for user in (dina, carl):
        client.force_login(user)
        response = client.post(reverse("reuse:device-bulk-move"), {"device": [stock["phone"].pk], "site": branch.pk})
        assert response.status_code == 403


def test_bulk_actions_post_the_selected_devices_to_the_batch_and_label_pages(it_client, stock):
    page = it_client.get(URL).content.decode()
    assert f'formaction="{reverse("reuse:sanitisation-batch")}"' in page
    assert f'formaction="{reverse("reuse:label-print")}"' in page
    chosen, other = stock["old_laptop"], stock["desktop"]
    labels = it_client.post(reverse("reuse:label-print"), {"device": [chosen.pk]}).content.decode()
    assert chosen.asset_tag in labels and other.asset_tag not in labels
    batch = it_client.post(reverse("reuse:sanitisation-batch"), {"device": [chosen.pk, other.pk]}, follow=True)
    assert batch.status_code == 200
    assert chosen.asset_tag in batch.content.decode() and other.asset_tag in batch.content.decode()


def read_export(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_is_the_filtered_list_not_just_one_page(it_client, stock):
    rows = read_export(it_client.get(f"{reverse('reuse:device-export')}?kind=laptop&sort=-ram&page=2"))
    assert rows[0][:4] == ["Asset tag", "Type", "Make", "Model"]
    assert [r[0] for r in rows[1:]] == [stock["big_laptop"].asset_tag, stock["old_laptop"].asset_tag]
    assert rows[1][7] == "ready" and rows[1][8] == "Central Library"


def test_export_neutralises_spreadsheet_formulas(it_client, make_device):
    make_device(
        make='=HYPERLINK("http://evil.example","x")',
        model="+SUM(A1:A9)",
        serial="-2+3",
        lot="@cmd",
        source_department="\tTab",
        cpu="\rCR",
        media=0,
    )
    row = read_export(it_client.get(reverse("reuse:device-export")))[1]
    assert row[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[3] == "'+SUM(A1:A9)"
    assert row[4] == "'-2+3"
    assert row[17] == "'@cmd"
    assert row[16] == "'\tTab"
    assert row[10] == "'\rCR"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("Dell", "Dell"),
        ("a=b", "a=b"),
        (None, ""),
        (8, "8"),
        ("", ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_desk_export_is_limited_to_their_branches(client, dina, stock):
    client.force_login(dina)
    rows = read_export(client.get(reverse("reuse:device-export")))
    assert [r[0] for r in rows[1:]] == [stock["big_laptop"].asset_tag]


def test_inventory_is_in_the_menu_for_it_desk_and_coordinators(client, alice, dina, carl):
    for user in (alice, dina, carl):
        client.force_login(user)
        labels = [i["label"] for i in client.get("/").context["navigation"]]
        assert "Inventory" in labels


def test_search_finds_a_whole_council_asset_number_only(it_client, make_device):
    device = make_device(council_asset_number="ABC123456", media=0)
    assert tags(it_client.get(f"{URL}?q=abc123456")) == [device.asset_tag]
    assert tags(it_client.get(f"{URL}?q=ABC123")) == []
