"""Legal terms as data (R-X-6) and the deadlines they give (R-X-1).

Every legal term (17, 10, 3, 2, 5, 15 working days; 30 and 10 calendar days; 2 months; 1 month;
1 working day) is a ``LegalTerm`` row with its rule id, key, legal act, paragraph and the date
from which it applies. A new edition of an order is a new row with a later ``effective_from``.
A case uses the terms in force on the day it started. Feature code never writes a bare number of
days: it asks ``deadline_for("R-SVC-7", accepted_on, case_started_on=case.started_on)``.

Keys of the rules with several terms: R-SVC-6 ``main`` (17 working days) and
``state_corporation_handover`` (1 working day before the term ends); R-SVC-11 ``notice`` (at
least 3 working days before the term ends) and ``hearing`` (within 2 working days of the
notice); R-SVC-13 ``storage`` (1 month) and ``return`` (1 working day); R-SVC-14 ``main``
(review, 5 working days), ``forward`` (3) and ``quality_authority`` (15); R-QUE-5 ``stationary``
(30 calendar days) and ``semi_stationary`` (10).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from qamqor.core.calendar import Deadline, compute_deadline
from qamqor.core.errors import DomainError
from qamqor.core.models import LegalTerm

# Terms the law counts back from the end of another term ("N working days before the service
# term ends"): their start event is the end of that term, and the deadline lies before it.
COUNTED_BACKWARDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("R-SVC-6", "state_corporation_handover"),
        ("R-SVC-11", "notice"),
    }
)


def term_in_force(rule_id: str, key: str = "main", on: dt.date | None = None) -> LegalTerm:
    """R-X-6: the edition of the term ``rule_id``/``key`` in force on ``on`` (default: today in
    Astana): the row with the latest ``effective_from`` on or before ``on``.

    Raises ``DomainError("terms.not_in_force")`` when no edition applies on that day (an unknown
    rule or key, or a day before the first edition).
    """
    day = on or timezone.localdate()
    term = (
        LegalTerm.objects.filter(rule_id=rule_id, key=key, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if term is None:
        raise DomainError(
            "terms.not_in_force",
            gettext("No legal term %(rule)s (%(key)s) is in force on %(date)s.")
            % {"rule": rule_id, "key": key, "date": day.strftime("%d.%m.%Y")},
            params={"rule_id": rule_id, "key": key, "on": day.isoformat()},
        )
    return term


def deadline_for(
    rule_id: str,
    start_event: dt.date,
    *,
    key: str = "main",
    case_started_on: dt.date | None = None,
) -> Deadline:
    """R-X-6, R-X-1: the deadline of term ``rule_id``/``key`` started by an event on
    ``start_event``, counted with the edition in force on the day the case started
    (``case_started_on``; by default the day of the event itself).

    For the terms in ``COUNTED_BACKWARDS`` ``start_event`` is the end of the term they precede
    and the result is the last day to act (R-SVC-6 hand-over, R-SVC-11 notice). The result
    carries its explanation (``Deadline.explain()``, ``Deadline.as_dict()``).
    """
    term = term_in_force(rule_id, key, on=case_started_on or start_event)
    return compute_deadline(
        start_event,
        term.count,
        term.unit,
        before=(rule_id, key) in COUNTED_BACKWARDS,
        rule_id=rule_id,
        key=key,
        legal_source=f"{term.legal_act}, {term.paragraph}",
        source_description={
            "kk": term.description_kk,
            "ru": term.description_ru,
            "en": term.description_en,
        },
        effective_from=term.effective_from,
    )
