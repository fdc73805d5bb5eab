"""The electronic journal ("электрондық журнал") and the waiting queue ("кезек") of an
organization, per service condition (R-JRN-1…4, R-QUE-1…6, seed 001).

* ``Journal``: one per organization and service condition; its row is the lock every write that
  changes occupancy or the queue takes (``locks.py``), and it carries the started/finished dates
  of the form (R-JRN-2).
* ``Stay``: one stay of a recipient ("қызмет алушы") in a journal, from admission to discharge,
  transfer or termination, with the data of the columns of appendix 2 (R-JRN-2).
* ``Movement`` ("қозғалыс"): each act on a stay with its order (or decision) number and date
  (R-JRN-1), append-only.
* ``RegistrationCard``: the card of temporary-stay organizations (R-JRN-4).
* ``QueueEntry``: one queue application (R-QUE-1…6). The position is never stored: it is
  computed from (priority, registration time, id).
* ``QueueEvent``: every queue event, each chained to the previous one of its journal by a
  SHA-256 hash (tamper-evident history, ``verification.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import IINField
from qamqor.core.history import AuditedModel
from qamqor.core.models import AppendOnlyModel
from qamqor.organizations.models import ServiceCondition


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Journal(AuditedModel):
    """The journal of one organization and service condition (R-JRN-1, R-JRN-2)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="journals",
        verbose_name=_("organization"),
    )
    condition = models.CharField(
        _("service condition"), max_length=32, choices=ServiceCondition.choices
    )
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "condition"]
        verbose_name = _("electronic journal")
        verbose_name_plural = _("electronic journals")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "condition"], name="journal_organization_condition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_condition_display()}"


class PersonFields(models.Model):
    """The person as the journal and the queue record them (columns 3–8 of appendix 2)."""

    person_iin = IINField(_("IIN"), db_index=True)
    full_name = models.CharField(_("surname, name, patronymic"), max_length=300)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    home_address = models.CharField(_("home address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    ipr_until = models.DateField(_("term of the IPR"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("portal account"),
    )
    referral = models.CharField(
        _("referral (decision number and date)"), max_length=200, blank=True
    )

    class Meta:
        abstract = True


class StayStatus(models.TextChoices):
    """Where a stay stands (R-JRN-1). The first three occupy a place (SPEC §3)."""

    IN_CARE = "in_care", _("receiving services")
    ON_LEAVE = "on_leave", _("on temporary leave")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")
    DISCHARGED = "discharged", _("discharged")
    TRANSFERRED = "transferred", _("transferred")


#: SPEC §3: a place is occupied from admission to discharge / transfer / termination; temporary
#: leave and suspension keep the place.
OCCUPYING = (StayStatus.IN_CARE, StayStatus.ON_LEAVE, StayStatus.SUSPENDED)


class Stay(PersonFields, AuditedModel):
    """One stay of a recipient in a journal ("қызмет алушы"), one row of the form (R-JRN-2)."""

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="stays", verbose_name=_("journal")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StayStatus.choices, default=StayStatus.IN_CARE
    )
    admitted_on = models.DateField(_("admission date"))
    admission_order = models.CharField(_("admission order No."), max_length=100)
    # R-JRN-3: admitted again after leaving the organization.
    returned = models.BooleanField(_("returned"), default=False)
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred from"),
    )
    queue_entry = models.OneToOneField(
        "QueueEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stay",
        verbose_name=_("queue application"),
    )

    class Meta:
        ordering = ["journal", "admitted_on", "pk"]
        verbose_name = _("stay in the journal")
        verbose_name_plural = _("stays in the journal")
        constraints = [
            # A person holds at most one place in a journal at a time.
            models.UniqueConstraint(
                fields=["journal", "person_iin"],
                condition=Q(status__in=["in_care", "on_leave", "suspended"]),
                name="stay_one_place_per_person",
                violation_error_message=_("This person already has a place in this journal."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=StayStatus.values), name="stay_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["journal", "status"], name="stay_journal_status")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_status_display()})"

    @property
    def occupies_place(self) -> bool:
        return self.status in OCCUPYING


class MovementKind(models.TextChoices):
    """The movements of R-JRN-1."""

    ADMISSION = "admission", _("admission")
    LEAVE = "leave", _("temporary leave")
    RETURN_FROM_LEAVE = "return_from_leave", _("return from temporary leave")
    SUSPENSION = "suspension", _("suspension")
    RESUMPTION = "resumption", _("resumption")
    TERMINATION = "termination", _("termination")
    DISCHARGE = "discharge", _("discharge or expulsion")
    TRANSFER = "transfer", _("transfer to another organization")


class Movement(AppendOnlyModel):
    """One movement of a stay with its order (home care: decision) number and date (R-JRN-1)."""

    stay = models.ForeignKey(
        Stay, on_delete=models.PROTECT, related_name="movements", verbose_name=_("stay")
    )
    kind = models.CharField(_("movement"), max_length=24, choices=MovementKind.choices)
    on = models.DateField(_("date"))
    order_number = models.CharField(_("order or decision No."), max_length=100)
    order_date = models.DateField(_("order or decision date"))
    reason = models.TextField(_("reason"), blank=True)
    destination = models.CharField(
        _("where to (region, city, district)"), max_length=300, blank=True
    )
    target_stay = models.ForeignKey(
        Stay,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admission at the receiving organization"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["stay", "on", "pk"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="movement_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on} № {self.order_number}"


class RegistrationCard(AuditedModel):
    """R-JRN-4: the registration card of a temporary-stay organization, filled after the medical
    examination and sanitary treatment and before the person is registered in the journal."""

    stay = models.OneToOneField(
        Stay, on_delete=models.PROTECT, related_name="card", verbose_name=_("stay")
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    medical_examination_on = models.DateField(_("medical examination date"))
    sanitary_treatment_done = models.BooleanField(_("sanitary treatment done"))
    disinfection_done = models.BooleanField(_("clothes and belongings disinfected"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("registration card")
        verbose_name_plural = _("registration cards")
        constraints = [
            models.CheckConstraint(
                condition=Q(sanitary_treatment_done=True, disinfection_done=True),
                name="card_after_sanitary_treatment",
                violation_error_message=_(
                    "The card is filled after the sanitary treatment and disinfection."
                ),
            )
        ]


class QueuePriority(models.IntegerChoices):
    """R-QUE-4: out of turn first, then the ordinary queue; FIFO inside each."""

    OUT_OF_TURN = 0, _("out of turn (orphans who turned 18)")
    ORDINARY = 1, _("ordinary")


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    SUSPENDED = "suspended", _("suspended: IPR expired")
    OFFERED = "offered", _("place offered, awaiting arrival")
    ADMITTED = "admitted", _("admitted")
    CLOSED = "closed", _("closed")


#: The statuses in which a person stands in the queue (at most once per journal).
ACTIVE_QUEUE = (QueueStatus.WAITING, QueueStatus.SUSPENDED, QueueStatus.OFFERED)


class CloseReason(models.TextChoices):
    NO_SHOW = "no_show", _("did not arrive in the term")
    WITHDRAWN = "withdrawn", _("withdrawn by the recipient")


class PostponementReason(models.TextChoices):
    """R-QUE-5: the grounds for moving the arrival date."""

    ILLNESS = "illness", _("illness")
    HOSPITALISATION = "hospitalisation", _("hospitalisation")


class QueueEntry(PersonFields, AuditedModel):
    """One queue application ("кезекке өтінім") in a journal (R-QUE-1…6)."""

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="queue", verbose_name=_("journal")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=QueuePriority.choices, default=QueuePriority.ORDINARY
    )
    out_of_turn_basis = models.CharField(
        _("basis of the out-of-turn right"), max_length=300, blank=True
    )
    # R-QUE-1: the order of arrival; R-QUE-3 keeps it through a suspension.
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QueueStatus.choices, default=QueueStatus.WAITING
    )
    application = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed queue application"),
    )
    offered_on = models.DateField(_("place offered on"), null=True, blank=True)
    arrive_by = models.DateField(_("arrive by"), null=True, blank=True)
    original_arrive_by = models.DateField(
        _("arrival term before postponement"), null=True, blank=True
    )
    # R-QUE-5: once.
    postponed = models.BooleanField(_("arrival postponed"), default=False)
    postponement_reason = models.CharField(
        _("reason of postponement"), max_length=20, choices=PostponementReason.choices, blank=True
    )
    postponement = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed postponement notification"),
    )
    closed_reason = models.CharField(
        _("reason of closing"), max_length=16, choices=CloseReason.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["journal", "priority", "registered_at", "pk"]
        verbose_name = _("queue application")
        verbose_name_plural = _("queue applications")
        constraints = [
            # "Each person at most once in a queue".
            models.UniqueConstraint(
                fields=["journal", "person_iin"],
                condition=Q(status__in=["waiting", "suspended", "offered"]),
                name="queue_person_once",
                violation_error_message=_("This person is already in this queue."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=QueueStatus.values), name="queue_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="offered")
                | Q(arrive_by__isnull=False, offered_on__isnull=False),
                name="queue_offer_has_term",
            ),
            models.CheckConstraint(
                condition=Q(postponed=False) | Q(original_arrive_by__isnull=False),
                name="queue_postponement_keeps_term",
            ),
        ]
        indexes = [
            models.Index(
                fields=["journal", "status", "priority", "registered_at", "id"],
                name="queue_order",
            ),
            models.Index(fields=["user", "status"], name="queue_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_status_display()})"

    @property
    def order_key(self) -> tuple[int, str, int]:
        """R-QUE-1, R-QUE-4: (priority, registration time, id): the order of the queue."""
        return (self.priority, self.registered_at.isoformat(), self.pk)


class QueueEventKind(models.TextChoices):
    FILED = "filed", _("application filed")
    SUSPENDED = "suspended", _("suspended: IPR expired")
    RECERTIFIED = "recertified", _("returned after re-certification")
    OFFERED = "offered", _("place offered")
    POSTPONED = "postponed", _("arrival postponed")
    NO_SHOW = "no_show", _("closed: did not arrive")
    ADMITTED = "admitted", _("admitted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class QueueEvent(AppendOnlyModel):
    """One event of a journal's queue, chained by hash to the previous one (issue 7 item 4)."""

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="queue_events", verbose_name=_("journal")
    )
    seq = models.PositiveIntegerField(_("number in the chain"))
    entry = models.ForeignKey(
        QueueEntry,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("queue application"),
    )
    kind = models.CharField(_("event"), max_length=16, choices=QueueEventKind.choices)
    at = models.DateTimeField(_("time"))
    data = models.JSONField(_("data"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    prev_hash = models.CharField(_("hash of the previous event"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["journal", "seq"]
        verbose_name = _("queue event")
        verbose_name_plural = _("queue events")
        constraints = [
            models.UniqueConstraint(fields=["journal", "seq"], name="queue_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"
