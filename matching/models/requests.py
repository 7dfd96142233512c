"""Community requests: what a group asks for, for whom, where it collects, and what has happened since.

A request's `status` is where it stands in triage (waiting to be checked, approved and queued for
matching, declined, withdrawn, complete or closed); what happened to its devices (allocated, booked for
collection, handed over) is read from the allocation and handover records, not stored twice. Every
step is a `RequestEvent`; the ones marked `public` are what the group sees on its status page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.roles import ADMIN, COORDINATOR, has_role
from matching.models.organisations import Organisation
from reuse.models import DeviceKind, Site

__all__ = [
    "CONTACT_READERS",
    "REQUEST_READERS",
    "FINISHED_STATUSES",
    "MAX_LINES",
    "MAX_LINE_QUANTITY",
    "OPEN_STATUSES",
    "CommunityRequest",
    "Connectivity",
    "RequestEvent",
    "RequestEventKind",
    "RequestLine",
    "RequestStatus",
    "ServedGroup",
    "Tier",
    "sees_request_contacts",
]

# Who reads community requests (every branch's: coordinators match across the council), and who of them
# also reads the contact's details. Administrators keep the service running; they do not need to know
# who asked (the admin site leaves contacts out too).
REQUEST_READERS = (COORDINATOR, ADMIN)
CONTACT_READERS = (COORDINATOR,)


def sees_request_contacts(user) -> bool:
    return has_role(user, *CONTACT_READERS)


# Most devices of one type one request may ask for; a bigger need is several requests or a conversation.
MAX_LINE_QUANTITY = 50
# Most lines (device types) on one request.
MAX_LINES = 6


class Tier(models.Model):
    """A priority tier (1 is the highest) and what it means, kept by administrators."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    meaning = models.TextField(help_text="Which requests belong in this tier, in a sentence or two.")

    class Meta:
        ordering = ["number"]
        constraints = [models.CheckConstraint(condition=Q(number__gte=1), name="tier_number_positive")]

    def __str__(self):
        return f"Tier {self.number}: {self.name}"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting to be checked"
    APPROVED = "approved", "Approved: waiting for devices"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    FULFILLED = "fulfilled", "Complete"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.APPROVED)
FINISHED_STATUSES = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN, RequestStatus.FULFILLED, RequestStatus.CLOSED)


class ServedGroup(models.TextChoices):
    DIGITALLY_EXCLUDED = "digitally_excluded", "Digitally excluded households"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    JOBSEEKERS = "jobseekers", "Jobseekers"
    OLDER_PEOPLE = "older_people", "Older people"
    REFUGEES = "refugees", "Refugees and asylum seekers"
    STUDENTS = "students", "Students"
    DISABLED = "disabled", "Disabled people"
    OTHER = "other", "Other"


class Connectivity(models.TextChoices):
    NONE = "", "No"
    SIM = "sim", "A SIM card with data"
    VOUCHER = "voucher", "A data voucher"


class RequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def approved(self):
        return self.filter(status=RequestStatus.APPROVED)

    def visible_to(self, user):
        """The requests `user` may read: every one for coordinators and administrators, none for anyone else."""
        return self if has_role(user, *REQUEST_READERS) else self.none()


class CommunityRequest(models.Model):
    Status = RequestStatus
    OPEN = OPEN_STATUSES
    FINISHED = FINISHED_STATUSES

    reference = models.CharField(max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="requests")
    # The organisation's details as this request gave them (it may be linked to an organisation on file).
    organisation_given = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)

    served_groups = models.JSONField("who the devices are for", default=list)
    served_other = models.CharField("who else", max_length=100, blank=True)
    people_count = models.PositiveIntegerField("how many people")
    area = models.CharField("area served", max_length=60, help_text="A postcode district (AN1) or a ward name.")
    in_area = models.BooleanField(
        "inside the council's area", null=True, help_text="Blank until decided (a ward name needs a coordinator)."
    )
    collection_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name="collection branch"
    )
    needed_by = models.DateField()

    # The contact: personal data, forgotten on the retention schedule once the request is finished.
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254)
    contact_phone = models.CharField(max_length=30, blank=True)
    # A household reference, kept only as a keyed HMAC (CLIENT_REFERENCE_KEY): spots a household referred
    # twice without anyone being able to read it back.
    client_reference_hmac = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    consent_at = models.DateTimeField(help_text="When the contact agreed to the privacy notice.")
    status_token = models.CharField(max_length=64, unique=True, editable=False)

    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True, help_text="Why it was declined or closed; the group sees this.")
    finished_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "approved_at"]), models.Index(fields=["finished_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.CheckConstraint(condition=Q(tier__isnull=True) | Q(tier__gte=1), name="request_tier_positive"),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.APPROVED)
                | Q(tier__isnull=False, approved_at__isnull=False, in_area__isnull=False),
                name="request_approved_has_tier_and_area",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, finished_at__isnull=True)
                | Q(status__in=FINISHED_STATUSES, finished_at__isnull=False),
                name="request_finished_when_finished",
            ),
            models.CheckConstraint(condition=Q(people_count__gte=1), name="request_people_positive"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("matching:request-detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.status == RequestStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == RequestStatus.APPROVED

    @property
    def is_declined(self) -> bool:
        return self.status == RequestStatus.DECLINED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def waiting_since(self):
        return timezone.localdate(self.approved_at) if self.approved_at else None

    @property
    def served_labels(self) -> list[str]:
        labels = [ServedGroup(value).label for value in self.served_groups if value in ServedGroup.values]
        if ServedGroup.OTHER in self.served_groups and self.served_other:
            labels[labels.index(ServedGroup.OTHER.label)] = f"Other: {self.served_other}"
        return labels


class RequestLine(models.Model):
    """One type of device a request asks for, with its minimum spec and what goes with it."""

    request = models.ForeignKey(CommunityRequest, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("device type", max_length=10, choices=DeviceKind.choices)
    quantity = models.PositiveSmallIntegerField(help_text="How many, after any change by a coordinator.")
    asked_quantity = models.PositiveSmallIntegerField(help_text="How many the group asked for.")
    min_ram_gb = models.PositiveSmallIntegerField("minimum RAM (GB)", default=0)
    min_storage_gb = models.PositiveIntegerField("minimum storage (GB)", default=0)
    webcam = models.BooleanField("needs a webcam", default=False)
    updates_until = models.DateField("security updates until at least", null=True, blank=True)
    accessibility = models.CharField("accessibility needs", max_length=300, blank=True)
    connectivity = models.CharField(
        "SIM or data voucher", max_length=10, choices=Connectivity.choices, blank=True, default=""
    )
    setup_help = models.BooleanField("recipients need help to get started", default=False)

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DeviceKind.values), name="request_line_kind_valid"),
            models.CheckConstraint(condition=Q(asked_quantity__gte=1), name="request_line_asked_positive"),
            models.CheckConstraint(condition=Q(quantity__lte=MAX_LINE_QUANTITY), name="request_line_bounded"),
            models.CheckConstraint(
                condition=Q(asked_quantity__lte=MAX_LINE_QUANTITY), name="request_line_asked_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.get_kind_display()}"

    @property
    def kind_plural(self) -> str:
        label = self.get_kind_display().lower()
        return label if self.quantity == 1 else f"{label}s"

    @property
    def spec_words(self) -> list[str]:
        """The minimums asked for, in words: ['8 GB RAM', 'a webcam', ...]."""
        words = []
        if self.min_ram_gb:
            words.append(f"at least {self.min_ram_gb} GB RAM")
        if self.min_storage_gb:
            words.append(f"at least {self.min_storage_gb} GB storage")
        if self.webcam:
            words.append("a webcam")
        if self.updates_until:
            words.append(f"security updates until at least {self.updates_until:%-d %B %Y}")
        return words


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Request received"
    VERIFIED = "verified", "Organisation verified"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TIER = "tier", "Priority changed"
    QUANTITY = "quantity", "Quantity changed"
    AREA = "area", "Area decided"
    NOTE = "note", "Note"
    ALLOCATED = "allocated", "Devices allocated"
    ALLOCATION_CANCELLED = "unallocated", "Allocation cancelled"
    BOOKED = "booked", "Collection booked"
    HANDED_OVER = "handed_over", "Handed over"
    RETURNED = "returned", "Device returned"
    FOLLOW_UP = "follow_up", "Follow-up answered"
    FULFILLED = "fulfilled", "Complete"
    CLOSED = "closed", "Closed"


class RequestEvent(models.Model):
    """One step in a request's history. `public` ones are shown to the group on its status page."""

    Kind = RequestEventKind

    request = models.ForeignKey(CommunityRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=RequestEventKind.choices)
    text = models.CharField(max_length=1000, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestEventKind.values), name="request_event_kind_valid")
        ]

    def __str__(self):
        return f"{self.request_id} {self.kind}"
