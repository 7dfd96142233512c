"""Borrowers, loan policies, agreements, loans, connectivity, holds and reminders.

Personal data (name, contact details, postcode, support needs) lives on `Borrower` alone; every other
table points at a borrower by id. The one exception is a loan's drawn signature, which is part of the
signed agreement it belongs to. Device status is never written here: services call
`reuse.services.lifecycle.device_transition`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.signature import SignatureMethod
from reuse.models import DeviceKind, DeviceStatus, Site

# The types of device lent at the desk (and so waited for): desktops are not, and "other" is no type.
LENT_KINDS = (DeviceKind.LAPTOP, DeviceKind.TABLET, DeviceKind.PHONE, DeviceKind.HOTSPOT)


def validate_card_number(value: str):
    import re

    if not re.fullmatch(settings.LIBRARY_CARD_PATTERN, value or ""):
        raise ValidationError("Enter the library card number as it is printed on the card", code="card_invalid")


def normalise_card(value: str) -> str:
    """What a scanner or a person typed, as stored: no spaces or dashes, upper case."""
    return "".join((value or "").split()).replace("-", "").upper()


class ContactPreference(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class BorrowerQuerySet(models.QuerySet):
    def current(self):
        """Those whose personal data is still held (not anonymised)."""
        return self.filter(anonymised_at__isnull=True)

    def search(self, text: str):
        """Borrowers whose name, email or postcode contains `text`, or whose card number ends with it."""
        text = " ".join(text.split())
        card = normalise_card(text)
        postcode = text.upper()
        matches = Q(name__icontains=text) | Q(email__icontains=text) | Q(postcode__startswith=postcode)
        if card:
            matches |= Q(card_number__endswith=card)
        return self.current().filter(matches).order_by("name", "pk")


class Borrower(models.Model):
    """A library member who borrows devices. No login: staff act for them at the desk."""

    ContactBy = ContactPreference

    card_number = models.CharField("library card number", max_length=30, unique=True, validators=[validate_card_number])
    # What the borrower's pages are addressed by: random, so nobody finds a person by counting ids.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("full name", max_length=120)
    email = models.EmailField(
        "email address", blank=True, help_text="For the signed agreement, reminders and waiting-list news."
    )
    phone = models.CharField("phone number", max_length=30, blank=True)
    contact_by = models.CharField(
        "reminders by",
        max_length=5,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
        help_text="Text messages go to the phone number, which must then be a mobile.",
    )
    postcode = models.CharField(max_length=10, help_text="For reporting by area only.")
    support_needs = models.TextField(
        "support needs",
        blank=True,
        help_text="Anything that helps staff help them, e.g. large print, needs help setting up email.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the retention schedule or an erasure request removed the personal data above.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BorrowerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lending:borrower-detail", args=[self.key])

    def clean(self):
        self.card_number = normalise_card(self.card_number)
        self.postcode = " ".join(self.postcode.upper().split())

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def masked_card(self) -> str:
        """Enough of the card to confirm it with the borrower, not enough to use it."""
        return f"••••{self.card_number[-4:]}"

    @property
    def prefers_sms(self) -> bool:
        return self.contact_by == ContactPreference.SMS and bool(self.phone)

    @property
    def contact(self) -> str:
        return " / ".join(c for c in (self.email, self.phone) if c) or "No contact details"


class LoanPolicy(models.Model):
    """How long a device type may be borrowed at a branch. Blank type or branch means 'any'."""

    device_kind = models.CharField(
        "device type", max_length=10, choices=DeviceKind.choices, blank=True, help_text="Leave blank for every type."
    )
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Site.Kind.BRANCH},
        verbose_name="branch",
        help_text="Leave blank for every branch.",
    )
    loan_days = models.PositiveSmallIntegerField("loan length (days)", default=28)
    renewals_allowed = models.PositiveSmallIntegerField(default=2)
    max_devices = models.PositiveSmallIntegerField("maximum devices of this type per borrower", default=1)

    class Meta:
        verbose_name_plural = "loan policies"
        ordering = ["site__name", "device_kind"]
        constraints = [
            # Two partial indexes instead of NULLS NOT DISTINCT, which SQLite does not have.
            models.UniqueConstraint(
                fields=["device_kind", "site"], condition=Q(site__isnull=False), name="loan_policy_unique_per_branch"
            ),
            models.UniqueConstraint(
                fields=["device_kind"], condition=Q(site__isnull=True), name="loan_policy_unique_default"
            ),
            models.CheckConstraint(condition=Q(loan_days__gte=1), name="loan_policy_days_positive"),
            models.CheckConstraint(condition=Q(max_devices__gte=1), name="loan_policy_max_positive"),
        ]

    def __str__(self):
        kind = DeviceKind(self.device_kind).label if self.device_kind else "Any device"
        return f"{kind} at {self.site or 'any branch'}: {self.loan_days} days, {self.renewals_allowed} renewals"

    @classmethod
    def for_device(cls, *, kind: str, site: Site) -> "LoanPolicy":
        """The most specific policy: type and branch, then type, then branch, then the default."""
        candidates = cls.objects.filter(Q(device_kind__in=[kind, ""]), Q(site=site) | Q(site__isnull=True))
        ranked = sorted(candidates, key=lambda p: (p.device_kind != kind, p.site_id is None))
        return ranked[0] if ranked else cls(loan_days=28, renewals_allowed=2, max_devices=1)


class AgreementVersion(models.Model):
    """The loan terms, as numbered versions. A version never changes once saved: edit by adding a new one."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    title = models.CharField(max_length=120, default="Device loan agreement")
    body = models.TextField("terms", help_text="Plain English. One paragraph per term; a blank line between.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Version {self.number}: {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An agreement version is frozen once saved; add a new version instead")
        if self.number is None:
            last = AgreementVersion.objects.order_by("-number").values_list("number", flat=True).first()
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "AgreementVersion | None":
        return cls.objects.order_by("-number").first()

    @property
    def terms(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class AtDesksQuerySet(models.QuerySet):
    def at_desks_of(self, user):
        """Those at the branches `user` acts for at the desk (`Site.objects.desks_for`)."""
        return self.filter(site__in=Site.objects.desks_for(user))


class HoldQuerySet(AtDesksQuerySet):
    # An offered hold is "expiring" when its collect-by day is today or tomorrow: phone them now.
    EXPIRING_DAYS = 1

    def expiring(self, today: datetime.date | None = None):
        last = (today or timezone.localdate()) + datetime.timedelta(days=self.EXPIRING_DAYS)
        return self.filter(status=HoldStatus.OFFERED, collect_by__lte=last)


class LoanQuerySet(AtDesksQuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_on(self, day: datetime.date):
        return self.open().filter(due_date=day)


class LoanOutcome(models.TextChoices):
    RETURNED = "returned", "Returned"
    LOST = "lost", "Lost"


class Loan(models.Model):
    Outcome = LoanOutcome

    Signature = SignatureMethod

    device = models.ForeignKey("reuse.Device", on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="loans")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="branch")
    # A fresh random token in each issue form: a rescan or double click sends the same one again.
    idempotency_key = models.UUIDField(unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    # The policy in force at issue, frozen: changing a policy does not change loans already made.
    loan_days = models.PositiveSmallIntegerField()
    renewals_allowed = models.PositiveSmallIntegerField()
    renewals = models.PositiveSmallIntegerField(default=0)
    accessories = models.JSONField(default=list, blank=True)
    agreement = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="loans")
    signature_method = models.CharField(max_length=10, choices=Signature.choices)
    signature_png = models.BinaryField(null=True, blank=True, editable=False)
    # The drawn signature is personal data: erased with the borrower's details, the method stays on record.
    signature_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    damaged = models.BooleanField(default=False)
    condition_notes = models.TextField(blank=True)
    missing_accessories = models.JSONField(default=list, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["closed_at", "due_date"]), models.Index(fields=["site", "closed_at"])]
        constraints = [
            # Gate 3: one open loan per device, whatever two desks do at the same moment.
            models.UniqueConstraint(
                fields=["device"], condition=Q(closed_at__isnull=True), name="loan_one_open_per_device"
            ),
            models.CheckConstraint(
                condition=Q(signature_method__in=SignatureMethod.values), name="loan_signature_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(signature_method=SignatureMethod.DRAWN)
                | Q(signature_png__isnull=False)
                | Q(signature_erased_at__isnull=False),
                name="loan_drawn_signature_present",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | Q(closed_at__isnull=False, outcome__in=LoanOutcome.values),
                name="loan_outcome_matches_closed",
            ),
        ]

    def __str__(self):
        return f"Loan {self.pk}"

    def get_absolute_url(self):
        return reverse("lending:loan-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.localdate() - self.due_date).days) if self.is_open else 0

    @property
    def is_lost(self) -> bool:
        return self.outcome == LoanOutcome.LOST

    @property
    def undoable_return(self) -> "LoanChange | None":
        """The return of a returned loan, if it is not undone yet: what "undo the return" reopens. Whether
        the device still allows it (nothing done to it since) is `lending.services.corrections` to say."""
        if self.outcome != LoanOutcome.RETURNED:
            return None
        last = self.changes.filter(kind__in=[LoanChangeKind.RETURNED, LoanChangeKind.RETURN_UNDONE]).last()
        return last if last is not None and last.kind == LoanChangeKind.RETURNED else None

    @property
    def back_and_not_wiped(self) -> bool:
        """Returned, and its device not wiped since (a wipe moves it on from `received`): the borrower's
        data may still be on it."""
        return self.outcome == LoanOutcome.RETURNED and self.device.status == DeviceStatus.RECEIVED

    @property
    def signed_on_screen(self) -> bool:
        return self.signature_method == SignatureMethod.DRAWN

    @property
    def signed_on_paper(self) -> bool:
        return self.signature_method == SignatureMethod.PAPER

    @property
    def renewals_left(self) -> int:
        return max(0, self.renewals_allowed - self.renewals)

    @property
    def state_label(self) -> str:
        if not self.is_open:
            return self.get_outcome_display()
        return "Overdue" if self.is_overdue else "On loan"

    def renewal_opens_on(self) -> datetime.date | None:
        """The first day a renewal is allowed (RENEWAL_NOT_BEFORE_DAYS before the due date); None: any day."""
        if not settings.RENEWAL_NOT_BEFORE_DAYS:
            return None
        return self.due_date - datetime.timedelta(days=settings.RENEWAL_NOT_BEFORE_DAYS)

    @property
    def undoable_renewal(self) -> "LoanChange | None":
        """The latest renewal, if it is not undone yet and the loan is still open: what "undo" restores."""
        if not self.is_open:
            return None
        last = self.changes.filter(kind__in=[LoanChangeKind.RENEWED, LoanChangeKind.RENEWAL_UNDONE]).last()
        return last if last is not None and last.kind == LoanChangeKind.RENEWED else None


class LoanChangeKind(models.TextChoices):
    RENEWED = "renewed", "Renewed"
    RETURNED = "returned", "Returned"
    RENEWAL_UNDONE = "renewal_undone", "Renewal undone"
    RETURN_UNDONE = "return_undone", "Return undone"


class LoanChange(models.Model):
    """One thing the desk did to a loan after issuing it: a renewal, a return, a correction of either.

    Append-only (database triggers refuse UPDATE and DELETE): a correction is a new row pointing at the
    change it corrects, so the loan page shows both. `token` is the one-time token of the form that
    asked for it: the unique index makes a double click, a resubmission after Back or four parallel
    requests with the same form have one effect.
    """

    Kind = LoanChangeKind

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    token = models.UUIDField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_before = models.DateField(null=True, blank=True)
    due_after = models.DateField(null=True, blank=True)
    # Why a correction was made, in staff's words: the form asks for no personal details.
    reason = models.CharField(max_length=300, blank=True)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LoanChangeKind.values), name="loan_change_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=[LoanChangeKind.RENEWED, LoanChangeKind.RETURNED], corrects__isnull=True)
                | (~Q(kind__in=[LoanChangeKind.RENEWED, LoanChangeKind.RETURNED]) & Q(corrects__isnull=False)),
                name="loan_change_correction_points_back",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on loan {self.loan_id}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


class ConnectivityItemQuerySet(models.QuerySet):
    def lendable_at(self, site: Site, today: datetime.date | None = None):
        """What the desk at `site` may lend now: held there, not retired, not expired, not out on a loan.
        The desk offers exactly these and `loan_issue` accepts exactly these."""
        today = today or timezone.localdate()
        out = LoanConnectivity.objects.filter(returned_at__isnull=True, missing=False).values("item_id")
        return (
            self.filter(site=site, retired=False)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            .exclude(pk__in=out)
            .order_by("expires_on", "pk")
        )


class ConnectivityKind(models.TextChoices):
    SIM = "sim", "SIM card"
    VOUCHER = "voucher", "Data voucher"
    HOTSPOT = "hotspot", "Mobile hotspot"


class ConnectivityItem(models.Model):
    """A SIM, data voucher or mobile hotspot lent alongside a device."""

    Kind = ConnectivityKind

    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    identifier = models.CharField(
        max_length=40, unique=True, help_text="SIM serial (ICCID), voucher code or hotspot serial."
    )
    provider = models.CharField(max_length=60, blank=True)
    allowance = models.CharField(max_length=80, help_text="e.g. 20 GB a month, unlimited calls")
    expires_on = models.DateField("expiry date", null=True, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="held at",
        limit_choices_to={"kind": Site.Kind.BRANCH},
    )
    retired = models.BooleanField(default=False, help_text="Lost, used up or withdrawn.")
    notes = models.TextField(blank=True)

    objects = ConnectivityItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "identifier"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConnectivityKind.values), name="connectivity_kind_valid")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.identifier} ({self.allowance})"

    def expires_within(self, days: int, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on <= today + datetime.timedelta(days=days)

    @property
    def expiring_soon(self) -> bool:
        return self.expires_within(settings.CONNECTIVITY_EXPIRY_WARNING_DAYS)

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class LoanConnectivity(models.Model):
    """A connectivity item that went out with a loan (and whether it came back)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="connectivity")
    item = models.ForeignKey(ConnectivityItem, on_delete=models.PROTECT, related_name="loan_links")
    returned_at = models.DateTimeField(null=True, blank=True)
    missing = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at__isnull=True, missing=False), name="connectivity_one_open_loan"
            ),
        ]

    def __str__(self):
        return f"{self.item} with loan {self.loan_id}"


class HoldStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Device reserved"
    FULFILLED = "fulfilled", "Collected"
    EXPIRED = "expired", "Not collected in time"
    CANCELLED = "cancelled", "Cancelled"


class Hold(models.Model):
    """A place on a branch's waiting list for a type of device."""

    Status = HoldStatus

    LIVE = (HoldStatus.WAITING, HoldStatus.OFFERED)

    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="holds")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="branch")
    device_kind = models.CharField("device type", max_length=10, choices=DeviceKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    device = models.ForeignKey("reuse.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="holds")
    # The device kept for this hold while it is offered: reuse's record, which holds the database's
    # "one live reservation per device" (gate 3) for every kind of owner.
    reservation = models.OneToOneField(
        "reuse.Reservation", null=True, blank=True, on_delete=models.PROTECT, related_name="hold"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    collect_by = models.DateField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the borrower was told: by email, or by staff on the phone."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    loan = models.OneToOneField(Loan, null=True, blank=True, on_delete=models.SET_NULL, related_name="hold")

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["site", "device_kind", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["borrower", "site", "device_kind"],
                condition=Q(status__in=[HoldStatus.WAITING, HoldStatus.OFFERED]),
                name="hold_one_live_per_borrower_kind_branch",
            ),
            models.CheckConstraint(
                condition=~Q(status=HoldStatus.OFFERED)
                | Q(device__isnull=False, collect_by__isnull=False, reservation__isnull=False),
                name="hold_offer_has_device",
            ),
            models.CheckConstraint(condition=Q(status__in=HoldStatus.values), name="hold_status_valid"),
        ]

    def __str__(self):
        return f"Hold {self.pk} ({self.get_device_kind_display()} at {self.site})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_offered(self) -> bool:
        return self.status == HoldStatus.OFFERED


class Reminder(models.Model):
    """A reminder sent about a loan. One row per (loan, kind): the unique index makes each go once."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40, help_text="due_soon or overdue_<days>, then the due date")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at"]
        constraints = [models.UniqueConstraint(fields=["loan", "kind"], name="reminder_once_per_kind")]

    def __str__(self):
        return f"{self.kind} for loan {self.loan_id}"
