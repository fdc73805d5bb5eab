"""The transitions of a case, their due dates and guards (R-SVC-7…11)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.accounts import signing
from qamqor.applications.models import Application, Transition
from qamqor.applications.services import cases
from qamqor.core.errors import ConflictError, DomainError, PermissionDeniedError
from qamqor.core.models import DomainEvent
from qamqor.notifications.models import Notification
from tests.applications.conftest import at, file_on

pytestmark = pytest.mark.django_db


def sign_decision(pki, app, officer, decision, moment, **kw):
    with time_machine.travel(moment, tick=False):
        act = cases.decision_act(app, decision, **kw)
    return pki.sign(signing.canonical_bytes(act), iin=officer.iin, kind="sign", signing_time=moment)


def assigned(officer, worker, recipient, day=None):
    day = day or at(2025, 3, 19)
    app = file_on(day, officer, recipient)
    with time_machine.travel(day, tick=False):
        return cases.assign_assessment(app, worker, actor=officer)


def test_assessment_is_due_in_10_working_days_of_acceptance(askar_officer, saule_worker, bibigul):
    """R-SVC-7: accepted 19 March 2025 → conclusion due 7 April 2025 (Nauryz skipped); the
    social worker is notified."""
    app = assigned(askar_officer, saule_worker, bibigul)
    assert app.status == "assessment_assigned"
    assert app.current_due == dt.date(2025, 4, 7)
    assert app.deadline("assessment").rule_id == "R-SVC-7"
    assert Notification.objects.filter(recipient=saule_worker).count() == 1


def test_only_a_social_worker_of_the_district_is_assigned(askar_officer, bibigul):
    from tests.factories import UserFactory

    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    with pytest.raises(DomainError) as caught:
        cases.assign_assessment(app, UserFactory(), actor=askar_officer)
    assert caught.value.code == "applications.not_a_social_worker"
    app.refresh_from_db()
    assert app.status == "registered"


def test_decision_is_due_3_working_days_after_the_conclusion(askar_officer, saule_worker, bibigul):
    """R-SVC-8: conclusion received Thursday 3 April 2025 → decision due Tuesday 8 April."""
    app = assigned(askar_officer, saule_worker, bibigul)
    with time_machine.travel(at(2025, 4, 3), tick=False):
        app = cases.record_conclusion(
            app,
            actor=saule_worker,
            needs_services=True,
            findings="Өзіне өзі қызмет көрсете алмайды",
        )
    assert app.status == "concluded"
    assert app.current_due == dt.date(2025, 4, 8)
    assert app.deadline("decision").rule_id == "R-SVC-8"
    assert Notification.objects.filter(recipient=askar_officer).count() == 1


def test_only_the_assigned_worker_concludes(askar_officer, saule_worker, bibigul, district):
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person

    app = assigned(askar_officer, saule_worker, bibigul)
    other = person(Role.SOCIAL_WORKER, district=district)
    with pytest.raises(PermissionDeniedError):
        cases.record_conclusion(app, actor=other, needs_services=True, findings="x")


def test_an_illegal_transition_is_refused_and_changes_nothing(askar_officer, bibigul):
    """An illegal move (a refusal intended before any conclusion) is refused with a reason; no
    transition row, no event."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    events = DomainEvent.objects.count()
    with pytest.raises(ConflictError) as caught:
        cases.intend_refusal(app, actor=askar_officer, ground=3, reasons="…")
    assert caught.value.code == "applications.illegal_transition"
    app.refresh_from_db()
    assert app.status == "registered"
    assert Transition.objects.filter(application=app).count() == 1
    assert DomainEvent.objects.count() == events


def test_a_stale_copy_cannot_move_twice(askar_officer, saule_worker, bibigul):
    """Compare-and-set: a second assignment from a stale copy is refused."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    stale = Application.objects.get(pk=app.pk)
    cases.assign_assessment(app, saule_worker, actor=askar_officer)
    with pytest.raises(ConflictError):
        cases.assign_assessment(stale, saule_worker, actor=askar_officer)
    assert Transition.objects.filter(application=app).count() == 2


@pytest.mark.usefixtures("esign_settings")
def test_the_whole_path_to_the_chosen_organization(
    test_pki, askar_officer, saule_worker, bibigul, bibigul_user, meyirim
):
    """R-SVC-7, R-SVC-8, R-SVC-9: assigned → concluded → approved (signed result) → notified
    within 2 working days (Friday 4 → Tuesday 8 December 2026) → organization chosen,
    event applications.organization_chosen for the journal."""
    app = assigned(askar_officer, saule_worker, bibigul, day=at(2026, 11, 30))
    with time_machine.travel(at(2026, 12, 2), tick=False):
        app = cases.record_conclusion(
            app, actor=saule_worker, needs_services=True, findings="Күтім қажет"
        )
    moment = at(2026, 12, 4)
    cms = sign_decision(test_pki, app, askar_officer, "approved", moment)
    with time_machine.travel(moment, tick=False):
        app = cases.approve(app, actor=askar_officer, cms=cms)
    assert app.status == "approved"
    assert app.result_document.signer_iin == askar_officer.iin
    assert app.current_due == dt.date(2026, 12, 8)
    assert app.deadline("notify_choice").rule_id == "R-SVC-9"
    assert (
        Notification.objects.filter(recipient=bibigul_user, kind="applications.approved").count()
        == 1
    )

    app = cases.notify_to_choose(app, actor=askar_officer)
    assert app.status == "choice_notified"
    app = cases.choose_organization(app, meyirim, actor=bibigul_user)
    assert app.status == "organization_chosen"
    assert app.chosen_organization == meyirim
    event = DomainEvent.objects.get(verb="applications.organization_chosen")
    assert event.data["organization"] == meyirim.pk
    assert list(app.transitions.values_list("to_status", flat=True)) == [
        "registered",
        "assessment_assigned",
        "concluded",
        "approved",
        "choice_notified",
        "organization_chosen",
    ]


def test_an_unsuitable_organization_is_refused(askar_officer, bibigul, bibigul_user):
    """R-SVC-9: form 1 needs an organization with stationary services."""
    from tests.factories import OrganizationFactory, OrganizationServiceFactory

    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    Application.objects.filter(pk=app.pk)._raw_update(status="choice_notified")
    app.refresh_from_db()
    day_centre = OrganizationFactory()
    OrganizationServiceFactory(organization=day_centre, condition="semi_stationary")
    with pytest.raises(DomainError) as caught:
        cases.choose_organization(app, day_centre, actor=bibigul_user)
    assert caught.value.code == "applications.organization_unsuitable"


def _concluded(officer, worker, recipient, day=None, on=None):
    day, on = day or at(2025, 3, 19), on or at(2025, 4, 3)
    app = assigned(officer, worker, recipient, day=day)
    with time_machine.travel(on, tick=False):
        return cases.record_conclusion(
            app, actor=worker, needs_services=False, findings="Өзіне қарай алады"
        )


def test_the_hearing_notice_is_due_3_working_days_before_the_term_ends(
    askar_officer, saule_worker, bibigul
):
    """R-SVC-11: term ends 16 April 2025 → the notice goes out by 11 April 2025 at the latest."""
    app = _concluded(askar_officer, saule_worker, bibigul)
    with time_machine.travel(at(2025, 4, 4), tick=False):
        app = cases.intend_refusal(
            app, actor=askar_officer, ground=3, reasons="Талаптарға сай емес"
        )
    assert app.status == "refusal_intended"
    notice = app.deadline("hearing_notice")
    assert notice.due == dt.date(2025, 4, 11)
    assert notice.rule_id == "R-SVC-11"


def test_a_late_hearing_notice_is_refused(askar_officer, saule_worker, bibigul):
    """R-SVC-11: after 11 April 2025 the notice is too late; nothing changes."""
    app = _concluded(askar_officer, saule_worker, bibigul)
    with time_machine.travel(at(2025, 4, 4), tick=False):
        app = cases.intend_refusal(
            app, actor=askar_officer, ground=3, reasons="Талаптарға сай емес"
        )
    with time_machine.travel(at(2025, 4, 14), tick=False), pytest.raises(DomainError) as caught:
        cases.send_hearing_notice(
            app, actor=askar_officer, hearing_at=at(2025, 4, 15, 10), place="ауд. 5"
        )
    assert caught.value.code == "applications.notice_too_late"
    app.refresh_from_db()
    assert app.status == "refusal_intended"


def test_the_hearing_is_within_2_working_days_of_the_notice(
    askar_officer, saule_worker, bibigul, bibigul_user
):
    """R-SVC-11: notice Thursday 10 April 2025 → hearing by Monday 14 April; a later date is
    refused; the recipient is notified of time and place."""
    app = _concluded(askar_officer, saule_worker, bibigul)
    with time_machine.travel(at(2025, 4, 4), tick=False):
        app = cases.intend_refusal(
            app, actor=askar_officer, ground=3, reasons="Талаптарға сай емес"
        )
    with time_machine.travel(at(2025, 4, 10), tick=False):
        with pytest.raises(DomainError) as caught:
            cases.send_hearing_notice(
                app, actor=askar_officer, hearing_at=at(2025, 4, 15, 10), place="ауд. 5"
            )
        assert caught.value.code == "applications.hearing_date"
        app = cases.send_hearing_notice(
            app, actor=askar_officer, hearing_at=at(2025, 4, 14, 10), place="ауд. 5"
        )
    assert app.status == "hearing_notified"
    assert app.deadline("hearing").due == dt.date(2025, 4, 14)
    assert (
        Notification.objects.filter(
            recipient=bibigul_user, kind="applications.hearing_notified"
        ).count()
        == 1
    )


@pytest.mark.usefixtures("esign_settings")
@pytest.mark.parametrize("ground", [1, 2, 3, 4])
def test_a_refusal_after_the_hearing_names_its_ground(
    test_pki, askar_officer, saule_worker, bibigul, ground
):
    """R-SVC-10, R-SVC-11: each ground of refusal, after the hearing, in a signed decision."""
    app = _concluded(askar_officer, saule_worker, bibigul, day=at(2026, 12, 1), on=at(2026, 12, 3))
    with time_machine.travel(at(2026, 12, 4), tick=False):
        app = cases.intend_refusal(app, actor=askar_officer, ground=ground, reasons="Негіздеме")
        app = cases.send_hearing_notice(
            app, actor=askar_officer, hearing_at=at(2026, 12, 8, 10), place="ауд. 5"
        )
    moment = at(2026, 12, 8, 15)
    cms = sign_decision(
        test_pki, app, askar_officer, "refused", moment, ground=ground, reasons="Негіздеме"
    )
    with time_machine.travel(moment, tick=False):
        app = cases.refuse(app, actor=askar_officer, cms=cms, ground=ground, reasons="Негіздеме")
    assert app.status == "refused"
    assert app.refusal_ground == ground
    assert app.transitions.last().reason_codes == [f"R-SVC-10.{ground}"]


def test_a_refusal_needs_a_known_ground_and_reasons(askar_officer, saule_worker, bibigul):
    app = _concluded(askar_officer, saule_worker, bibigul)
    for ground, reasons, code in ((5, "x", "applications.refusal_ground"), (1, " ", "required")):
        with pytest.raises(DomainError) as caught:
            cases.intend_refusal(app, actor=askar_officer, ground=ground, reasons=reasons)
        assert caught.value.code == code
    app.refresh_from_db()
    assert app.status == "concluded"


@pytest.mark.usefixtures("esign_settings")
def test_a_decision_signed_by_someone_else_is_refused(
    test_pki, askar_officer, saule_worker, bibigul
):
    """R-X-2: the officer's own signing key."""
    app = _concluded(askar_officer, saule_worker, bibigul, day=at(2026, 12, 1), on=at(2026, 12, 3))
    moment = at(2026, 12, 4)
    cms = sign_decision(test_pki, app, saule_worker, "approved", moment)
    with time_machine.travel(moment, tick=False), pytest.raises(DomainError):
        cases.approve(app, actor=askar_officer, cms=cms)
    app.refresh_from_db()
    assert app.status == "concluded"
