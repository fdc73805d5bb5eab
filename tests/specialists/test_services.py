"""Applications, decisions and versions of the registry of specialists (R-SPC-1…4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qamqor.core.errors import ConflictError, DomainError, PermissionDeniedError
from qamqor.core.models import DomainEvent
from qamqor.specialists import services
from qamqor.specialists.models import (
    Application,
    ApplicationVersion,
    Decision,
    RefusalReason,
    ReturnReason,
    Specialist,
    Status,
)
from tests.specialists.factories import (
    applicant,
    complete_draft,
    complete_values,
    registered,
    registry_admin,
    submitted,
)

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def at(y: int, m: int, d: int, h: int = 11) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=ALMATY)


# --- Drafts and submission -------------------------------------------------------------------


def test_start_application_prefills_the_account_and_refuses_a_second_one() -> None:
    """R-SPC-1: one open application per applicant."""
    user = applicant(surname="Нұрланова", given_name="Айгерім")
    application = services.start_application(user)
    assert (application.status, application.surname, application.given_name) == (
        Status.DRAFT,
        "Нұрланова",
        "Айгерім",
    )
    with pytest.raises(ConflictError) as exc:
        services.start_application(user)
    assert exc.value.code == "specialists.already_applied"
    assert Application.objects.filter(applicant=user).count() == 1


def test_a_person_without_the_applicant_role_cannot_apply() -> None:
    from tests.factories import UserFactory

    with pytest.raises(PermissionDeniedError):
        services.start_application(UserFactory())


def test_save_draft_keeps_what_was_typed_even_when_incomplete() -> None:
    """Issue 5 item 1: a draft is saved at every step."""
    user = applicant()
    application = services.start_application(user)
    services.save_draft(user, application, {"locality": "Қосшы", "experience_years": 2})
    application.refresh_from_db()
    assert (application.locality, application.experience_years) == ("Қосшы", 2)


def test_submit_refuses_an_incomplete_application_and_names_the_field() -> None:
    """R-SPC-2: every part of the form is required before submission."""
    user = applicant()
    application = services.start_application(user)
    with pytest.raises(DomainError) as exc:
        services.submit(user, application)
    assert exc.value.code == "specialists.incomplete"
    assert exc.value.field == "birth_date"
    assert "documents" in exc.value.params["missing"]
    assert not ApplicationVersion.objects.exists()


def test_qualification_date_and_commission_required_with_a_category() -> None:
    """R-SPC-2.9: a category comes with its date and attestation commission."""
    application = complete_draft(qualification_date=None)
    with pytest.raises(DomainError) as exc:
        services.submit(application.applicant, application)
    assert exc.value.field == "qualification_date"


def test_submit_creates_version_one_with_the_deadline_and_its_explanation(sent) -> None:
    """R-SPC-3: 5 working days after the day of arrival, stored with its explanation (R-X-1)."""
    application = complete_draft()
    version = services.submit(application.applicant, application, at=at(2025, 6, 16))  # Monday
    application.refresh_from_db()
    assert version.number == 1
    assert version.arrived_on == dt.date(2025, 6, 16)
    assert version.due_on == dt.date(2025, 6, 23)
    assert version.deadline["rule_id"] == "R-SPC-3"
    assert version.deadline["count"] == 5
    assert (application.status, application.due_on) == (Status.SUBMITTED, dt.date(2025, 6, 23))
    assert version.data["surname"] == application.surname
    assert len(version.attachments) == 1
    assert sent.kinds() == ["specialists.submitted"]


@pytest.mark.parametrize(
    ("submitted_at", "due"),
    [
        # Wed 19 Mar 2025: Nauryz 21–25 March is skipped (Fri 21, Mon 24, Tue 25 off).
        (at(2025, 3, 19), dt.date(2025, 3, 31)),
        # Arrived on Saturday 3 May 2025: the term starts on Monday; 7 and 9 May are holidays.
        (at(2025, 5, 3), dt.date(2025, 5, 13)),
        # Thu 5 March 2026: 8 March falls on a Sunday, the day off moves to Monday 9 March.
        (at(2026, 3, 5), dt.date(2026, 3, 13)),
        # Mon 2 June 2025: Friday 6 June is Kurban Ait (a day off that never moves).
        (at(2025, 6, 2), dt.date(2025, 6, 10)),
        # Fri 12 Dec 2025: Independence Day Tue 16 December.
        (at(2025, 12, 12), dt.date(2025, 12, 22)),
    ],
)
def test_deadline_across_holidays(sent, submitted_at: dt.datetime, due: dt.date) -> None:
    """R-SPC-3, R-X-1: the 5 working days skip holidays and count transferred working days."""
    application = complete_draft()
    version = services.submit(application.applicant, application, at=submitted_at)
    assert version.due_on == due


def test_late_evening_submission_arrives_that_day(sent) -> None:
    """R-SPC-3: the term counts from the day the application arrives (Astana time)."""
    application = complete_draft()
    version = services.submit(application.applicant, application, at=at(2025, 6, 2, 23))
    assert version.arrived_on == dt.date(2025, 6, 2)


# --- Decisions (R-SPC-3) ---------------------------------------------------------------------


def test_register_creates_the_registry_entry(sent) -> None:
    """R-SPC-3.1, R-SPC-2.10: the entry carries the submitted data and the inclusion date."""
    application = submitted(at=at(2025, 6, 2))
    admin = registry_admin()
    decision = services.register(admin, application, at=at(2025, 6, 5))
    application.refresh_from_db()
    entry = Specialist.objects.get(application=application)
    assert application.status == Status.REGISTERED
    assert (decision.kind, decision.reasons, decision.in_time) == ("register", [], True)
    assert entry.included_on == dt.date(2025, 6, 5)
    assert entry.region.kato == "71"
    assert entry.employment[0]["position"] == "әлеуметтік жұмыскер"
    assert entry.is_public
    assert sent.kinds() == ["specialists.submitted", "specialists.registered"]
    assert DomainEvent.objects.filter(verb="specialists.register", actor=admin).count() == 1


@pytest.mark.parametrize("reason", ReturnReason.values)
def test_return_with_each_reason(sent, reason: str) -> None:
    """R-SPC-3.2: each of the four reasons, with a comment, is recorded and sent."""
    application = submitted()
    services.return_for_revision(
        registry_admin(), application, [reason], "Дипломның көшірмесі анық емес"
    )
    application.refresh_from_db()
    decision = Decision.objects.get(application=application)
    assert application.status == Status.RETURNED
    assert (decision.kind, decision.reasons) == ("return", [reason])
    assert sent.kinds()[-1] == "specialists.returned"
    user, _kind, _subject, body = sent.items[-1]
    assert user == application.applicant
    assert "Дипломның көшірмесі анық емес" in body
    assert not Specialist.objects.exists()


def test_return_with_several_reasons_keeps_the_order_of_the_law(sent) -> None:
    application = submitted()
    services.return_for_revision(
        registry_admin(),
        application,
        [ReturnReason.EMPLOYMENT_MISMATCH, ReturnReason.PROFESSION_MISMATCH],
        "Тексеріңіз",
    )
    assert Decision.objects.get().reasons == ["profession_mismatch", "employment_mismatch"]


@pytest.mark.parametrize(
    ("reasons", "comment", "code"),
    [
        ([], "comment", "specialists.reason_required"),
        (["no_such_reason"], "comment", "specialists.unknown_reason"),
        ([RefusalReason.EMIGRATION], "comment", "specialists.unknown_reason"),
        ([ReturnReason.PROFESSION_MISMATCH], "   ", "specialists.comment_required"),
    ],
)
def test_return_refused_without_valid_reasons_or_comment(sent, reasons, comment, code) -> None:
    """R-SPC-3.2: one or more of the four reasons plus a comment; nothing else happens."""
    application = submitted()
    with pytest.raises(DomainError) as exc:
        services.return_for_revision(registry_admin(), application, reasons, comment)
    assert exc.value.code == code
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not Decision.objects.exists()
    assert sent.kinds() == ["specialists.submitted"]


@pytest.mark.parametrize("reason", RefusalReason.values)
def test_refuse_with_each_reason(sent, reason: str) -> None:
    """R-SPC-3.3: each of the four reasons, with a comment."""
    application = submitted()
    services.refuse(registry_admin(), application, reason, "Сот шешімі бар")
    application.refresh_from_db()
    decision = Decision.objects.get(application=application)
    assert application.status == Status.REFUSED
    assert (decision.kind, decision.reasons) == ("refuse", [reason])
    assert sent.kinds()[-1] == "specialists.refused"


@pytest.mark.parametrize("reason", ["", ReturnReason.PROFESSION_MISMATCH, "x"])
def test_refuse_needs_one_refusal_reason(sent, reason: str) -> None:
    application = submitted()
    with pytest.raises(DomainError):
        services.refuse(registry_admin(), application, reason, "comment")
    assert not Decision.objects.exists()


def test_refuse_needs_a_comment(sent) -> None:
    application = submitted()
    with pytest.raises(DomainError) as exc:
        services.refuse(registry_admin(), application, RefusalReason.INCAPACITY, "")
    assert exc.value.code == "specialists.comment_required"


def test_only_the_registry_administrator_decides(sent) -> None:
    """R-SPC-3: the applicant (or any other role) cannot decide."""
    application = submitted()
    with pytest.raises(PermissionDeniedError):
        services.register(application.applicant, application)
    assert not Decision.objects.exists()


def test_a_decided_version_cannot_be_decided_again(sent) -> None:
    application = submitted()
    admin = registry_admin()
    services.register(admin, application)
    with pytest.raises(ConflictError):
        services.refuse(admin, application, RefusalReason.EMIGRATION, "late")
    assert Decision.objects.count() == 1


def test_decision_after_the_due_date_is_marked_late(sent) -> None:
    application = submitted(at=at(2025, 6, 2))
    decision = services.register(registry_admin(), application, at=at(2025, 6, 11))
    assert decision.in_time is False


# --- Revision and versions (R-SPC-4) ---------------------------------------------------------


def test_resubmission_restarts_the_term_and_keeps_every_version(sent) -> None:
    """R-SPC-4: after a return the applicant fixes and submits; a new version, a new 5-day term;
    the first version and its decision stay as they were."""
    application = submitted(at=at(2025, 6, 2))
    admin = registry_admin()
    services.return_for_revision(
        admin,
        application,
        [ReturnReason.INCOMPLETE_DOCUMENTS],
        "Еңбек кітапшасын тіркеңіз",
        at=at(2025, 6, 4),
    )
    user = application.applicant
    services.save_draft(user, application, {"locality": "Қосшы"})
    version2 = services.submit(user, application, at=at(2025, 6, 16))
    application.refresh_from_db()
    assert version2.number == 2
    assert (version2.arrived_on, version2.due_on) == (dt.date(2025, 6, 16), dt.date(2025, 6, 23))
    assert application.due_on == dt.date(2025, 6, 23)
    v1 = ApplicationVersion.objects.get(application=application, number=1)
    assert (v1.due_on, v1.data["locality"]) == (dt.date(2025, 6, 10), "Астана")
    assert version2.data["locality"] == "Қосшы"
    assert v1.decision.reasons == ["incomplete_documents"]
    services.register(admin, application, at=at(2025, 6, 17))
    assert Specialist.objects.get().locality == "Қосшы"


def test_a_submitted_application_cannot_be_edited(sent) -> None:
    application = submitted()
    with pytest.raises(ConflictError):
        services.save_draft(application.applicant, application, {"locality": "X"})


def test_a_refused_applicant_applies_again_only_with_a_new_application(sent) -> None:
    """R-SPC-4: a refusal is final for that application."""
    application = submitted()
    services.refuse(registry_admin(), application, RefusalReason.EMIGRATION, "Шетелге кетті")
    user = application.applicant
    with pytest.raises(ConflictError):
        services.save_draft(user, application, {"locality": "X"})
    with pytest.raises(ConflictError):
        services.start_update(user, application)
    new = services.start_application(user)
    assert new.pk != application.pk
    assert new.status == Status.DRAFT


def test_registered_specialist_updates_through_a_reviewed_version(sent) -> None:
    """R-SPC-4: employment or qualification changes are a new version reviewed the same way;
    the entry stays public unchanged until the new version is registered."""
    application = registered()
    user = application.applicant
    services.start_update(user, application)
    services.save_draft(user, application, {"qualification_category": "highest"})
    services.submit(user, application)
    entry = Specialist.objects.get()
    assert entry.qualification_category == "first"
    assert entry.is_public
    services.register(registry_admin(), application)
    entry.refresh_from_db()
    assert entry.qualification_category == "highest"
    assert application.versions.count() == 2


def test_refusing_an_update_excludes_the_entry(sent) -> None:
    application = registered()
    user = application.applicant
    services.start_update(user, application)
    services.submit(user, application)
    services.refuse(registry_admin(), application, RefusalReason.DEPRIVED_OF_RIGHT, "Үкім")
    entry = Specialist.objects.get()
    assert entry.excluded_on is not None
    assert not entry.is_public


def test_withdrawing_consent_hides_the_entry_at_once(sent) -> None:
    """R-SPC-5: public only with the specialist's consent."""
    application = registered()
    services.set_publication_consent(application.applicant, application, False)
    assert not Specialist.objects.get().is_public


def test_registered_without_consent_is_not_public(sent) -> None:
    registered(publication_consent=False)
    assert not Specialist.objects.get().is_public


# --- Deadline sweep (issue 5 item 5) ---------------------------------------------------------


def test_sweep_flags_due_today_and_overdue_and_is_idempotent(sent) -> None:
    due_10 = submitted(at=at(2025, 6, 2))  # due Tue 10 June (6 June is Kurban Ait)
    due_11 = submitted(at=at(2025, 6, 3))  # due Wed 11 June
    decided = submitted(at=at(2025, 6, 2))
    services.register(registry_admin(), decided)
    assert services.flag_due_applications(dt.date(2025, 6, 11)) == {
        "overdue": 1,
        "due_today": 1,
        "cleared": 0,
    }
    assert services.flag_due_applications(dt.date(2025, 6, 11)) == {
        "overdue": 0,
        "due_today": 0,
        "cleared": 0,
    }
    flags = dict(Application.objects.values_list("pk", "due_flag"))
    assert (flags[due_10.pk], flags[due_11.pk], flags[decided.pk]) == ("overdue", "due_today", "")


def test_complete_values_are_complete() -> None:
    assert set(complete_values()) <= services.DRAFT_FIELDS


def test_digest_goes_to_administrators_once_a_day(sent) -> None:
    """Issue 5 item 5: a daily digest of overdue and overdue-from-tomorrow applications."""
    submitted(at=at(2025, 6, 2))  # due 10 June
    submitted(at=at(2025, 6, 3))  # due 11 June
    admin = registry_admin()
    assert services.send_deadline_digest(dt.date(2025, 6, 11)) == 1
    assert services.send_deadline_digest(dt.date(2025, 6, 11)) == 0
    user, kind, _subject, body = sent.items[-1]
    assert (user, kind) == (admin, "specialists.digest")
    assert "мерзімі өткен өтініштер: 1" in body  # the administrator's language: Kazakh
    assert "ертең мерзімі өтетін өтініштер: 1" in body


def test_notification_in_the_applicant_language_with_sms_and_email(sent) -> None:
    """Issue 5 item 2: in-portal, SMS and e-mail, in the applicant's language."""
    from qamqor.notifications.models import Notification

    user = applicant(language="ru", phone="+77012345679", email="ru@example.kz")
    submitted(user)
    notification = Notification.objects.get(recipient=user)
    assert notification.language == "ru"
    assert (notification.sms_state, notification.email_state) == ("pending", "pending")


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("kk", "өтініші қайта қарауға қайтарылды"),
        ("ru", "возвращено на доработку"),
    ],
)
def test_return_notice_is_written_in_the_applicant_language(sent, language, subject) -> None:
    """Issue 5 item 2, R-X-4: the applicant is told in their language, with the reason's label
    in that language too."""
    user = applicant(language=language)
    application = submitted(user)
    services.return_for_revision(
        registry_admin(), application, [ReturnReason.PROFESSION_MISMATCH], "—"
    )
    _user, _kind, text, body = sent.items[-1]
    assert subject in text
    reason = {"kk": "кәсіп атауының сәйкес келмеуі", "ru": "несоответствие наименования профессии"}
    assert reason[language] in body


def test_consent_withdrawn_during_review_is_respected_at_registration(sent) -> None:
    """R-SPC-5: consent is the specialist's latest word, not the one in the submitted version."""
    application = submitted()
    services.set_publication_consent(application.applicant, application, False)
    services.register(registry_admin(), application)
    assert not Specialist.objects.get().is_public


def test_a_refused_application_keeps_its_consent_unchanged(sent) -> None:
    application = submitted()
    services.refuse(registry_admin(), application, RefusalReason.EMIGRATION, "—")
    with pytest.raises(ConflictError):
        services.set_publication_consent(application.applicant, application, False)
