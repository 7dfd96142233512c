"""Finding a borrower: by card scan or by search (name, card, email, postcode), never by counting ids."""

import pytest

from core.models import PersonalDataAccess
from lending.models import Borrower


def search(desk, text):
    response = desk.post("/borrowers/search/", {"q": text})
    return response, (desk.get("/borrowers/search/").content.decode() if response.status_code == 302 else "")


@pytest.mark.parametrize("text", ["clarke", "Rosa Cl", "9999", "rosa@example", "an1 "])
def test_search_finds_by_name_card_email_or_postcode(desk, make_borrower, text):
    make_borrower(name="Rosa Clarke", email="rosa@example.com", card_number="20417000009999", postcode="AN1 2BB")
    make_borrower(name="Tom Hughes", email="tom@example.org", card_number="20417000001111", postcode="ZZ9 9ZZ")
    response, body = search(desk, text)
    assert response.status_code == 302 and response["Location"] == "/borrowers/search/"
    assert "Rosa Clarke" in body and "Tom Hughes" not in body
    assert "••••9999" in body and "AN1 2BB" in body
    assert "20417000009999" not in body and "rosa@example.com" not in body  # only what the desk needs


def test_the_words_searched_never_reach_a_url(desk, borrower):
    response, _body = search(desk, "Rosa Clarke")
    assert "Rosa" not in response["Location"]


def test_fewer_than_three_characters_is_a_form_error_naming_the_field(desk, borrower):
    response, _ = search(desk, "ro")
    body = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in body
    assert "Enter at least 3 characters of the name, library card, email or postcode" in body


def test_results_are_capped_and_each_view_is_logged(desk, make_borrower, dina):
    for i in range(30):
        make_borrower(name=f"Sam Smith {i:02d}")
    _, body = search(desk, "smith")
    assert body.count("Sam Smith") == 25 and "the first 25" in body
    assert PersonalDataAccess.objects.filter(actor=dina, what="borrower search results").count() == 25


def test_anonymised_borrowers_are_not_found(desk, borrower):
    Borrower.objects.filter(pk=borrower.pk).update(anonymised_at="2026-01-01T00:00Z")
    _, body = search(desk, "clarke")
    assert "Nobody matches" in body


def test_a_name_in_the_scan_box_goes_to_the_search(desk, borrower, branch):
    response = desk.post(f"/desk/{branch.code}/scan/", {"scan": "Rosa Clarke"})
    assert response.status_code == 302 and response["Location"] == "/borrowers/search/"
    body = desk.get("/borrowers/search/").content.decode()
    assert borrower.get_absolute_url() in body


def test_borrower_list_is_paginated_and_logged(desk, make_borrower, dina, django_assert_max_num_queries):
    for i in range(55):
        make_borrower(name=f"Person {i:02d}")
    with django_assert_max_num_queries(10):
        body = desk.get("/borrowers/").content.decode()
    assert "55 borrowers" in body and "Person 00" in body and "Person 50" not in body
    assert "Person 54" in desk.get("/borrowers/?page=2").content.decode()
    assert PersonalDataAccess.objects.filter(what="borrower list").count() == 55


def test_borrower_pages_are_addressed_by_a_random_key_not_an_id(desk, borrower, dina):
    assert str(borrower.key) in borrower.get_absolute_url()
    assert desk.get(f"/borrowers/{borrower.pk}/").status_code == 404
    assert desk.get(borrower.get_absolute_url()).status_code == 200
    assert PersonalDataAccess.objects.filter(actor=dina, subject_id=borrower.pk, what="borrower record").exists()


def test_only_desk_staff_search_or_list(client, alice, carl, borrower):
    for user in (alice, carl):
        client.force_login(user)
        assert client.get("/borrowers/").status_code == 403
        assert client.post("/borrowers/search/", {"q": "clarke"}).status_code == 403
