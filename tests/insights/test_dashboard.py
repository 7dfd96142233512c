"""The coordinator dashboard: who sees it, its filter, its charts with their tables, and its query budget."""

import re

import pytest
from django.urls import reverse

from insights.models import Publication
from insights.services import figures_refresh
from reuse.models import DeviceStatus
from tests.insights.conftest import GIFTED, LENT, RECYCLED, at

S = DeviceStatus
URL = "/dashboard/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(history, branch, other_branch):
    history("laptop", at(2026, 1, 5), LENT, where={S.ON_LOAN: branch})
    history("laptop", at(2026, 1, 6), LENT, where={S.ON_LOAN: other_branch})
    history("tablet", at(2026, 2, 2), GIFTED)
    history("desktop", at(2026, 3, 1), RECYCLED)
    return figures_refresh()


def signed_in(client, user):
    client.force_login(user)
    return client


def cell(page: str, caption: str, row: str) -> str:
    """The number in the row `row` of the table captioned `caption`."""
    table = page.split(f">{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return re.search(rf">{re.escape(row)}</th><td[^>]*>([^<]*)<", table).group(1)


@pytest.mark.parametrize("who", ["carl", "ada"])
def test_coordinators_and_administrators_see_the_dashboard(client, figures, who, request):
    response = signed_in(client, request.getfixturevalue(who)).get(URL, {"start": "01/01/2026", "end": "31/03/2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert cell(page, "Devices received per month", "Jan 26") == "2"
    assert cell(page, "Devices lent per month", "Jan 26") == "2"
    assert cell(page, "Devices gifted per month", "Feb 26") == "1"
    assert cell(page, "Devices recycled per month", "Mar 26") == "1"
    assert cell(page, "Loans issued per branch", "Central Library") == "1"


@pytest.mark.parametrize("who", ["alice", "dina", "nobody"])
def test_other_roles_are_refused(client, figures, who, request):
    assert signed_in(client, request.getfixturevalue(who)).get(URL).status_code == 403


def test_signed_out_goes_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_chart_is_a_labelled_svg_beside_a_table(client, figures, carl):
    page = signed_in(client, carl).get(URL, {"start": "01/01/2026", "end": "31/03/2026"}).content.decode()
    charts = re.findall(r'<svg class="relay-chart"[^>]*aria-labelledby="([^"]+)"', page)
    assert len(charts) == 14  # six flows, four request figures, days to reuse, branches, e-waste, emissions
    for labelled_by in charts:
        assert f'<title id="{labelled_by}">' in page
    assert "<script" not in page.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    assert page.count('<rect x="') >= 4


def test_filter_by_site(client, figures, carl, branch):
    page = (
        signed_in(client, carl)
        .get(URL, {"start": "01/01/2026", "end": "31/03/2026", "site": branch.pk})
        .content.decode()
    )
    assert cell(page, "Devices lent per month", "Jan 26") == "1"
    assert cell(page, "Devices received per month", "Jan 26") == "0"  # received at the depot


def test_filter_by_months(client, figures, carl):
    page = signed_in(client, carl).get(URL, {"start": "15/02/2026", "end": "20/02/2026"}).content.decode()
    assert "Feb 26" in page and ">Jan 26<" not in page and ">Mar 26<" not in page
    assert cell(page, "Devices gifted per month", "Feb 26") == "1"


@pytest.mark.parametrize(
    "query, message",
    [
        ({"start": "31/02/2026"}, "Enter a valid date"),
        ({"start": "01/03/2026", "end": "01/01/2026"}, "The end must be the same month as the start or later"),
        ({"site": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_filters_show_the_error_summary_and_keep_what_was_typed(client, figures, carl, query, message):
    response = signed_in(client, carl).get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem with the filters" in page and message in page
    for value in query.values():
        assert f'value="{value}"' in page or f'value="{value}" selected' in page or query.get("site")


def test_the_dashboard_opens_on_the_last_twelve_months(client, figures, carl):
    page = signed_in(client, carl).get(URL).content.decode()
    assert len(re.findall(r"<caption[^>]*>Devices received per month</caption>", page)) == 1
    table = page.split(">Devices received per month</caption>", 1)[1].split("</table>", 1)[0]
    assert table.count('scope="row"') == 12


def test_dashboard_fits_its_query_budget(client, figures, carl, django_assert_max_num_queries):
    signed_in(client, carl).get(URL)  # warm the session
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"start": "01/01/2026", "site": ""}).status_code == 200


def test_recount_button_recounts(client, figures, carl, history, django_capture_on_commit_callbacks):
    history("laptop", at(2026, 1, 7))
    before = Publication.objects.get().refreshed_at
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, carl).post(reverse("insights:dashboard-refresh"))
    assert response.status_code == 302
    assert Publication.objects.get().refreshed_at > before
    page = client.get(URL, {"start": "01/01/2026", "end": "31/01/2026"}).content.decode()
    assert cell(page, "Devices received per month", "Jan 26") == "3"


def test_only_coordinators_may_recount(client, figures, alice):
    assert signed_in(client, alice).post(reverse("insights:dashboard-refresh")).status_code == 403
    assert signed_in(client, alice).get(reverse("insights:dashboard-refresh")).status_code in (403, 405)


def test_dashboard_appears_in_the_coordinators_menu(client, carl, alice):
    assert 'href="/dashboard/"' in signed_in(client, carl).get("/").content.decode()
    client.logout()
    assert 'href="/dashboard/"' not in signed_in(client, alice).get("/").content.decode()
