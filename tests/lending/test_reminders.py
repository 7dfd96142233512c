"""Reminders: due soon, then overdue at each configured step; each once; no personal data in logs."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from lending.models import Reminder
from lending.services.loans import loan_renew
from lending.services.reminders import reminders_send_due


@pytest.fixture
def loan(lendable, borrower, issue):
    return issue(lendable(), borrower)


def test_due_soon_reminder_goes_once(loan, settings):
    settings.LOAN_DUE_SOON_DAYS = 3
    assert reminders_send_due(today=loan.due_date - datetime.timedelta(days=4)) == 0
    assert reminders_send_due(today=loan.due_date - datetime.timedelta(days=3)) == 1
    assert reminders_send_due(today=loan.due_date - datetime.timedelta(days=2)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@example.com"]
    assert "due back on" in mail.outbox[0].subject
    assert loan.device.asset_tag in mail.outbox[0].body


def test_overdue_reminders_follow_the_configured_steps(loan, settings):
    settings.OVERDUE_REMINDER_DAYS = [1, 7, 21]
    sent = []
    for late in range(0, 30):
        if reminders_send_due(today=loan.due_date + datetime.timedelta(days=late)):
            sent.append(late)
    assert sent == [0, 1, 7, 21]  # due today counts as "due soon"
    kinds = sorted(k.split(":")[0] for k in Reminder.objects.filter(loan=loan).values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue_1", "overdue_21", "overdue_7"]
    assert all("overdue" in m.subject for m in mail.outbox[1:])


def test_a_missed_run_sends_only_the_latest_step(loan, settings):
    settings.OVERDUE_REMINDER_DAYS = [1, 7, 21]
    assert reminders_send_due(today=loan.due_date + datetime.timedelta(days=10)) == 1
    assert Reminder.objects.get().kind.startswith("overdue_7:")


def test_renewed_loan_is_reminded_again(loan, monkeypatch):
    reminders_send_due(today=loan.due_date)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: loan.due_date)  # renewed on the day it was due
    loan = loan_renew(loan=loan, actor=loan.issued_by)
    assert reminders_send_due(today=loan.due_date) == 1
    assert Reminder.objects.count() == 2


def test_borrower_without_email_gets_no_email(lendable, make_borrower, issue):
    loan = issue(lendable(), make_borrower(phone="07700 900000"))
    assert reminders_send_due(today=loan.due_date) == 0
    assert not Reminder.objects.exists()


def test_failed_send_is_not_recorded_and_is_tried_again(loan, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with pytest.raises(OSError):
        reminders_send_due(today=loan.due_date)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert reminders_send_due(today=loan.due_date) == 1


def test_logs_carry_ids_not_people(loan, caplog):
    with caplog.at_level(logging.INFO, logger="lending"):
        reminders_send_due(today=loan.due_date)
    text = caplog.text
    assert f"loan {loan.pk}" in text
    for private in ("Rosa", "Clarke", "rosa@example.com", loan.borrower.card_number):
        assert private not in text


def test_schedules_exist_once_after_migrate(db):
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"Loan reminders", "Release uncollected reservations"} <= names
    call_command("migrate", verbosity=0)
    assert Schedule.objects.filter(name="Loan reminders").count() == 1
    schedule = Schedule.objects.get(name="Loan reminders")
    assert schedule.func == "lending.tasks.send_reminders" and schedule.next_run > timezone.now()


def test_scheduled_tasks_run_the_services(loan):
    from lending import tasks

    Reminder.objects.all().delete()
    loan.due_date = timezone.localdate()
    loan.save(update_fields=["due_date"])
    assert tasks.send_reminders() == 1
    assert tasks.expire_holds() == 0
