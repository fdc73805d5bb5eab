"""Registry of specialists providing special social services ("мамандар тізілімі"), R-SPC.

* ``Profession``: the reference list of professions (R-SPC-2.5), kk/ru/en names.
* ``Application`` ("өтініш"): one applicant's case. Its editable fields are the draft of the
  form of R-SPC-2; the status follows ``workflow.TRANSITIONS``; ``due_on`` and ``deadline`` are
  those of the version under review (R-SPC-3).
* ``ApplicationVersion``: what was submitted, frozen (R-SPC-4: every version is kept), with the
  day it arrived and its 5-working-day deadline with the explanation (R-X-1).
* ``Decision``: the administrator's decision on one version with its enumerated reasons.
* ``Attachment``: a document file (PDF/JPEG/PNG, sniffed) in private storage.
* ``Specialist``: the registry entry ("тізілім жазбасы") of a registered application: the data of
  the registered version in the columns of the form (appendix to seed 002), public only with the
  specialist's consent (R-SPC-5).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import PhoneField
from qamqor.core.history import AuditedModel
from qamqor.core.models import AppendOnlyModel, Named


class Status(models.TextChoices):
    """Where an application stands (R-SPC-3, R-SPC-4); the legal moves are in ``workflow``."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("under review")
    RETURNED = "returned", _("returned for revision")
    REGISTERED = "registered", _("registered")
    REFUSED = "refused", _("refused")


class DecisionKind(models.TextChoices):
    """R-SPC-3: the three decisions of the administrator."""

    REGISTER = "register", _("register")
    RETURN = "return", _("return for revision")
    REFUSE = "refuse", _("refuse")


class ReturnReason(models.TextChoices):
    """R-SPC-3.2 (seed 002 p.9.2): the four reasons to return an application for revision."""

    PROFESSION_MISMATCH = "profession_mismatch", _("the name of the profession does not match")
    FALSE_QUALIFICATION = (
        "false_qualification",
        _("false information on the qualification category"),
    )
    INCOMPLETE_DOCUMENTS = (
        "incomplete_documents",
        _("incomplete set of documents and/or expired documents"),
    )
    EMPLOYMENT_MISMATCH = (
        "employment_mismatch",
        _("the employment data (position, staff position) do not match"),
    )


class RefusalReason(models.TextChoices):
    """R-SPC-3.3 (seed 002 p.9.3): the four reasons to refuse an application."""

    DEPRIVED_OF_RIGHT = (
        "deprived_of_right",
        _("deprived by a court verdict in force of the right to practise as a social worker"),
    )
    MEDICAL_BAN = (
        "medical_ban",
        _(
            "a court decision (verdict) in force bans the applicant from medical activity "
            "(in the declared specialty)"
        ),
    )
    INCAPACITY = (
        "incapacity",
        _("a court declared the applicant incapable or of limited capacity"),
    )
    EMIGRATION = (
        "emigration",
        _("departure from the Republic of Kazakhstan for permanent residence"),
    )


class QualificationCategory(models.TextChoices):
    """R-SPC-2.9: the qualification category of a social worker."""

    NONE = "none", _("without a category")
    SECOND = "second", _("second category")
    FIRST = "first", _("first category")
    HIGHEST = "highest", _("highest category")


class EducationLevel(models.TextChoices):
    """R-SPC-2.7: the level of an education entry."""

    TECHNICAL = "technical", _("technical and vocational")
    POST_SECONDARY = "post_secondary", _("post-secondary")
    HIGHER = "higher", _("higher")
    POSTGRADUATE = "postgraduate", _("postgraduate")


class DocumentKind(models.TextChoices):
    """What an attached document proves (R-SPC-2: documents are attached as files)."""

    IDENTITY = "identity", _("identity document")
    EDUCATION = "education", _("education document")
    EMPLOYMENT = "employment", _("employment record")
    QUALIFICATION = "qualification", _("qualification category certificate")
    OTHER = "other", _("other document")


class DueFlag(models.TextChoices):
    """Set by the deadline sweep (issue 5 item 5) for the administrator's dashboard."""

    NONE = "", _("in time")
    DUE_TODAY = "due_today", _("overdue from tomorrow")
    OVERDUE = "overdue", _("overdue")


class Profession(Named):
    """A profession of the reference list (R-SPC-2.5) ("кәсіп")."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    is_active = models.BooleanField(_("offered to applicants"), default=True)

    class Meta:
        ordering = ["name_kk"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")


class _PrivateStorage(LazyObject):
    """Attachments live outside the web root (issue 5 item 1): no URL serves this directory;
    only ``views.attachment`` streams a file, to those allowed."""

    def _setup(self) -> None:
        root = getattr(settings, "SPECIALISTS_PRIVATE_ROOT", None) or (
            settings.MEDIA_ROOT / "private" / "specialists"
        )
        self._wrapped = FileSystemStorage(location=root, base_url=None)


private_storage = _PrivateStorage()


def _private() -> Any:
    return private_storage


class Application(AuditedModel):
    """An application to the registry of specialists ("өтініш"), R-SPC-1…4.

    The fields below are the working copy the applicant edits (a draft saved at every step);
    what was submitted is frozen in ``ApplicationVersion``.
    """

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="specialist_applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # R-SPC-2.1–2.4
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic (if any)"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = PhoneField(_("mobile phone"), blank=True, null=True)
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    address = models.CharField(_("registered address"), max_length=300, blank=True)
    # R-SPC-2.5–2.6
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    experience_years = models.PositiveSmallIntegerField(
        _("work experience in special social services, years"), null=True, blank=True
    )
    experience_months = models.PositiveSmallIntegerField(_("and months"), null=True, blank=True)
    # R-SPC-2.7–2.8: lists of entries (dicts, ISO dates): forms.EducationForm, EmploymentForm.
    education = models.JSONField(_("education"), default=list, blank=True)
    employment = models.JSONField(_("employment"), default=list, blank=True)
    # R-SPC-2.9
    qualification_category = models.CharField(
        _("qualification category"),
        max_length=16,
        choices=QualificationCategory.choices,
        blank=True,
    )
    qualification_date = models.DateField(
        _("date the category was assigned"), null=True, blank=True
    )
    attestation_commission = models.CharField(
        _("attestation commission (name of the authority)"), max_length=300, blank=True
    )
    # R-SPC-5
    publication_consent = models.BooleanField(
        _("I agree that my entry is published in the public registry"), default=False
    )
    # R-SPC-3: the deadline of the version under review, stored with its explanation (R-X-1).
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    due_on = models.DateField(_("decision due"), null=True, blank=True, db_index=True)
    deadline = models.JSONField(_("deadline"), default=dict, blank=True)
    due_flag = models.CharField(
        _("deadline flag"), max_length=16, choices=DueFlag.choices, blank=True, default=""
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application to the registry of specialists")
        verbose_name_plural = _("applications to the registry of specialists")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="specialists_application_status"
            ),
            # R-SPC-4: a refused applicant applies again only with a new application, and no one
            # has two open applications.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=~Q(status=Status.REFUSED),
                name="specialists_one_open_application",
                violation_error_message=_("You already have an application."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SUBMITTED) | Q(due_on__isnull=False),
                name="specialists_submitted_has_due_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="specialists_queue_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.full_name}".strip()

    @property
    def number(self) -> str:
        return f"SPC-{self.pk:06d}" if self.pk else ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class ApplicationVersion(AppendOnlyModel):
    """One submission of an application, frozen (R-SPC-4: every version is kept).

    ``data`` holds the submitted form (``services.snapshot``); ``attachments`` the ids of the
    documents attached at the time. The 5-working-day term of R-SPC-3 starts again with each
    version: ``arrived_on``, ``due_on`` and the explained ``deadline``.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("application"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    arrived_on = models.DateField(_("arrived on"))
    due_on = models.DateField(_("decision due"))
    deadline = models.JSONField(_("deadline"), default=dict)
    data = models.JSONField(_("submitted data"), default=dict)
    attachments = models.JSONField(_("attached documents"), default=list)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("version of an application")
        verbose_name_plural = _("versions of applications")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="specialists_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.number} v{self.number}"


class Decision(AppendOnlyModel):
    """The administrator's decision on one version (R-SPC-3), with reasons and comment."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("application"),
    )
    version = models.OneToOneField(
        ApplicationVersion,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("version"),
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    decided_on = models.DateField(_("decision date"))
    in_time = models.BooleanField(_("within the term"))

    class Meta:
        ordering = ["application", "decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="specialists_decision_kind"
            ),
        ]

    def reason_labels(self) -> list[str]:
        choices: Any = ReturnReason if self.kind == DecisionKind.RETURN else RefusalReason
        return [str(choices(code).label) for code in self.reasons if code in choices.values]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the user (no traversal, no executable extension).
    return f"{instance.application_id}/{instance.sha256[:16]}-{instance.token}.{instance.extension}"


class Attachment(AuditedModel):
    """A document attached to an application (R-SPC-2): PDF, JPEG or PNG, type sniffed from the
    content, size-limited, stored in ``private_storage``. Never deleted: a removed document gets
    ``removed_at`` and stays readable in the versions that listed it."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=_private, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    token = models.CharField(max_length=16, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")

    def __str__(self) -> str:
        return self.original_name


class Specialist(AuditedModel):
    """One entry of the registry of specialists (R-SPC-5), in the columns of the form (appendix
    to seed 002): the data of the last registered version of ``application``."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="entry",
        verbose_name=_("application"),
    )
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    phone = PhoneField(_("mobile phone"), blank=True, null=True)
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    locality = models.CharField(_("locality"), max_length=200)
    address = models.CharField(_("registered address"), max_length=300)
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    experience_years = models.PositiveSmallIntegerField(_("experience, years"))
    experience_months = models.PositiveSmallIntegerField(_("experience, months"), default=0)
    education = models.JSONField(_("education"), default=list)
    employment = models.JSONField(_("employment"), default=list)
    qualification_category = models.CharField(
        _("qualification category"), max_length=16, choices=QualificationCategory.choices
    )
    qualification_date = models.DateField(_("date the category was assigned"), null=True)
    attestation_commission = models.CharField(_("attestation commission"), max_length=300)
    included_on = models.DateField(_("date of inclusion"), db_index=True)
    updated_on = models.DateField(_("last updated"))
    publication_consent = models.BooleanField(_("consents to publication"), default=False)
    excluded_on = models.DateField(_("excluded on"), null=True, blank=True)
    # Lower-cased "surname given patronymic" for the search (one index, any database).
    search_name = models.CharField(max_length=310, db_index=True, editable=False)

    class Meta:
        ordering = ["surname", "given_name", "id"]
        verbose_name = _("registered specialist")
        verbose_name_plural = _("registered specialists")
        indexes = [
            models.Index(
                fields=["region", "profession", "qualification_category"],
                name="specialists_filter_idx",
            ),
            models.Index(
                fields=["surname", "given_name", "id"],
                condition=Q(publication_consent=True, excluded_on__isnull=True),
                name="specialists_public_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def is_public(self) -> bool:
        return self.publication_consent and self.excluded_on is None
