import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from django_q.brokers.orm import ORM

    def broken(self):
        raise ConnectionError("gone")

    monkeypatch.setattr(ORM, "queue_size", broken)
    monkeypatch.setattr("django_q.brokers.redis_broker.Redis.queue_size", broken, raising=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["status"] == "error"
