"""The personal-data access log: who looked at which record, by type and id only."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core.models import AccessAction, AccessChannel, PersonalDataAccess
from core.privacy import accesses_of, log_access, log_access_many
from tests.factories import BorrowerFactory

pytestmark = pytest.mark.django_db


def test_a_look_is_logged_by_record_type_and_id_with_no_personal_data(dina):
    borrower = BorrowerFactory(name="Grace Hopper")
    entry = log_access(actor=dina, subject=borrower, what="full record")
    row = PersonalDataAccess.objects.values().get(pk=entry.pk)
    assert row["actor_id"] == dina.pk
    assert row["subject_type_id"] == ContentType.objects.get_for_model(borrower).pk
    assert row["subject_id"] == borrower.pk
    assert (row["action"], row["channel"], row["what"]) == (AccessAction.VIEW, AccessChannel.PAGE, "full record")
    assert "Grace" not in repr(row)


def test_accesses_of_a_record_are_its_own_newest_first(dina, alice):
    first, second = BorrowerFactory(), BorrowerFactory()
    log_access(actor=dina, subject=first)
    log_access(actor=alice, subject=second, action=AccessAction.EXPORT, channel=AccessChannel.API)
    log_access(actor=dina, subject=first, action=AccessAction.CHANGE)
    assert [(a.actor, a.action) for a in accesses_of(first)] == [(dina, "change"), (dina, "view")]
    assert [(a.actor, a.channel) for a in accesses_of(second)] == [(alice, "api")]


def test_a_page_of_records_is_logged_in_one_insert(dina, django_assert_num_queries):
    borrowers = BorrowerFactory.create_batch(5)
    ContentType.objects.get_for_model(borrowers[0])  # content types are cached after the first look-up
    with django_assert_num_queries(1):
        assert log_access_many(actor=dina, subjects=borrowers, channel=AccessChannel.API) == 5
    assert sorted(PersonalDataAccess.objects.values_list("subject_id", flat=True)) == sorted(b.pk for b in borrowers)


def test_an_anonymous_actor_is_logged_as_nobody(db):
    from django.contrib.auth.models import AnonymousUser

    borrower = BorrowerFactory()
    assert log_access(actor=AnonymousUser(), subject=borrower).actor_id is None
