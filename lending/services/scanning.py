"""What a keyboard-wedge scanner sends to the desk's one scan box, and what it refers to.

A scanner types a label's whole QR URL (`<SITE_URL>/d/RLY-000123`) or a card's barcode, then Enter.
Scanners differ in case and trailing whitespace, and staff type tags by hand, so all of these work:
`http://relay.example/d/rly-000123`, `RLY-000123 `, `rly-000123`. Lookups use the unique index on
`Device.asset_tag` and on `Borrower.card_number`.
"""

import re
from dataclasses import dataclass

from django.conf import settings

from core.errors import DomainError
from lending.models import Borrower, Hold, Loan, normalise_card
from reuse.models import Device, DeviceStatus, Reservation, Site, asset_tag_from_scan
from reuse.services.reservations import live_reservation

# What an asset tag looks like once read out of a scan: letters, a dash and digits.
TAG_SHAPE = re.compile(r"[A-Z]{1,10}-[0-9]{1,12}")
# Half a tag (a scanner cut short, a slip of the hand): not a name to search for.
PART_TAG = re.compile(r"[A-Z]{1,10}-[0-9]*")


@dataclass(frozen=True)
class Scan:
    kind: str  # "device", "card", "search" (a name, email or postcode: for the borrower search) or "unknown"
    value: str


def parse_scan(raw: str) -> Scan:
    text = (raw or "").strip()
    tag = asset_tag_from_scan(text)
    if TAG_SHAPE.fullmatch(tag):
        return Scan("device", tag)
    card = normalise_card(text)
    if card and re.fullmatch(settings.LIBRARY_CARD_PATTERN, card):
        return Scan("card", card)
    if re.search(r"[^\W\d_]", text) and "/" not in text and not PART_TAG.fullmatch(text.upper()):
        return Scan("search", text)
    return Scan("unknown", text)


def find_device(tag: str) -> Device | None:
    return Device.objects.select_related("site").filter(asset_tag=tag.upper()).first()


def find_borrower(card: str) -> Borrower | None:
    return Borrower.objects.filter(card_number=normalise_card(card)).first()


SEARCH_ROWS = 25


def search_borrowers(text: str) -> list[Borrower]:
    """At most SEARCH_ROWS borrowers matching `text` (at least three characters, checked by the form)."""
    return list(Borrower.objects.search(text)[:SEARCH_ROWS])


def lending_problem(device: Device, *, site: Site, borrower: Borrower | None = None) -> DomainError | None:
    """Why `device` may not be lent at `site` (to `borrower`, if known) now; None when it may.

    The desk shows this as soon as a device is scanned (and then asks for no card); `loan_issue` asks
    again inside its transaction. The first reason that stops the desk is the one given, most
    actionable first: where the device is before what it still needs.
    """
    tag = device.asset_tag
    if device.status == DeviceStatus.ON_LOAN:
        return DomainError("already_on_loan", f"{tag} is already on loan. Return it before lending it again.")
    if device.site_id != site.pk and device.status not in FINAL_STATUSES:
        still = "" if device.status in (DeviceStatus.READY, DeviceStatus.RESERVED) else " once IT has it ready"
        return DomainError(
            "not_at_branch",
            f"{tag} is at {device.site}, not {site}. Send it here first{still}; it cannot be lent from this desk.",
        )
    if device.status in FINAL_STATUSES or device.status in (DeviceStatus.LOST, DeviceStatus.QUARANTINED):
        return DomainError("not_lendable", f"{tag} is {device.get_status_display().lower()}; it cannot be lent.")
    if not device.wipe_stands or device.status == DeviceStatus.RECEIVED:
        return DomainError(
            "not_sanitised",
            f"{tag} has not passed the data-wipe check since it was last "
            "returned or received. Send it to IT to be wiped; do not lend it.",
        )
    if device.status in (DeviceStatus.SANITISED, DeviceStatus.REPAIR):
        return DomainError(
            "not_ready",
            f"{tag} has been wiped but is not yet checked and graded as ready ({device.get_status_display().lower()}).",
        )
    if device.status not in (DeviceStatus.READY, DeviceStatus.RESERVED):
        return DomainError("not_lendable", f"{tag} is {device.get_status_display().lower()}; it cannot be lent.")
    if device.status == DeviceStatus.RESERVED:
        return _reserved_problem(device, borrower)
    return None


FINAL_STATUSES = (DeviceStatus.GIFTED, DeviceStatus.RECYCLED, DeviceStatus.DESTROYED)


def _reserved_problem(device: Device, borrower: Borrower | None) -> DomainError | None:
    # Who the device is kept for is reuse's record; lending reads only its own owner records (holds).
    tag = device.asset_tag
    reservation = live_reservation(device)
    hold = (
        Hold.objects.filter(reservation=reservation, status=Hold.Status.OFFERED).first()
        if reservation is not None and reservation.owner == Reservation.Owner.HOLD
        else None
    )
    if hold is None:
        owner = reservation.get_owner_display() if reservation else "someone else"
        return DomainError(
            "reserved",
            f"{tag} is reserved for {owner}; it cannot be lent. Keep it for them and lend another device.",
        )
    if borrower is not None and hold.borrower_id != borrower.pk:
        return DomainError(
            "reserved",
            f"{tag} is reserved for someone else on the waiting list until {hold.collect_by:%-d %B}; "
            "lend another device.",
        )
    return None


def open_loan_for(device: Device) -> Loan | None:
    return Loan.objects.open().select_related("borrower", "site").filter(device=device).first()
