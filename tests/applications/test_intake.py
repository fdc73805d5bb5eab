"""Filing and the intake check (R-SVC-1…6, R-SVC-10 ground 4, R-SVC-16)."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.applications.models import Application, Transition
from qamqor.applications.services import intake
from qamqor.core.errors import PermissionDeniedError
from qamqor.core.models import DomainEvent
from tests.applications.conftest import at, file_on, filing
from tests.applications.factories import full_medical_card

pytestmark = pytest.mark.django_db


def test_a_complete_set_is_registered_with_the_17_working_day_term(askar_officer, bibigul):
    """R-SVC-5, R-SVC-6: registered Wednesday 19 March 2025 at the local executive body → the
    result is due Wednesday 16 April 2025 (Nauryz 21–25 March skipped); the due date is stored
    with its explanation."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)

    assert app.status == "registered"
    assert app.registered_on == dt.date(2025, 3, 19)
    assert app.result_due == dt.date(2025, 4, 16)
    assert app.current_due == dt.date(2025, 4, 16)
    result = app.deadline("result")
    assert result.rule_id == "R-SVC-6" and result.count == 17
    assert "21" in result.explain() and "R-SVC-6" in result.explain()
    assert list(Transition.objects.filter(application=app).values_list("to_status", flat=True)) == [
        "registered"
    ]
    assert DomainEvent.objects.filter(verb="applications.registered").count() == 1


def test_nauryz_2026_is_skipped(askar_officer, bibigul):
    """R-SVC-6, R-X-1: 17 working days from Wednesday 18 March 2026 end on 15 April 2026."""
    app = file_on(at(2026, 3, 18), askar_officer, bibigul)
    assert app.result_due == dt.date(2026, 4, 15)


def test_the_january_2025_transfer_is_counted(askar_officer, bibigul):
    """R-SVC-6, R-X-1: from Thursday 2 January 2025: Friday 3 January is a day off, Sunday
    5 January a working day, 7 January (Christmas) a holiday → 28 January 2025."""
    app = file_on(at(2025, 1, 2), askar_officer, bibigul)
    assert app.result_due == dt.date(2025, 1, 28)


def test_state_corporation_does_not_count_the_acceptance_day(dana_operator, askar_officer, bibigul):
    """R-SVC-6: accepted at the State Corporation the same day, the term ends one working day
    later than at the local executive body, and the hand-over to the State Corporation is due
    one working day before the term ends."""
    at_district = file_on(at(2025, 3, 19), askar_officer, bibigul)
    at_corporation = file_on(at(2025, 3, 19), dana_operator, bibigul, "state_corporation")

    assert at_district.result_due == dt.date(2025, 4, 16)
    assert at_corporation.result_due == dt.date(2025, 4, 17)
    assert at_corporation.deadline("handover").due == dt.date(2025, 4, 16)
    assert at_corporation.deadline("handover").rule_id == "R-SVC-6"


@pytest.mark.parametrize(
    ("moment", "registered"),
    [
        (at(2025, 3, 19, 18, 29), dt.date(2025, 3, 19)),  # before 18:30
        (at(2025, 3, 19, 18, 30), dt.date(2025, 3, 20)),  # after hours → next working day
        (at(2025, 3, 15, 10, 0), dt.date(2025, 3, 17)),  # Saturday → Monday
        (at(2025, 3, 21, 10, 0), dt.date(2025, 3, 26)),  # Nauryz → after the holidays
    ],
)
def test_portal_filing_after_hours_counts_from_the_next_working_day(
    esign_settings, test_pki, bibigul, bibigul_user, moment, registered
):
    """R-SVC-6: on the portal, after 18:30, at a weekend or a holiday the application is
    registered on the next working day."""
    f = filing(bibigul, "portal", idempotency_key="k1")
    content = intake.signing.canonical_bytes(intake.portal_act(f, bibigul_user, None))
    cms = test_pki.sign(content, iin=bibigul_user.iin, kind="sign")
    app = intake.file_application(f, actor=bibigul_user, cms=cms, filed_at=moment)
    assert app.registered_on == registered
    assert app.signed_application is not None


def test_a_double_submit_files_one_application(esign_settings, test_pki, bibigul, bibigul_user):
    """Idempotency: the same submission key twice (a double click) gives the first application."""
    f = filing(bibigul, "portal", idempotency_key="same-key")
    content = intake.signing.canonical_bytes(intake.portal_act(f, bibigul_user, None))
    cms = test_pki.sign(content, iin=bibigul_user.iin, kind="sign")
    first = intake.file_application(f, actor=bibigul_user, cms=cms)
    second = intake.file_application(
        filing(bibigul, "portal", idempotency_key="same-key"), actor=bibigul_user, cms=cms
    )
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_the_portal_refuses_someone_elses_file(esign_settings, bibigul, district):
    """R-SVC-1: on the portal one applies only for oneself or a represented person."""
    from tests.factories import UserFactory

    stranger = UserFactory()
    with pytest.raises(PermissionDeniedError):
        intake.file_application(filing(bibigul, "portal"), actor=stranger, cms=b"x")
    assert Application.objects.count() == 0


def test_missing_medical_card_is_refused_at_intake_with_form_4(askar_officer, bibigul):
    """R-SVC-4, R-SVC-10 ground 2: an incomplete set is refused at intake; the receipt lists
    what is missing."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, medical_card={})
    assert app.status == "refused_at_intake"
    assert app.refusal_ground == 2
    assert [p["problem"] for p in app.intake_problems] == ["missing"]
    assert app.result_due is None


def test_an_expired_document_is_refused_at_intake(askar_officer, bibigul):
    """R-SVC-4: an expired identity document is named on the receipt of refusal."""
    docs = [
        {
            "kind": "identity_document",
            "number": "1",
            "issued_on": "2015-01-01",
            "valid_until": "2025-01-01",
        }
    ]
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, attached_documents=docs)
    assert app.status == "refused_at_intake"
    assert app.intake_problems == [
        {"document": "identity document 1", "problem": "expired", "until": "2025-01-01"}
    ]


def test_a_medical_card_without_the_psychiatrist_is_incomplete(askar_officer, bibigul):
    """R-SVC-16: the mandatory examinations of form 5."""
    card = full_medical_card()
    del card["examinations"]["psychiatrist"]
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, medical_card=card)
    assert app.status == "refused_at_intake"
    assert app.intake_problems == [{"document": "psychiatrist", "problem": "missing"}]


def test_no_consent_to_personal_data_is_refusal_ground_4(askar_officer, bibigul):
    """R-SVC-10 ground 4, R-SVC-3: no consent to restricted personal data → refusal."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, consent_personal_data=False)
    assert app.status == "refused_at_intake"
    assert app.refusal_ground == 4


def test_a_representative_of_an_adult_without_incapacity_data_attaches_the_court_decision(
    askar_officer, bibigul
):
    """R-SVC-2: no incapacity data for a person over 18 filed by a representative → the copy of
    the court decision is required."""
    data = {**filing(bibigul).form_data, "filed_by_representative": True}
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, form_data=data)
    assert app.status == "refused_at_intake"
    assert app.intake_problems[0]["problem"] == "missing"
    assert "court" in app.intake_problems[0]["document"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"form_kind": "form_3"}, "form_kind"),
        ({"stay": "day"}, "stay"),
        ({"form_data": {"full_name": "", "birth_date": "2025-13-01"}}, "full_name"),
        ({"liability_acknowledged": False}, "liability_acknowledged"),
        ({"conditions_acknowledged": False}, "conditions_acknowledged"),
        ({"attached_documents": [{"kind": "passport"}]}, "attached_documents[0].kind"),
        (
            {
                "attached_documents": [
                    {"kind": "other", "issued_on": "2024-01-01", "valid_until": "2023-01-01"}
                ]
            },
            "attached_documents[0].valid_until",
        ),
        (
            {
                "medical_card": full_medical_card(
                    examinations={"psychiatrist": {"date": "31.02.2025", "result": "ok"}}
                )
            },
            "medical_card.examinations.psychiatrist.date",
        ),
        (
            {
                "medical_card": full_medical_card(
                    tests={"hiv": {"date": "2025-01-01", "result": ""}}
                )
            },
            "medical_card.tests.hiv.result",
        ),
        (
            {
                "medical_card": full_medical_card(
                    examinations={"astrologer": {"date": "2025-01-01", "result": "x"}}
                )
            },
            "medical_card.examinations.astrologer",
        ),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(
    askar_officer, bibigul, override, field
):
    """R-SVC-3, R-SVC-16: every field validated with a clear message; nothing saved."""
    with pytest.raises(intake.InvalidFiling) as caught:
        file_on(at(2025, 3, 19), askar_officer, bibigul, **override)
    assert field in [f for f, _c, _m in caught.value.problems]
    assert all(m for _f, _c, m in caught.value.problems)
    assert Application.objects.count() == 0
    assert Transition.objects.count() == 0


def test_form_2_is_for_a_day_stay(askar_officer, bibigul):
    """R-SVC-3: form 2 (semi-stationary) with a day stay and fewer fields."""
    data = {
        "full_name": bibigul.full_name,
        "birth_date": "1948-05-09",
        "residence_address": "Астана",
    }
    app = file_on(
        at(2025, 3, 19), askar_officer, bibigul, form_kind="form_2", stay="day", form_data=data
    )
    assert app.status == "registered"


def test_a_district_officer_of_another_district_cannot_enter_the_application(bibigul):
    """R-SVC-1: the local executive body of the place of residence."""
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person
    from tests.factories import DistrictFactory

    other = person(Role.DISTRICT_OFFICER, district=DistrictFactory())
    with pytest.raises(PermissionDeniedError):
        file_on(at(2025, 3, 19), other, bibigul)


def test_the_recipient_is_told_in_the_cabinet(askar_officer, bibigul, bibigul_user):
    """R-SVC-4, R-SVC-5: "accepted" with the due date, or the refusal, in the personal cabinet."""
    from qamqor.notifications.models import Notification

    file_on(at(2025, 3, 19), askar_officer, bibigul)
    file_on(at(2025, 3, 19), askar_officer, bibigul, medical_card={})
    kinds = list(Notification.objects.filter(recipient=bibigul_user).values_list("kind", flat=True))
    assert sorted(kinds) == ["applications.refused_at_intake", "applications.registered"]
