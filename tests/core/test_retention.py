"""The retention registry: apps register rules; the schedule lists them in a stable order."""

from core import retention


def test_rules_are_listed_by_name_and_registering_again_replaces(monkeypatch):
    monkeypatch.setattr(retention, "_rules", {})
    first = retention.RetentionRule("request contacts", "X_DAYS", due=lambda now: None, anonymise=lambda r: None)
    retention.register(first)
    retention.register(retention.RetentionRule("borrowers", "Y_DAYS", due=lambda now: None, anonymise=lambda r: None))
    replacement = retention.RetentionRule("request contacts", "Z_DAYS", due=lambda now: None, anonymise=lambda r: None)
    retention.register(replacement)
    assert [(r.name, r.period_setting) for r in retention.rules()] == [
        ("borrowers", "Y_DAYS"),
        ("request contacts", "Z_DAYS"),
    ]
