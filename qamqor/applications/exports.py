"""Printable documents of the state service, in Kazakh or Russian (R-X-4): the receipt of
refusal at intake (form 4, R-SVC-4), the receipt (State Corporation) or talon (local executive
body) of registration (R-SVC-5), and the result (R-SVC-9/R-SVC-10). fpdf2 with the DejaVu font
of the registry exports (every Kazakh letter)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qamqor.applications.models import Application, Channel, RefusalGround
from qamqor.applications.workflow import Status
from qamqor.organizations.exports import FONTS, export_language

pdf_language = export_language


def _pdf(
    title: str, language: str, lines: list[tuple[str, str]], items: list[str] | None = None
) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in lines:
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, value or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if items:
        pdf.set_font("DejaVu", "", 10)
        for number, item in enumerate(items, 1):
            pdf.multi_cell(0, 6, f"{number}. {item}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _date(day: object) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def _problem_line(problem: dict[str, str]) -> str:
    if problem.get("problem") == "expired":
        return _("%(document)s: expired (valid until %(until)s)") % {
            "document": problem["document"],
            "until": problem.get("until", ""),
        }
    return _("%(document)s: missing") % {"document": problem["document"]}


def receipt_pdf(app: Application, language: str) -> bytes:
    with translation.override(language):
        common = [
            (_("Application"), app.number),
            (_("Recipient"), f"{app.recipient.full_name}, {_('IIN')} {app.recipient.iin}"),
            (_("Channel"), str(Channel(app.channel).label)),
            (_("Date of the application"), _date(timezone.localtime(app.filed_at).date())),
        ]
        if app.status == Status.REFUSED_AT_INTAKE:
            # R-SVC-4: form 4, the receipt of refusal, names what is missing or expired.
            ground = RefusalGround(app.refusal_ground) if app.refusal_ground else None
            lines = [
                *common,
                (
                    _("Ground for refusal (R-SVC-10)"),
                    f"{ground.value}) {ground.label}" if ground else "",
                ),
                (_("Reasons"), app.refusal_reasons),
                (_("Missing, expired or unreliable documents"), ""),
            ]
            return _pdf(
                _("Receipt of refusal to accept documents (form 4)"),
                language,
                lines,
                [_problem_line(p) for p in app.intake_problems],
            )
        title = (
            _("Receipt of acceptance of documents")
            if app.channel == Channel.STATE_CORPORATION
            else _("Talon of acceptance of documents")
        )
        result = app.deadline("result")
        lines = [
            *common,
            (_("Registered on"), _date(app.registered_on)),
            (_("Date the result will be ready"), _date(app.result_due)),
            (_("How the date is counted"), result.explain() if result else ""),
            (_("Accepted by"), app.filed_by.get_full_name()),
        ]
        return _pdf(title, language, lines)


def result_pdf(app: Application, language: str) -> bytes:
    """R-SVC-9: the signed result (a printable copy of the signed decision)."""
    document = app.result_document
    with translation.override(language):
        approved = app.status not in (Status.REFUSED,)
        lines = [
            (_("Application"), app.number),
            (_("Recipient"), f"{app.recipient.full_name}, {_('IIN')} {app.recipient.iin}"),
            (
                _("Decision"),
                _("Special social services in a medical-social institution are approved.")
                if approved
                else _("Refused."),
            ),
            (_("Decided on"), _date(app.decided_on)),
        ]
        if not approved and app.refusal_ground:
            ground = RefusalGround(app.refusal_ground)
            lines.append((_("Ground for refusal (R-SVC-10)"), f"{ground.value}) {ground.label}"))
            lines.append((_("Reasons"), app.refusal_reasons))
        if approved:
            lines.append(
                (
                    _("Next step"),
                    _(
                        "Log in to the portal and choose a stationary or semi-stationary "
                        "organization."
                    ),
                )
            )
        if document is not None:
            lines.append(
                (
                    _("Signed with an e-signature"),
                    f"{document.signer_name}, "
                    f"{_date(timezone.localtime(document.signed_at).date())}, "
                    f"SHA-256 {document.content_sha256}",
                )
            )
        return _pdf(_("Result of the state service"), language, lines)
