"""The state service "Processing documents for special social services in medical-social
institutions" (R-SVC-1…16, seed 004): the recipient file, applications, their transitions,
overdue marks and complaints.

Domain words: ``Recipient`` ("қызмет алушы"), ``Application`` ("өтініш"), ``Complaint``
("шағым"). Rules that involve other rows or the clock live in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qamqor.applications.workflow import Status
from qamqor.core.encrypted import EncryptedJSONField, EncryptedTextField
from qamqor.core.fields import IINField, PhoneField
from qamqor.core.history import AuditedModel
from qamqor.core.models import AppendOnlyModel


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class DisabilityGroup(models.TextChoices):
    NONE = "none", _("no disability")
    GROUP_1 = "group_1", _("disability group I")
    GROUP_2 = "group_2", _("disability group II")
    GROUP_3 = "group_3", _("disability group III")
    CHILD = "child", _("child with a disability")


class Recipient(AuditedModel):
    """The recipient file ("қызмет алушының деректері"): the person and the facts the service
    takes from state systems (R-SVC-2: identity, disability, IPR, incapacity, pension age,
    veteran status). Filled by the idempotent import (``services.recipients``) standing in for
    those systems; applications read it instead of asking the person again.

    ``legal_representatives`` and ``relatives`` are lists of objects with the columns of form 1
    (full_name, iin, relationship, birth_date, social_status, address, phone)."""

    iin = IINField(_("IIN"), unique=True)
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birthplace = models.CharField(_("birthplace"), max_length=255, blank=True)
    registration_address = models.CharField(_("registration address"), max_length=500)
    residence_address = models.CharField(_("residence address"), max_length=500)
    phone = PhoneField(_("phone"), blank=True)
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, verbose_name=_("district of residence")
    )
    # Encrypted at rest (R-X-5, docs/privacy.md): never searched, so no blind index.
    identity_document_number = EncryptedTextField(
        _("identity document number"), max_length=32, blank=True
    )
    identity_document_issued_on = models.DateField(
        _("identity document date"), null=True, blank=True
    )
    disability_group = models.CharField(
        _("disability category"),
        max_length=16,
        choices=DisabilityGroup.choices,
        default=DisabilityGroup.NONE,
    )
    disability_until = models.DateField(_("disability established until"), null=True, blank=True)
    ipr_reference = models.CharField(_("IPR reference"), max_length=64, blank=True)
    # None: the state systems hold no incapacity data (R-SVC-2: a court decision copy is then
    # attached for persons over 18 whose incapacity is claimed).
    is_incapacitated = models.BooleanField(_("declared incapacitated"), null=True, blank=True)
    is_pension_age = models.BooleanField(_("of pension age"), default=False)
    is_veteran = models.BooleanField(_("veteran"), default=False)
    allowance_kind = models.CharField(_("kind of allowance"), max_length=200, blank=True)
    allowance_amount = models.DecimalField(
        _("amount of allowance"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    legal_representatives = models.JSONField(_("legal representatives"), default=list, blank=True)
    relatives = models.JSONField(_("relatives"), default=list, blank=True)
    source = models.CharField(_("source system"), max_length=32, default="import")
    source_hash = models.CharField(_("hash of the imported record"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class Channel(models.TextChoices):
    """R-SVC-1: where the application was filed."""

    PORTAL = "portal", _("portal (e-signature)")
    STATE_CORPORATION = "state_corporation", _("State Corporation")
    DISTRICT_OFFICE = "district_office", _("local executive body")


class FormKind(models.TextChoices):
    """R-SVC-1, R-SVC-3: form 1 (stationary) or form 2 (semi-stationary)."""

    STATIONARY = "form_1", _("form 1: stationary conditions")
    SEMI_STATIONARY = "form_2", _("form 2: semi-stationary conditions")


class Stay(models.TextChoices):
    PERMANENT = "permanent", _("permanent stay")
    TEMPORARY = "temporary", _("temporary stay (24 hours)")
    DAY = "day", _("day stay")


class RefusalGround(models.IntegerChoices):
    """R-SVC-10: the grounds for refusal (appendix 3 item 9)."""

    UNRELIABLE = 1, _("documents or data found unreliable")
    INCOMPLETE = 2, _("expired documents or an incomplete set")
    REQUIREMENTS_NOT_MET = (
        3,
        _("the recipient or the data do not meet the requirements of the rules of activity"),
    )
    NO_CONSENT = 4, _("no consent to access restricted personal data")


class Application(AuditedModel):
    """One application ("өтініш") and the case it opens (R-SVC-1…11).

    ``status`` moves only through ``workflow.TRANSITIONS`` by the service functions of
    ``services.cases``. Every due date is stored twice: as a date column (indexed for the
    dashboard and the sweep) and in ``deadlines`` with its explanation (``Deadline.as_dict()``,
    keyed by name: ``result``, ``handover``, ``assessment``, ``decision``, ``notify_choice``,
    ``hearing_notice``, ``hearing``, ``return``). ``current_due`` is the due date of the stage the
    case is in (None when nothing is due)."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("recipient"),
    )
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, verbose_name=_("district")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    form_kind = models.CharField(_("form"), max_length=8, choices=FormKind.choices)
    stay = models.CharField(_("stay"), max_length=16, choices=Stay.choices)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.REGISTERED
    )
    # R-SVC-3: the fields of form 1 / form 2 as filed.
    # Form 1/2 (identity document, addresses, disability, relatives), the medical card (form 5/6)
    # and the social worker's conclusion are encrypted at rest (R-X-5, R-SVC-16, docs/privacy.md).
    form_data = EncryptedJSONField(_("form fields"), default=dict)
    attached_documents = models.JSONField(_("attached documents"), default=list)
    medical_card = EncryptedJSONField(_("medical card (form 5/6)"), default=dict, blank=True)
    consent_personal_data = models.BooleanField(_("consent to restricted personal data"))
    consent_relatives_data = models.BooleanField(_("consent to data on children and spouse"))
    liability_acknowledged = models.BooleanField(_("liability for false data acknowledged"))
    conditions_acknowledged = models.BooleanField(_("admission conditions acknowledged"))
    # Who filed it and how.
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed for (represented person)"),
    )
    signed_application = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed application"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    # R-SVC-4: what was missing or expired at intake.
    intake_problems = models.JSONField(_("intake problems"), default=list, blank=True)
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social worker"),
    )
    conclusion = EncryptedJSONField(_("conclusion of the social worker"), default=dict, blank=True)
    concluded_on = models.DateField(_("conclusion received on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_ground = models.PositiveSmallIntegerField(
        _("ground for refusal"), choices=RefusalGround.choices, null=True, blank=True
    )
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place or way"), max_length=300, blank=True)
    hearing_notice_sent_on = models.DateField(_("hearing notice sent on"), null=True, blank=True)
    choice_notified_on = models.DateField(_("notified to choose on"), null=True, blank=True)
    chosen_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen organization"),
    )
    result_document = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed result"),
    )
    # R-SVC-13: the result at the State Corporation.
    result_at_state_corporation_on = models.DateField(
        _("result at the State Corporation since"), null=True, blank=True
    )
    result_storage_due = models.DateField(
        _("kept at the State Corporation until"), null=True, blank=True
    )
    result_collected_on = models.DateField(_("result collected on"), null=True, blank=True)
    result_returned_on = models.DateField(
        _("result returned to the local executive body on"), null=True, blank=True
    )
    result_requested_on = models.DateField(_("result requested again on"), null=True, blank=True)
    result_resent_on = models.DateField(_("result sent back on"), null=True, blank=True)
    # Due dates (see the class docstring).
    result_due = models.DateField(_("result due"), null=True, blank=True)
    current_due = models.DateField(_("due date of the current stage"), null=True, blank=True)
    deadlines = models.JSONField(_("due dates and their explanation"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["filed_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="applications_one_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(refusal_ground__isnull=True)
                | models.Q(refusal_ground__gte=1, refusal_ground__lte=4),
                name="applications_refusal_ground_known",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"], name="applications_district_status"),
            models.Index(fields=["status", "current_due"], name="applications_status_due"),
            # The dashboard's grouped scan (R-SVC-12) reads only this index.
            models.Index(
                fields=["status", "district", "current_due"], name="applications_open_due"
            ),
            models.Index(fields=["social_worker", "status"], name="applications_worker_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def deadline(self, name: str) -> Any:
        from qamqor.core.calendar import Deadline

        data = self.deadlines.get(name)
        return Deadline.from_dict(data) if data else None


class Transition(AppendOnlyModel):
    """One stage change of an application: the functional history and the monitoring feed
    (R-SVC-12). Append-only; its id is the feed cursor."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32)
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason_codes = models.JSONField(_("reason codes"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    signed_document = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DateField(_("due date of the new stage"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["id"]


class OverdueMark(models.Model):
    """R-SVC-12: the sweep found the stage of an application overdue (set-based insert; one mark
    per application, stage and due date)."""

    # No index of its own: the unique constraint below leads with it (issue 9: one index
    # fewer to write for every mark of the sweep).
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(max_length=32)
    due = models.DateField()
    marked_at = models.DateTimeField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    notified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "status", "due"], name="applications_overdue_once"
            )
        ]
        indexes = [
            # R-SVC-12, issue 9: the sweep finds the marks still to notify without a scan.
            models.Index(
                fields=["id"],
                condition=models.Q(notified=False),
                name="overdue_mark_unnotified",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status} due {self.due}"


class Complaint(AuditedModel):
    """A complaint ("шағым") about a decision, action or inaction (R-SVC-14)."""

    class Subject(models.TextChoices):
        DECISION = "decision", _("decision")
        ACTION = "action", _("action")
        INACTION = "inaction", _("inaction")

    class FiledTo(models.TextChoices):
        DISTRICT_HEAD = "district_head", _("head of the local executive body")
        STATE_CORPORATION = "state_corporation", _("State Corporation")
        QUALITY_AUTHORITY = "quality_authority", _("quality authority")

    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        SATISFIED = "satisfied", _("fully satisfied")
        PARTLY_SATISFIED = "partly_satisfied", _("partly satisfied")
        REJECTED = "rejected", _("rejected")
        FORWARDED = "forwarded", _("forwarded to the reviewing body")
        COURT = "court", _("went to court")

    number = models.CharField(_("number"), max_length=32, unique=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="complaints"
    )
    subject = models.CharField(_("about"), max_length=16, choices=Subject.choices)
    filed_to = models.CharField(_("filed to"), max_length=20, choices=FiledTo.choices)
    text = models.TextField(_("text"))
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REGISTERED
    )
    outcome_comment = models.TextField(_("outcome"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    review_due = models.DateField(_("review due"))
    forward_due = models.DateField(_("forwarding due"), null=True, blank=True)
    deadlines = models.JSONField(_("due dates and their explanation"), default=dict)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.number
