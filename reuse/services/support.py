"""Security updates: fill a device's `updates_until` from the table of operating systems and model
families (`SupportWindow`) when intake does not say, and the table's starting rows.

The most specific matching row wins: a model family over an OS version, more words over fewer (see
`SupportWindow.specificity`). A device no row matches keeps an unknown date, which fails any request's
minimum: unknown is never taken for safe.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from reuse.models import Device, SupportWindow


@dataclass(frozen=True)
class SupportTable:
    """The table read once, for filling many devices (a CSV import, the demo)."""

    rows: tuple[SupportWindow, ...]

    def updates_until(self, *, make: str, model: str, os_name: str, os_version: str) -> datetime.date | None:
        found = [
            row
            for row in self.rows
            if row.matches(make=make or "", model=model or "", os_name=os_name or "", os_version=os_version or "")
        ]
        if not found:
            return None
        return max(found, key=lambda row: (row.specificity(), row.updates_until)).updates_until

    def fill(self, fields: dict) -> dict:
        """`fields` (a device's, as intake has them) with `updates_until` filled in if it was not given."""
        if fields.get("updates_until"):
            return fields
        found = self.updates_until(
            make=fields.get("make", ""),
            model=fields.get("model", ""),
            os_name=fields.get("os_name", ""),
            os_version=fields.get("os_version", ""),
        )
        return {**fields, "updates_until": found} if found else fields


def support_table() -> SupportTable:
    return SupportTable(tuple(SupportWindow.objects.all()))


def devices_fill_updates_until(devices: QuerySet[Device] | Iterable[Device]) -> int:
    """Give devices with no `updates_until` the table's date (an administrator's action after adding
    rows). Returns how many were filled; a date someone recorded is never overwritten."""
    table = support_table()
    filled = 0
    for device in devices:
        if device.updates_until is not None:
            continue
        found = table.updates_until(
            make=device.make, model=device.model, os_name=device.os_name, os_version=device.os_version
        )
        if found:
            filled += Device.objects.filter(pk=device.pk, updates_until__isnull=True).update(updates_until=found)
    return filled


# The table a new installation starts with. Dates as published by each vendor when this was written
# (November 2025); administrators correct and extend it in the admin. Where a vendor publishes no date
# (Apple), the row says it is an estimate and why.
MICROSOFT = "https://learn.microsoft.com/en-gb/lifecycle/products/"
WINDOWS_11 = MICROSOFT + "windows-11-home-and-pro"
WINDOWS_11_ENTERPRISE = MICROSOFT + "windows-11-enterprise-and-education"
CHROMEOS = "https://support.google.com/chrome/a/answer/6220366 (Auto Update policy: AUE date by model)"
PIXEL = "https://support.google.com/pixelphone/answer/4457705 (Pixel update schedule)"
SAMSUNG = "https://security.samsungmobile.com/workScope.smsb (Samsung security updates scope)"
UBUNTU = "https://ubuntu.com/about/release-cycle"
APPLE_ESTIMATE = (
    "Apple publishes no end date. Estimate: still supported by the current major release (iOS/iPadOS 26, "
    "September 2025); older releases have had security fixes for about two years after."
)

# os_name, os_version, make, model_family, updates until, source, notes
DEFAULT_SUPPORT: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "Windows",
        "10",
        "",
        "",
        "2025-10-14",
        MICROSOFT + "windows-10-home-and-pro",
        "Windows 10 22H2, the last version; paid Extended Security Updates not counted.",
    ),
    ("Windows", "11 22H2", "", "", "2024-10-08", WINDOWS_11, "Home and Pro."),
    ("Windows", "11 23H2", "", "", "2025-11-11", WINDOWS_11, "Home and Pro."),
    ("Windows", "11 24H2", "", "", "2026-10-13", WINDOWS_11, "Home and Pro."),
    ("Windows", "11 25H2", "", "", "2027-10-12", WINDOWS_11, "Home and Pro."),
    (
        "Windows",
        "11",
        "",
        "",
        "2027-10-12",
        WINDOWS_11,
        "Version not recorded: assumes it is updated to 25H2 (free) before it goes out.",
    ),
    (
        "Windows",
        "11 Enterprise 23H2",
        "",
        "",
        "2026-11-10",
        WINDOWS_11_ENTERPRISE,
        "Enterprise and Education get 36 months.",
    ),
    (
        "Windows",
        "11 Enterprise 24H2",
        "",
        "",
        "2027-10-12",
        WINDOWS_11_ENTERPRISE,
        "Enterprise and Education get 36 months.",
    ),
    (
        "Windows",
        "11 Education 24H2",
        "",
        "",
        "2027-10-12",
        WINDOWS_11_ENTERPRISE,
        "Enterprise and Education get 36 months.",
    ),
    ("Ubuntu", "22.04", "", "", "2027-04-30", UBUNTU, "Standard support of the LTS release."),
    ("Ubuntu", "24.04", "", "", "2029-04-30", UBUNTU, "Standard support of the LTS release."),
    (
        "ChromeOS",
        "",
        "HP",
        "Chromebook 14 G5",
        "2024-06-30",
        CHROMEOS,
        "Example row: confirm the AUE date on Google's list before relying on it.",
    ),
    (
        "ChromeOS",
        "",
        "Lenovo",
        "100e Chromebook Gen 3",
        "2031-06-30",
        CHROMEOS,
        "Example row: confirm the AUE date on Google's list before relying on it.",
    ),
    (
        "ChromeOS",
        "",
        "Acer",
        "Chromebook 314",
        "2026-06-30",
        CHROMEOS,
        "Example row: AUE dates differ by model number (CB314-1H, -2H...); confirm on Google's list.",
    ),
    (
        "ChromeOS",
        "",
        "Google",
        "Pixelbook Go",
        "2029-06-30",
        CHROMEOS,
        "Example row: confirm the AUE date on Google's list before relying on it.",
    ),
    (
        "iOS",
        "",
        "Apple",
        "iPhone SE (2nd generation)",
        "2027-09-30",
        "https://support.apple.com/en-gb/100100 (Apple security releases)",
        APPLE_ESTIMATE,
    ),
    (
        "iOS",
        "",
        "Apple",
        "iPhone 11",
        "2027-09-30",
        "https://support.apple.com/en-gb/100100 (Apple security releases)",
        APPLE_ESTIMATE,
    ),
    (
        "iPadOS",
        "",
        "Apple",
        "iPad (8th generation)",
        "2027-09-30",
        "https://support.apple.com/en-gb/100100 (Apple security releases)",
        APPLE_ESTIMATE,
    ),
    ("Android", "", "Google", "Pixel 6", "2026-10-31", PIXEL, "Security updates at least until October 2026."),
    ("Android", "", "Google", "Pixel 7", "2027-10-31", PIXEL, "Security updates at least until October 2027."),
    ("Android", "", "Google", "Pixel 8", "2030-10-31", PIXEL, "Seven years of updates: at least until October 2030."),
    (
        "Android",
        "",
        "Samsung",
        "Galaxy A52",
        "2025-03-31",
        SAMSUNG,
        "Four years from its March 2021 launch; now off Samsung's list.",
    ),
    (
        "Android",
        "",
        "Samsung",
        "Galaxy Tab A8",
        "2026-01-31",
        SAMSUNG,
        "Four years from its launch; check Samsung's list for the current scope.",
    ),
)


def support_defaults_create(**kwargs) -> int:
    """After every migrate: the starting table, if the table is empty (an administrator's edits stay)."""
    if SupportWindow.objects.exists():
        return 0
    rows = [
        SupportWindow(
            os_name=os_name,
            os_version=version,
            make=make,
            model_family=family,
            updates_until=datetime.date.fromisoformat(until),
            source=source,
            notes=notes,
        )
        for os_name, version, make, family, until, source, notes in DEFAULT_SUPPORT
    ]
    SupportWindow.objects.bulk_create(rows)
    return len(rows)
