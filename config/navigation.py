"""Service navigation: what each role sees along the top of every staff page.

Entries whose URL does not exist yet are left out, so a feature appears in the menu when its views do.
"""

from django.urls import NoReverseMatch, reverse

from reuse.roles import ADMIN, COORDINATOR, DESK, IT, has_role

NAVIGATION = [
    ("Home", "home", None),
    ("Inventory", "reuse:device-list", (IT, COORDINATOR, DESK)),
    ("Intake", "reuse:intake", (IT,)),
    ("Labels", "reuse:label-print", (IT,)),
    ("Desk", "lending:desk", (DESK,)),
    ("Loans", "lending:loan-list", (DESK,)),
    ("Requests", "matching:request-list", (COORDINATOR,)),
    ("Admin", "admin:index", (ADMIN,)),
]


def navigation(request):
    if not request.user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, url_name, roles in NAVIGATION:
        if roles and not has_role(request.user, *roles, ADMIN):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": False})
    # The longest URL the page sits under is current: /devices/intake/ is Intake, not Inventory too.
    matches = [i for i in items if (request.path == i["url"] if i["url"] == "/" else request.path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["current"] = True
    return {"navigation": items}
