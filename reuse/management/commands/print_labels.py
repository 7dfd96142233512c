"""print_labels: a sheet of QR asset labels (or a calibration page) as a PDF file.

The PDF is written to a temporary file beside FILE and renamed over it only when complete, so FILE is
never left half-written, and on any error it is not created at all.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from reuse.models import DeviceStatus, parse_tags
from reuse.services.labels import (
    calibration_render,
    label_selection,
    label_skip_check,
    label_template_check,
    label_template_get,
    labels_render,
    preprinted_render,
    printer_get,
)


class Command(BaseCommand):
    help = "Write a PDF of QR asset labels for the chosen devices, on the chosen label size."
    # The system checks import every URL and view (WeasyPrint with them): a second of start-up for a
    # command that needs none of it. `manage.py check` and every other command still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--template", required=True, metavar="CODE", help="Label size code, e.g. L7160")
        parser.add_argument("--out", required=True, metavar="FILE", help="Where to write the PDF")
        parser.add_argument(
            "--skip",
            type=int,
            default=0,
            metavar="N",
            help="Leave the first N positions of the first sheet blank (a part-used sheet)",
        )
        parser.add_argument("--printer", metavar="NAME", help="Apply this printer's calibration offsets")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--tags", metavar="T1,T2", help="Asset tags, comma-separated, printed in this order")
        which.add_argument("--status", choices=DeviceStatus.values, help="Every device with this status")
        which.add_argument("--all", action="store_true", help="Every device")
        which.add_argument(
            "--preprinted", type=int, metavar="N", help="N new asset tags, allocated now, for labels stuck on at intake"
        )
        which.add_argument(
            "--calibration",
            action="store_true",
            help="A calibration page: every label's outline, to hold against a sheet",
        )

    def handle(self, *args, **options):
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the folder {out.parent} does not exist.")
        try:
            template = label_template_get(options["template"])
            printer = printer_get(options["printer"]) if options["printer"] else None
            pdf, summary = self._render(template, printer, options)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self._write(out, pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} to {out}"))

    def _render(self, template, printer, options) -> tuple[bytes, str]:
        if options["calibration"]:
            return calibration_render(template=template, printer=printer), f"a calibration page for {template.code}"
        skip = options["skip"]
        label_template_check(template)
        label_skip_check(template, skip)  # before looking at the selection: the likelier mistake
        if options["preprinted"] is not None:
            count = options["preprinted"]
            pdf, sheets = preprinted_render(count=count, template=template, skip=skip, printer=printer)
            return pdf, f"{count:,} pre-printed labels on {sheets} sheet(s) of {template.code}"
        items = label_selection(
            tags=parse_tags(options["tags"] or ""), status=options["status"] or "", everything=options["all"]
        )
        pdf, sheets = labels_render(template=template, items=items, skip=skip, printer=printer)
        return pdf, f"{len(items):,} labels on {sheets} sheet(s) of {template.code}"

    def _write(self, out: Path, pdf: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, out)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from None
