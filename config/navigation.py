"""Service navigation: what each role sees along the top of every staff page.

Entries whose URL does not exist yet are left out, so a feature appears in the menu when its views do.
"""

from django.urls import NoReverseMatch, reverse

from core.roles import ADMIN, COORDINATOR, DESK, IT, has_role

NAVIGATION = [
    ("Home", "home", None),
    ("Inventory", "reuse:device-list", (IT, COORDINATOR, DESK)),
    ("Intake", "reuse:intake", (IT,)),
    ("Labels", "reuse:label-print", (IT,)),
    ("Sanitisation", "reuse:sanitisation", (IT,)),
    ("Disposal", "reuse:disposal-list", (IT,)),
    ("Stocktake", "reuse:stocktake-list", (IT, DESK)),
    ("Desk", "lending:desk", (DESK,)),
    ("Loans", "lending:loan-list", (DESK,)),
    ("Borrowers", "lending:borrower-list", (DESK,)),
    ("Requests", "matching:request-list", (COORDINATOR,)),
    ("Matching", "matching:run-list", (COORDINATOR,)),
    ("Collections", "matching:handover-list", (DESK, COORDINATOR)),
    ("Shortages", "matching:shortages", (IT,)),
    ("Dashboard", "insights:dashboard", (COORDINATOR,)),
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
    # The longest matching URL is the current one: /devices/labels/ is Labels, not Inventory at /devices/.
    matching = [
        item
        for item in items
        if (request.path == item["url"] if item["url"] == "/" else request.path.startswith(item["url"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"navigation": items}
