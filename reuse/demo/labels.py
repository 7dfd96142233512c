"""Demo label printers and a sheet of pre-printed labels."""

from decimal import Decimal

from reuse.models import LabelTemplate, PreprintedTag, Printer
from reuse.services.devices import allocate_asset_tags


def seed(*, sites: dict, users: dict, stdout) -> None:
    templates = {t.code: t for t in LabelTemplate.objects.all()}
    printers = [
        ("Depot laser", "DEPOT", "L7160", "0.5", "-0.8", "HP LaserJet M404, tray 1. Feeds a little high."),
        ("Depot label printer", "DEPOT", "QL62", "0", "0", "Brother QL-820NWB with DK-22205 tape."),
        ("Central Library office", "CENTRAL", "L7651", "0", "0.3", ""),
    ]
    for name, site, template, dx, dy, notes in printers:
        Printer.objects.get_or_create(
            name=name,
            defaults={
                "site": sites[site],
                "default_template": templates.get(template),
                "offset_x_mm": Decimal(dx),
                "offset_y_mm": Decimal(dy),
                "notes": notes,
            },
        )
    if not PreprintedTag.objects.exists():
        # One sheet printed ahead of time, waiting for devices to arrive.
        PreprintedTag.objects.bulk_create(
            [PreprintedTag(asset_tag=tag, created_by=users["alice"]) for tag in allocate_asset_tags(21)]
        )
    stdout.write("  label printers and a sheet of pre-printed labels")
