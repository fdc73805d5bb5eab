"""Legal terms as data (R-X-6) and the deadlines they give (R-X-1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.apps import apps as django_apps
from django.utils import translation

from qamqor.core.errors import DomainError
from qamqor.core.models import LegalTerm
from qamqor.core.seeddata import legal_terms
from qamqor.core.terms import deadline_for, term_in_force

pytestmark = pytest.mark.django_db

D = dt.date

# Every term of R-X-6 with its seed paragraph and the date of the edition the seed gives.
SEEDED = [
    ("R-SVC-6", "main", 17, "working_days", "5-тармақ; 3-қосымшаның 3-тармағы", D(2021, 9, 29)),
    ("R-SVC-6", "state_corporation_handover", 1, "working_days", "11-тармақ", D(2021, 9, 29)),
    ("R-SVC-7", "main", 10, "working_days", "12-тармақ", D(2022, 8, 3)),
    ("R-SVC-8", "main", 3, "working_days", "13-тармақ", D(2021, 9, 29)),
    ("R-SVC-9", "main", 2, "working_days", "14-тармақ", D(2021, 12, 10)),
    ("R-SVC-11", "notice", 3, "working_days", "17-тармақтың 2-бөлігі", D(2021, 9, 29)),
    ("R-SVC-11", "hearing", 2, "working_days", "17-тармақтың 2-бөлігі", D(2021, 9, 29)),
    ("R-SVC-13", "storage", 1, "months", "7-тармақтың 2-бөлігі", D(2021, 9, 29)),
    ("R-SVC-13", "return", 1, "working_days", "7-тармақтың 2-бөлігі", D(2021, 9, 29)),
    ("R-SVC-14", "main", 5, "working_days", "18-тармақ", D(2022, 8, 3)),
    ("R-SVC-14", "forward", 3, "working_days", "18-тармақ", D(2022, 8, 3)),
    ("R-SVC-14", "quality_authority", 15, "working_days", "18-тармақ", D(2022, 8, 3)),
    ("R-SPC-3", "main", 5, "working_days", "9-тармақ", D(2025, 1, 23)),
    ("R-QUE-5", "stationary", 30, "calendar_days", "11-тармақтың 1) тармақшасы", D(2021, 12, 14)),
    (
        "R-QUE-5",
        "semi_stationary",
        10,
        "calendar_days",
        "21-тармақтың 1) тармақшасы",
        D(2021, 12, 14),
    ),
    ("R-POR-4", "main", 2, "months", "10-тармақтың 1-абзацы", D(2022, 9, 22)),
]


def test_every_term_of_r_x_6_is_a_row() -> None:
    """R-X-6: every legal term lives in one table with rule id, act, paragraph and date."""
    rows = {
        (t.rule_id, t.key, t.count, t.unit, t.paragraph, t.effective_from)
        for t in LegalTerm.objects.all()
    }
    assert rows == set(SEEDED)
    for term in LegalTerm.objects.all():
        assert term.legal_act and term.description_kk and term.description_ru
        assert term.description_en


def test_loading_the_terms_again_changes_nothing() -> None:
    """R-X-6: the seed loader is idempotent and never overwrites an edited text."""
    term = LegalTerm.objects.get(rule_id="R-SVC-7")
    term.description_en = "Corrected by an administrator."
    term.save()
    legal_terms.load(django_apps)
    assert LegalTerm.objects.count() == len(SEEDED)
    assert LegalTerm.objects.get(rule_id="R-SVC-7").description_en == (
        "Corrected by an administrator."
    )


def test_term_in_force_today() -> None:
    """R-X-6: without a date, the edition in force today (Astana time)."""
    with time_machine.travel(dt.datetime(2026, 2, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        term = term_in_force("R-SVC-6")
    assert (term.count, term.unit) == (17, "working_days")


def test_no_term_before_its_first_edition_or_for_an_unknown_rule() -> None:
    """R-X-6: a refusal with a code, not a guess."""
    with pytest.raises(DomainError) as error:
        term_in_force("R-SPC-3", on=D(2025, 1, 22))
    assert error.value.code == "terms.not_in_force"
    with pytest.raises(DomainError) as error:
        term_in_force("R-SVC-6", "no-such-key", on=D(2025, 1, 22))
    assert error.value.code == "terms.not_in_force"


def test_a_newer_edition_applies_only_to_cases_started_on_or_after_it() -> None:
    """R-X-6: a new edition is a new row; a case uses the terms in force the day it started."""
    LegalTerm.objects.create(
        rule_id="R-SVC-7",
        key="main",
        count=7,
        unit="working_days",
        legal_act="New edition",
        paragraph="12-тармақ",
        effective_from=D(2026, 1, 1),
        description_kk="Жаңа редакция",
        description_ru="Новая редакция",
        description_en="New edition",
    )
    assert term_in_force("R-SVC-7", on=D(2025, 12, 31)).count == 10
    assert term_in_force("R-SVC-7", on=D(2026, 1, 1)).count == 7
    old_case = deadline_for("R-SVC-7", D(2026, 1, 5), case_started_on=D(2025, 12, 30))
    new_case = deadline_for("R-SVC-7", D(2026, 1, 5), case_started_on=D(2026, 1, 2))
    assert (old_case.count, old_case.due, old_case.effective_from) == (
        10,
        D(2026, 1, 20),
        D(2022, 8, 3),
    )
    assert (new_case.count, new_case.due, new_case.effective_from) == (
        7,
        D(2026, 1, 15),
        D(2026, 1, 1),
    )


def test_r_svc_6_seventeen_working_days_with_its_legal_basis() -> None:
    """R-SVC-6, R-X-1: registered Wed 19.03.2025 → Wed 16.04.2025, explained with the act."""
    deadline = deadline_for("R-SVC-6", D(2025, 3, 19))
    assert (deadline.count, deadline.unit, deadline.due) == (17, "working_days", D(2025, 4, 16))
    assert deadline.legal_source.endswith(", 5-тармақ; 3-қосымшаның 3-тармағы")
    with translation.override("en"):
        assert deadline.explain() == (
            "17 working days from 19.03.2025, counted from the next day, end on 16.04.2025 "
            "(R-SVC-6). Days off skipped: 21–25.03.2025 Nauryz. Legal basis: State-service "
            "rules “Processing documents for special social services in medical-social "
            "institutions”, p. 5 (edition of Order No. 357 of 29.09.2021): the whole service "
            "takes 17 working days from the registration of the documents. Dated by the order: "
            "the seed does not give its entry into force."
        )
    with translation.override("ru"):
        assert "п. 5 (ред. приказа от 29.09.2021 № 357)" in deadline.explain()
    stored = json.loads(json.dumps(deadline.as_dict()))
    assert (stored["rule_id"], stored["effective_from"]) == ("R-SVC-6", "2021-09-29")


def test_r_svc_6_handover_is_one_working_day_before_the_term_ends() -> None:
    """R-SVC-6: the local executive body hands the result to the State Corporation one working
    day before the term ends (term ends Wed 26.03.2025 → Thu 20.03.2025, over Nauryz)."""
    deadline = deadline_for("R-SVC-6", D(2025, 3, 26), key="state_corporation_handover")
    assert (deadline.before, deadline.due) == (True, D(2025, 3, 20))
    with translation.override("en"):
        assert deadline.explain().startswith(
            "1 working day before 26.03.2025 is 20.03.2025 (R-SVC-6). Days off skipped: "
            "21–25.03.2025 Nauryz."
        )


def test_r_svc_11_notice_and_hearing() -> None:
    """R-SVC-11: notice at least 3 working days before the term ends; hearing within 2."""
    notice = deadline_for("R-SVC-11", D(2025, 4, 16), key="notice")
    assert notice.due == D(2025, 4, 11)
    hearing = deadline_for("R-SVC-11", notice.due, key="hearing")
    assert hearing.due == D(2025, 4, 15)


@pytest.mark.parametrize(
    ("rule_id", "key", "start", "due"),
    [
        ("R-SVC-7", "main", D(2025, 3, 19), D(2025, 4, 7)),
        ("R-SVC-8", "main", D(2025, 3, 20), D(2025, 3, 28)),
        ("R-SVC-9", "main", D(2025, 1, 2), D(2025, 1, 6)),
        ("R-SVC-13", "return", D(2025, 1, 2), D(2025, 1, 5)),
        ("R-SVC-14", "main", D(2025, 3, 19), D(2025, 3, 31)),
        ("R-SVC-14", "forward", D(2025, 3, 19), D(2025, 3, 27)),
        ("R-SVC-14", "quality_authority", D(2025, 3, 19), D(2025, 4, 14)),
        ("R-SPC-3", "main", D(2025, 6, 4), D(2025, 6, 12)),
    ],
)
def test_working_day_terms(rule_id: str, key: str, start: dt.date, due: dt.date) -> None:
    """R-SVC-7, R-SVC-8, R-SVC-9, R-SVC-13, R-SVC-14, R-SPC-3: counted as in R-X-1."""
    assert deadline_for(rule_id, start, key=key).due == due


def test_r_que_5_postponement_ending_on_a_holiday() -> None:
    """R-QUE-5: up to 30 calendar days (stationary) / 10 (semi-stationary); an end on a day
    off moves to the next working day."""
    stationary = deadline_for("R-QUE-5", D(2025, 2, 20), key="stationary")
    semi = deadline_for("R-QUE-5", D(2025, 3, 12), key="semi_stationary")
    assert (stationary.nominal_due, stationary.due) == (D(2025, 3, 22), D(2025, 3, 26))
    assert (semi.nominal_due, semi.due) == (D(2025, 3, 22), D(2025, 3, 26))
    assert [d.date for d in semi.moved_over] == [D(2025, 3, d) for d in range(22, 26)]


def test_month_terms_ending_on_a_holiday() -> None:
    """R-POR-4: 2 months; R-SVC-13: 1 month of storage; both move past a day off."""
    choice = deadline_for("R-POR-4", D(2025, 1, 21))
    storage = deadline_for("R-SVC-13", D(2025, 2, 8), key="storage")
    assert (choice.nominal_due, choice.due) == (D(2025, 3, 21), D(2025, 3, 26))
    assert (storage.nominal_due, storage.due) == (D(2025, 3, 8), D(2025, 3, 11))
