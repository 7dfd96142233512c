"""The inventory search answered from indexes: the same devices as the plain substring search, on SQLite
(a trigram FTS5 table kept by triggers) and PostgreSQL (pg_trgm), and a bounded count on big lists."""

import pytest
from django.db import connection
from django.db.models import Q

from reuse.filters import DeviceFilter
from reuse.models import Device
from reuse.models.search import FTS_TABLE, SQLITE_TRIGGERS, search_index_ensure
from reuse.services.lifecycle import devices_create
from tests.factories import received
from tests.reuse.test_inventory import tags

WORDS = [
    "Latitude",
    "latitude",
    "LATITUDE 54",
    "5490",
    "RLY-00000",
    "rly",
    "SN-A",
    "sn-a1",
    "90",  # too short for a trigram: scanned
    "Think",
    "pad X1",
    "CA-777",  # a whole council asset number
    "ca-77",  # part of one: not a match
    "%",
    "_",
    'quo"te',
    "Nothing-like-this",
]


@pytest.fixture
def catalogue(make_device):
    made = [
        make_device(model="Latitude 5490", serial="SN-A1"),
        make_device(model="Latitude 7400", serial="sn-a2"),
        make_device(make="Lenovo", model="ThinkPad X1 Carbon Gen 11", serial="LEN-90", council_asset_number="CA-777"),
        make_device(make="Apple", model='iPad 100% "quo"te"', serial="AP_1"),
        make_device(model="OptiPlex 3090", serial="DL-3090"),
    ]
    return made


def _plain(words: str) -> list[str]:
    """What the search found before it had indexes: substring matches, word by word."""
    queryset = Device.objects.all()
    for word in words.split()[:5]:
        queryset = queryset.filter(
            Q(asset_tag__icontains=word)
            | Q(serial__icontains=word)
            | Q(model__icontains=word)
            | Q(council_asset_number__iexact=word)
        )
    return sorted(queryset.values_list("asset_tag", flat=True))


@pytest.mark.parametrize("words", WORDS)
def test_the_search_finds_what_the_substring_search_found(catalogue, words):
    found = DeviceFilter({"q": words}, queryset=Device.objects.all()).qs
    assert sorted(found.values_list("asset_tag", flat=True)) == _plain(words)


def test_the_search_finds_some_and_not_others(catalogue):
    search = lambda q: sorted(DeviceFilter({"q": q}, queryset=Device.objects.all()).qs.values_list("serial", flat=True))  # noqa: E731
    assert search("latitude") == ["SN-A1", "sn-a2"]
    assert search("CA-777") == ["LEN-90"]
    assert search("carbon gen") == ["LEN-90"]
    assert search("ca-77") == []


def test_a_changed_model_is_found_by_its_new_name_only(catalogue):
    device = catalogue[0]
    Device.objects.filter(pk=device.pk).update(model="Precision 3561")
    found = lambda q: list(DeviceFilter({"q": q}, queryset=Device.objects.all()).qs.values_list("pk", flat=True))  # noqa: E731
    assert device.pk in found("precision")
    assert device.pk not in found("5490")


def test_devices_written_in_bulk_are_found(depot, alice, catalogue):
    history = received(at=catalogue[0].received_at, actor=alice, site=depot, reason="Received from council IT")
    devices_create(
        [(Device(asset_tag="RLY-990001", site=depot, kind="laptop", make="HP", model="EliteBook 840 G8"), history)]
    )
    assert list(
        DeviceFilter({"q": "elitebook"}, queryset=Device.objects.all()).qs.values_list("asset_tag", flat=True)
    ) == ["RLY-990001"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the triggers are SQLite's")
def test_triggers_a_table_rebuild_dropped_are_put_back_and_the_index_rebuilt(catalogue):
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    Device.objects.filter(pk=catalogue[4].pk).update(model="Vostro 3520")
    search_index_ensure()
    assert _plain("vostro") == sorted(
        DeviceFilter({"q": "vostro"}, queryset=Device.objects.all()).qs.values_list("asset_tag", flat=True)
    )
    assert _plain("latitude") == sorted(
        DeviceFilter({"q": "latitude"}, queryset=Device.objects.all()).qs.values_list("asset_tag", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reuse_device_search_%%'"
        )
        assert cursor.fetchone()[0] == len(SQLITE_TRIGGERS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_has_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'reuse_device' AND indexname LIKE %s", ["%trgm"]
        )
        assert sorted(name for (name,) in cursor.fetchall()) == [
            "reuse_device_asset_tag_trgm",
            "reuse_device_model_trgm",
            "reuse_device_serial_trgm",
        ]


def test_a_long_list_says_more_than_the_limit_instead_of_counting(client, alice, many_devices, monkeypatch):
    monkeypatch.setattr("reuse.views.inventory.COUNT_LIMIT", 30)
    many_devices(60)
    client.force_login(alice)
    response = client.get("/devices/?per_page=25")
    assert "More than 30 devices" in response.content.decode()
    assert len(tags(response)) == 25
    assert 'rel="next"' in response.content.decode()
    second = client.get("/devices/?per_page=25&page=2")
    assert len(tags(second)) == 25 and 'rel="next"' in second.content.decode()
    third = client.get("/devices/?per_page=25&page=3")  # past the count's limit: still reached
    assert len(tags(third)) == 10 and 'rel="next"' not in third.content.decode()
    assert client.get("/devices/?per_page=25&page=99999999999999999999").status_code == 200


def test_a_list_under_the_limit_is_counted_exactly(client, alice, many_devices):
    many_devices(7)
    client.force_login(alice)
    assert "7 devices" in client.get("/devices/").content.decode()
