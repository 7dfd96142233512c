"""Every page a coordinator works on fits a 390 px phone (issue 12: "every page usable at 390 px wide"):
wide tables scroll inside their own box, the page itself never scrolls sideways. The depot's and the desk's
pages are checked in test_depot_day and test_desk_day; these are the coordinator's and the public's."""

import pytest

from reuse.labels.seed import seed_label_templates
from reuse.models import LabelTemplate
from tests.e2e.browser import assert_accessible, sign_in
from tests.security.world import COORD, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def too_wide(page, urls: list[str]) -> list[str]:
    wide = []
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append(f"{url} is {width} px wide")
    return wide


def test_coordinator_pages_fit_a_phone(browser, live_server):
    seed_label_templates(LabelTemplate)  # an earlier browser test's flush took the migration's templates
    world = build_world()
    request = world.args["request"][0]
    run = world.args["run"][0]
    handover = world.args["handover"][0]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, world.users[COORD].username)
        wide = too_wide(
            page,
            [
                "/",
                "/matching/requests/",
                f"/matching/requests/{request}/",
                "/matching/runs/",
                f"/matching/runs/{run}/",
                "/matching/shortages/",
                "/matching/handovers/",
                f"/matching/handovers/{handover}/",
                "/dashboard/",
                "/open-data/",
                "/open-data/method/",
            ],
        )
        assert wide == []
        for url in (f"/matching/requests/{request}/", "/matching/runs/", "/dashboard/", "/open-data/method/"):
            page.goto(url)
            assert_accessible(page, f"coordinator-390{url.replace('/', '-')}")
    finally:
        context.close()
