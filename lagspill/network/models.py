"""Learning together: the experience library, support requests to the County Governor and
Husbanken, the County Governor's network events, and user organisations' input on plans and
measures (with how the municipality used it).

Nothing here is deleted by people: practices, documents, materials and input are withdrawn
(`withdrawn_at`), events cancelled (`cancelled_at`), registrations cancelled, support requests
closed. Every change is kept in history; support requests also keep an append-only event log
(`RequestEvent`) of who did what, including who downloaded an attachment.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagspill.continuity.models import Role
from lagspill.measures.models import Measure, TargetGroup
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality
from lagspill.plans.models import Level, Plan


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(withdrawn_at__isnull=True)


def stored_path(obj: models.Model, filename: str) -> str:
    """The stored name is ours, not the uploader's: nothing they type reaches the file system.
    The extension comes from the checked file type (`obj.suffix()`), the name from the checksum."""
    return f"network/{obj.folder()}/{obj.sha256[:24]}.{obj.suffix()}"


SUFFIXES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/png": "png",
    "image/jpeg": "jpg",
    "text/plain": "txt",
    "text/csv": "csv",
}


class StoredFile(models.Model):
    """An uploaded file: kept under our own name, with the uploader's name, size and checksum."""

    file = models.FileField(upload_to=stored_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def folder(self) -> str:
        raise NotImplementedError

    def suffix(self) -> str:
        return SUFFIXES.get(self.content_type, "bin")


# --- Experience library ----------------------------------------------------------------------------
class Visibility(models.TextChoices):
    PUBLIC = "offentlig", _("Public")
    COUNTY = "fylke", _("Shared within the county")


class SuccessFactor(models.TextChoices):
    """Husbanken's Veiviseren: the six success factors of social housing work."""

    ORGANISATION = "organisering", _("Organisation")
    ANCHORING = "forankring", _("Anchoring and ownership")
    STRATEGY = "strategi", _("Strategy")
    COMPETENCE = "kompetanse", _("Competence")
    ECONOMY = "okonomi", _("Economic resources")
    PARTICIPATION = "medvirkning", _("User participation")


class TagKind(models.TextChoices):
    SUCCESS_FACTOR = "suksessfaktor", _("Success factor")
    TARGET_GROUP = "malgruppe", _("Target group")
    PLAN_LEVEL = "planniva", _("Plan level")


TAG_CHOICES: dict[str, type[models.TextChoices]] = {
    TagKind.SUCCESS_FACTOR: SuccessFactor,
    TagKind.TARGET_GROUP: TargetGroup,
    TagKind.PLAN_LEVEL: Level,
}


class Practice(models.Model):
    """A practice in the experience library: what was done, where, with what result, and whom to
    ask (a role, so the contact survives a change of holder). Public, or shared within the county
    (members of its municipalities, its County Governor, Husbanken)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="practices")
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
        help_text=_("Where it was done; empty for a practice of the county or a network."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practices", help_text=_("Who shares it.")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what was done"))
    result = models.TextField(_("result"), blank=True)
    lessons = models.TextField(_("what others should know"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    contact_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="practices", verbose_name=_("contact role")
    )
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.COUNTY
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        indexes = [models.Index(fields=["county", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:practice", args=[self.pk])


class PracticeTag(models.Model):
    """One tag of a practice: a success factor, a target group or a plan level (codes of `TAG_CHOICES`)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    code = models.CharField(max_length=30)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["practice", "kind", "code"], name="one_tag_per_practice")]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        choices = TAG_CHOICES.get(self.kind)
        return str(dict(choices.choices).get(self.code, self.code)) if choices else self.code


class PracticeDocument(StoredFile):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:practice_document", args=[self.practice_id, self.pk])

    def folder(self) -> str:
        return f"praksis/{self.practice_id}"


# --- Support requests ------------------------------------------------------------------------------
class Topic(models.TextChoices):
    PLANNING = "plan", _("Anchoring in plans")
    KNOWLEDGE = "kunnskap", _("Knowledge base and data")
    NEEDS = "behov", _("Needs mapping")
    INSTRUMENTS = "virkemidler", _("Husbanken's instruments")
    LAW = "regelverk", _("Law and regulations")
    ORGANISATION = "organisering", _("Organisation and cooperation")
    PARTICIPATION = "medvirkning", _("User participation")
    OTHER = "annet", _("Other")


class Urgency(models.TextChoices):
    LOW = "lav", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "hoy", _("High")
    URGENT = "haster", _("Urgent")


URGENCY_RANK = {Urgency.URGENT: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}


class RequestStatus(models.TextChoices):
    NEW = "ny", _("New")
    TRIAGED = "vurdert", _("Triaged")
    IN_PROGRESS = "arbeid", _("In progress")
    WAITING = "venter", _("Waiting for the municipality")
    CLOSED = "lukket", _("Closed")


OPEN_STATUSES = [RequestStatus.NEW, RequestStatus.TRIAGED, RequestStatus.IN_PROGRESS, RequestStatus.WAITING]


class SupportRequest(models.Model):
    """A municipality asks its County Governor or Husbanken for help. A secure message: only the
    parties (the municipality's members and the recipient organisation's members) see it, not even
    site administrators (`access.is_party`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="support_requests")
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_requests", verbose_name=_("to")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_support_requests",
        verbose_name=_("assignee"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["recipient", "status"]), models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("network:request", args=[self.pk])


class RequestMessage(models.Model):
    """One message in a request's thread. Messages are never edited; `internal` notes are seen
    only by the recipient organisation (the County Governor's or Husbanken's own working notes)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")

    def __str__(self) -> str:
        return self.body[:60]


class RequestAttachment(StoredFile):
    message = models.ForeignKey(RequestMessage, on_delete=models.PROTECT, related_name="attachments")
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("network:request_attachment", args=[self.message.request_id, self.pk])

    def folder(self) -> str:
        return f"henvendelser/{self.message.request_id}"


class EventKind(models.TextChoices):
    CREATED = "opprettet", _("Request sent")
    MESSAGE = "melding", _("Message")
    NOTE = "notat", _("Internal note")
    STATUS = "status", _("Status changed")
    ASSIGNED = "tildelt", _("Assignee changed")
    URGENCY = "hastegrad", _("Urgency changed")
    DOWNLOADED = "lastet-ned", _("Attachment downloaded")


class RequestEvent(models.Model):
    """The audit trail of a support request: append-only, written by the actions, never edited."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


# --- Network events --------------------------------------------------------------------------------
class NetworkEventKind(models.TextChoices):
    NETWORK = "nettverk", _("Network meeting")
    COURSE = "kurs", _("Course")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "konferanse", _("Conference")


class NetworkEvent(models.Model):
    """A network meeting or course the County Governor holds for the county's municipalities.
    `roles` lists the catalogue keys (`continuity/roles.toml`) it is meant for; people register
    as one role."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="network_events")
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="network_events")
    kind = models.CharField(
        _("kind"), max_length=20, choices=NetworkEventKind.choices, default=NetworkEventKind.NETWORK
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("programme and description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("link for taking part online"), blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    roles = models.JSONField(_("meant for roles"), default=list, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public events are listed for everyone; others within the county.")
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("network event")
        verbose_name_plural = _("network events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event", args=[self.pk])


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> "RegistrationQuerySet":
        return self.filter(cancelled_at__isnull=True)


class Registration(models.Model):
    event = models.ForeignKey(NetworkEvent, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role_kind = models.CharField(_("taking part as"), max_length=40)
    needs = models.CharField(_("needs for taking part (diet, access, interpreting)"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.user}"


class EventMaterial(models.Model):
    """Material from an event: a file or a link."""

    event = models.ForeignKey(NetworkEvent, on_delete=models.PROTECT, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(upload_to=stored_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("material")
        constraints = [
            models.CheckConstraint(condition=~models.Q(url="") | ~models.Q(file=""), name="material_is_file_or_link")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event_material", args=[self.event_id, self.pk])

    def folder(self) -> str:
        return f"samlinger/{self.event_id}"

    def suffix(self) -> str:
        return SUFFIXES.get(self.content_type, "bin")


# --- User participation ----------------------------------------------------------------------------
class Use(models.TextChoices):
    """How the municipality used an input."""

    TAKEN = "tatt-inn", _("Taken in")
    PARTLY = "delvis", _("Partly taken in")
    NOT = "ikke", _("Not taken in")


class Input(models.Model):
    """A user organisation's input on a plan in public consultation or on a measure, and how the
    municipality used it (`use` with a reason). Input on a public plan or measure is public, like
    a consultation response; the organisation is named, the person is not shown publicly."""

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="inputs")
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="inputs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="inputs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("input"))
    created_at = models.DateTimeField(default=timezone.now)
    use = models.CharField(_("how the input was used"), max_length=10, choices=Use.choices, blank=True)
    use_reason = models.TextField(_("reason"), blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(plan__isnull=False) & models.Q(measure__isnull=True))
                | (models.Q(plan__isnull=True) & models.Q(measure__isnull=False)),
                name="input_on_plan_or_measure",
            ),
            models.CheckConstraint(condition=models.Q(use="") | ~models.Q(use_reason=""), name="input_use_has_reason"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def subject(self) -> Plan | Measure:
        return self.plan or self.measure

    @property
    def municipality(self) -> Municipality:
        return self.subject.municipality
