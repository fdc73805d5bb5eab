"""Uncollected results (R-SVC-13) and complaints (R-SVC-14)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.applications.models import Application, Complaint
from qamqor.applications.services import complaints, results
from qamqor.core.errors import ConflictError, DomainError
from tests.applications.conftest import at, file_on

pytestmark = pytest.mark.django_db


def test_an_uncollected_result_goes_back_after_a_month_and_returns_in_1_working_day(
    dana_operator, askar_officer, bibigul
):
    """R-SVC-13: kept one month at the State Corporation (from 4 April 2025 to 5 May 2025, the
    4th is a Sunday), then returned; requested again on 7 May → sent back by 8 May (Victory
    Day 9 May is not involved)."""
    app = file_on(at(2025, 3, 19), dana_operator, bibigul, "state_corporation")
    results.store_at_state_corporation(app, dt.date(2025, 4, 4))
    app.refresh_from_db()
    assert app.result_storage_due == dt.date(2025, 5, 5)
    assert results.return_uncollected(today=dt.date(2025, 5, 5)) == 0
    assert results.return_uncollected(today=dt.date(2025, 5, 6)) == 1
    assert results.return_uncollected(today=dt.date(2025, 5, 6)) == 0
    app.refresh_from_db()
    with time_machine.travel(at(2025, 5, 7), tick=False):
        app = results.request_result_again(app, actor=dana_operator)
        assert app.deadline("return").due == dt.date(2025, 5, 8)
        app = results.record_result_resent(app, actor=askar_officer)
    assert app.result_resent_on == dt.date(2025, 5, 7)
    with pytest.raises(ConflictError):
        results.record_collected(app, actor=dana_operator)


def test_a_complaint_is_registered_with_its_terms(askar_officer, bibigul):
    """R-SVC-14: registered Monday 17 March 2025: review due in 5 working days (26 March,
    Nauryz skipped), forwarding in 3 (20 March)."""
    app = file_on(at(2025, 3, 17), askar_officer, bibigul)
    with time_machine.travel(at(2025, 3, 17), tick=False):
        complaint = complaints.register_complaint(
            app, actor=askar_officer, subject="inaction", filed_to="district_head", text="Жауап жоқ"
        )
    assert complaint.number.startswith("C-")
    assert complaint.registered_on == dt.date(2025, 3, 17)
    assert complaint.review_due == dt.date(2025, 3, 27)
    assert complaint.forward_due == dt.date(2025, 3, 20)


def test_a_complaint_to_the_quality_authority_is_reviewed_in_15_working_days(
    askar_officer, bibigul
):
    """R-SVC-14: 15 working days from 17 March 2025 → 10 April 2025."""
    app = file_on(at(2025, 3, 17), askar_officer, bibigul)
    with time_machine.travel(at(2025, 3, 17), tick=False):
        complaint = complaints.register_complaint(
            app,
            actor=askar_officer,
            subject="decision",
            filed_to="quality_authority",
            text="Келіспеймін",
        )
    assert complaint.review_due == dt.date(2025, 4, 10)
    assert complaint.forward_due is None


def test_complaint_outcomes_up_to_the_court(askar_officer, bibigul):
    """R-SVC-14: rejected → went to court; a satisfied complaint cannot be forwarded."""
    app = file_on(at(2025, 3, 17), askar_officer, bibigul)
    complaint = complaints.register_complaint(
        app, actor=askar_officer, subject="decision", filed_to="district_head", text="x"
    )
    complaint = complaints.record_complaint_outcome(
        complaint, actor=askar_officer, state="rejected", comment="Негізсіз"
    )
    complaint = complaints.record_complaint_outcome(
        complaint, actor=askar_officer, state="court", comment="Сотқа берді"
    )
    assert complaint.state == Complaint.State.COURT
    other = complaints.register_complaint(
        app, actor=askar_officer, subject="action", filed_to="district_head", text="y"
    )
    other = complaints.record_complaint_outcome(
        other, actor=askar_officer, state="satisfied", comment="Қанағаттандырылды"
    )
    with pytest.raises(ConflictError):
        complaints.record_complaint_outcome(
            other, actor=askar_officer, state="forwarded", comment="z"
        )
    with pytest.raises(DomainError):
        complaints.register_complaint(
            app, actor=askar_officer, subject="x", filed_to="district_head", text="y"
        )
    assert Application.objects.get(pk=app.pk).complaints.count() == 2
