import logging

log = logging.getLogger(__name__)


def check_database(connection) -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        log.warning("health check: database unavailable: %s", type(exc).__name__)
        return "unavailable"
    return "ok"


def check_broker() -> str:
    """The django-q2 broker answers: Redis PING, or the ORM queue table can be read."""
    try:
        from django_q.brokers import get_broker

        broker = get_broker()
        if not broker.ping():
            return "unavailable"
        broker.queue_size()
    except Exception as exc:
        log.warning("health check: task broker unavailable: %s", type(exc).__name__)
        return "unavailable"
    return "ok"
