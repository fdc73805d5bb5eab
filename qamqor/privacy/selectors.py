"""Reads of the privacy app: the data subject's access report and consents (R-X-5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.accounts.models import RoleAssignment
from qamqor.accounts.roles import Role
from qamqor.core.models import PersonalFileAccess
from qamqor.journal.models import QueueEntry, Stay
from qamqor.privacy.models import ConsentKind, ConsentRecord

#: Why a file was read, as the person reads it. Purposes not listed show their code.
PURPOSES: dict[str, Any] = {
    "applications.case": gettext_lazy("handling your application for special social services"),
    "journal.view": gettext_lazy("keeping the journal of the organization you are in or queue for"),
    "journal.export.xlsx": gettext_lazy("printing the journal of the organization (XLSX)"),
    "journal.export.pdf": gettext_lazy("printing the journal of the organization (PDF)"),
    "cabinet.supplier_order": gettext_lazy("delivering your order"),
    "cabinet.reimbursement": gettext_lazy("deciding on the reimbursement of your order"),
    "privacy.export": gettext_lazy("you downloaded your data"),
}


def purpose_label(code: str) -> str:
    label = PURPOSES.get(code)
    return str(label) if label is not None else code


def access_log_of(person: Any) -> QuerySet[PersonalFileAccess]:
    """Every logged read of the person's data: reads of their own file (by IIN) and reads of a
    whole journal that listed them (a journal of an organization where they stayed or queued,
    from the day their row was there). The journal read is logged once per page, not once per
    person listed on it (one INSERT); the person's share of it is found here, at report time."""
    query = Q(subject_iin=person.iin)
    # One query for both (issue 9: the cabinet shows the latest of these reads on every view).
    stays = Stay.objects.filter(person_iin=person.iin).order_by()
    entries = QueueEntry.objects.filter(person_iin=person.iin).order_by()
    rows = stays.values_list("journal_id", "created_at").union(
        entries.values_list("journal_id", "created_at"), all=True
    )
    since: dict[int, Any] = {}
    for journal_id, created in rows:
        since[journal_id] = min(created, since.get(journal_id, created))
    for journal_id, created in since.items():
        query |= Q(
            subject_type="journal.journal", subject_id=str(journal_id), accessed_at__gte=created
        )
    return PersonalFileAccess.objects.filter(query).order_by("-accessed_at", "-id")


@dataclass(frozen=True)
class AccessRow:
    accessed_at: Any
    who: str
    unit: str
    purpose: str


def describe(page: list[PersonalFileAccess], person: Any) -> list[AccessRow]:
    """Who read, as the law lets the person know it: the role and the organization or district
    of the reader at the time of the read, not the employee's name (docs/privacy.md)."""
    actor_ids = {a.actor_id for a in page if a.actor_id}
    grants = list(
        RoleAssignment.objects.filter(user_id__in=actor_ids).select_related(
            "district", "organization", "supplier"
        )
    )
    out = []
    for access in page:
        if access.actor_id is None:
            who, unit = _("system"), ""
        elif access.actor_id == person.pk:
            who, unit = _("you"), ""
        else:
            held = [
                g
                for g in grants
                if g.user_id == access.actor_id
                and g.created_at <= access.accessed_at
                and (g.revoked_at is None or g.revoked_at > access.accessed_at)
                and g.role not in (Role.RECIPIENT, Role.LEGAL_REPRESENTATIVE)
            ]
            who = ", ".join(sorted({str(g.get_role_display()) for g in held})) or _(
                "portal user without a staff role"
            )
            unit = ", ".join(sorted({_unit(g) for g in held} - {""}))
        out.append(AccessRow(access.accessed_at, who, unit, purpose_label(access.purpose)))
    return out


def _unit(grant: RoleAssignment) -> str:
    for scope in (grant.organization, grant.supplier, grant.district):
        if scope is not None:
            return str(getattr(scope, "name", "") or scope)
    return ""


def consents_of(person: Any) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(subject_iin=person.iin).select_related("actor")


def consent_states(person: Any) -> list[tuple[str, str, ConsentRecord | None]]:
    """(kind, label, latest record or None) for every kind of consent."""
    latest: dict[str, ConsentRecord] = {}
    for row in consents_of(person):
        latest.setdefault(row.kind, row)
    return [(k, str(label), latest.get(k)) for k, label in ConsentKind.choices]
