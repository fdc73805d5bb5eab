"""The legal terms of the seeds as rows of ``LegalTerm`` (R-X-6).

``load(apps)`` is called by the data migration ``core.0002_reference_data``; it is idempotent:
a row is identified by (rule id, key, effective date) and created only when missing, so an
administrator's later correction of a text is never overwritten. A new edition of an order is a
new row with a later ``effective_from`` (through the admin or a new data migration), never an
edit of these.

Effective dates. Each row takes the date of the act or edition the seed gives for its paragraph.
The seeds do not date the entry into force of these orders (they enter into force after, or ten
calendar days after, their first official publication), so the order's own date is used and the
description says so.

Sources: seed 004 – the state-service rules "Processing documents for special social services
in medical-social institutions (organizations)", new edition by Order No. 357 of 29.09.2021,
paragraphs later amended by Orders No. 465 of 10.12.2021 and No. 290 of 03.08.2022; seed 002 –
Order No. 21 of 23.01.2025; seed 001 – Order No. 472 of 14.12.2021 amending the rules of activity
of organizations (Order No. 379 of 29.08.2018); seed 003 – Order No. 379 of 22.09.2022 amending
the portal rules (Order No. 73 of 24.02.2022).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

WD = "working_days"
CD = "calendar_days"
MONTHS = "months"

# --- The acts, as their Kazakh originals name them -----------------------------------------------

_SVC = (
    "«Медициналық-әлеуметтік мекемелерде (ұйымдарда) арнаулы әлеуметтік қызмет көрсетуге "
    "құжаттар ресімдеу» мемлекеттік қызмет көрсету қағидалары"
)
SVC_357 = f"{_SVC} (ҚР ЕХӘҚМ 29.09.2021 № 357 бұйрығының редакциясы)"
SVC_290 = f"{_SVC} (ҚР ЕХӘҚМ 03.08.2022 № 290 бұйрығының редакциясы)"
SVC_465 = f"{_SVC} (ҚР ЕХӘҚМ 10.12.2021 № 465 бұйрығының редакциясы)"
SPC_21 = (
    "Арнаулы әлеуметтік қызметтер көрсететін мамандардың тізілімін әлеуметтік көрсетілетін "
    "қызметтер порталында электрондық түрде қалыптастыру қағидалары (ҚР ЕХӘҚМ 23.01.2025 № 21 "
    "бұйрығы)"
)
ORG_472 = (
    "Арнаулы әлеуметтік қызметтер көрсететін ұйымдар қызметінің қағидалары (ҚР ЕХӘҚМ 29.08.2018 "
    "№ 379 бұйрығы, 14.12.2021 № 472 бұйрығының редакциясы)"
)
POR_379 = (
    "Әлеуметтік көрсетілетін қызметтер порталын пайдалану қағидалары (ҚР ЕХӘҚМ м.а. 24.02.2022 "
    "№ 73 бұйрығы, 22.09.2022 № 379 бұйрығының редакциясы)"
)

# Short citations in each language, used at the start of the descriptions.
_SVC_KK = (
    "«Медициналық-әлеуметтік мекемелерде арнаулы әлеуметтік қызмет көрсетуге құжаттар ресімдеу» "
    "мемлекеттік қызмет қағидалары"
)
_SVC_RU = (
    "Правила оказания госуслуги «Оформление документов на оказание специальных социальных услуг "
    "в медико-социальных учреждениях (организациях)»"
)
_SVC_EN = (
    "State-service rules “Processing documents for special social services in medical-social "
    "institutions”"
)

_DATE_NOTE_KK = "Бұйрықтың күні алынды: күшіне ену күні бастапқы мәтінде көрсетілмеген."
_DATE_NOTE_RU = "Взята дата приказа: дата вступления в силу в исходном тексте не указана."
_DATE_NOTE_EN = "Dated by the order: the seed does not give its entry into force."


def _svc(paragraph: int, number: int, date: str) -> tuple[str, str, str]:
    """Citations of a paragraph of the state-service rules (seed 004) in kk, ru, en."""
    return (
        f"{_SVC_KK}, {paragraph}-тармақ ({date} № {number} бұйрығының редакциясы)",
        f"{_SVC_RU}, п. {paragraph} (ред. приказа от {date} № {number})",
        f"{_SVC_EN}, p. {paragraph} (edition of Order No. {number} of {date})",
    )


def _text(cite: tuple[str, str, str], kk: str, ru: str, en: str) -> dict[str, str]:
    return {
        "description_kk": f"{cite[0]}: {kk} {_DATE_NOTE_KK}",
        "description_ru": f"{cite[1]}: {ru} {_DATE_NOTE_RU}",
        "description_en": f"{cite[2]}: {en} {_DATE_NOTE_EN}",
    }


TERMS: list[dict[str, Any]] = [
    # R-SVC-6: seed 004 p.5 and appendix 3 item 3.
    {
        "rule_id": "R-SVC-6",
        "key": "main",
        "count": 17,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "5-тармақ; 3-қосымшаның 3-тармағы",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(5, 357, "29.09.2021"),
            "қызметтің жалпы мерзімі құжаттар тіркелген күннен бастап 17 жұмыс күні.",
            "общий срок оказания услуги – 17 рабочих дней со дня регистрации документов.",
            "the whole service takes 17 working days from the registration of the documents.",
        ),
    },
    # R-SVC-6: seed 004 p.11 ("бір күн бұрын"; SPEC: one working day).
    {
        "rule_id": "R-SVC-6",
        "key": "state_corporation_handover",
        "count": 1,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "11-тармақ",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(11, 357, "29.09.2021"),
            "нәтиже Мемлекеттік корпорацияға мерзім аяқталғанға дейін бір жұмыс күні бұрын "
            "беріледі.",
            "результат передаётся в Госкорпорацию за один рабочий день до окончания срока.",
            "the result is handed to the State Corporation one working day before the term ends.",
        ),
    },
    # R-SVC-7: seed 004 p.12 (new edition by Order No. 290).
    {
        "rule_id": "R-SVC-7",
        "key": "main",
        "count": 10,
        "unit": WD,
        "legal_act": SVC_290,
        "paragraph": "12-тармақ",
        "effective_from": dt.date(2022, 8, 3),
        **_text(
            _svc(12, 290, "03.08.2022"),
            "әлеуметтік қызметкер қажеттілікті 10 жұмыс күні ішінде бағалайды.",
            "социальный работник оценивает потребность в течение 10 рабочих дней.",
            "the social worker assesses the need within 10 working days.",
        ),
    },
    # R-SVC-8: seed 004 p.13.
    {
        "rule_id": "R-SVC-8",
        "key": "main",
        "count": 3,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "13-тармақ",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(13, 357, "29.09.2021"),
            "қорытынды алынған күннен бастап 3 жұмыс күні ішінде шешім қабылданады.",
            "решение принимается в течение 3 рабочих дней со дня получения заключения.",
            "the decision is taken within 3 working days of receiving the conclusion.",
        ),
    },
    # R-SVC-9: seed 004 p.14 (new edition by Order No. 465).
    {
        "rule_id": "R-SVC-9",
        "key": "main",
        "count": 2,
        "unit": WD,
        "legal_act": SVC_465,
        "paragraph": "14-тармақ",
        "effective_from": dt.date(2021, 12, 10),
        **_text(
            _svc(14, 465, "10.12.2021"),
            "шешімнен кейін 2 жұмыс күні ішінде порталға хабарлама жіберіледі.",
            "уведомление на портал направляется в течение 2 рабочих дней после решения.",
            "the notification goes to the portal within 2 working days of the decision.",
        ),
    },
    # R-SVC-11: seed 004 p.17, second part.
    {
        "rule_id": "R-SVC-11",
        "key": "notice",
        "count": 3,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "17-тармақтың 2-бөлігі",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(17, 357, "29.09.2021"),
            "тыңдау туралы хабарлама мерзім аяқталғанға дейін кемінде 3 жұмыс күні бұрын "
            "жіберіледі.",
            "уведомление о заслушивании направляется не менее чем за 3 рабочих дня до "
            "окончания срока.",
            "the notice of the hearing goes out at least 3 working days before the term ends.",
        ),
    },
    {
        "rule_id": "R-SVC-11",
        "key": "hearing",
        "count": 2,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "17-тармақтың 2-бөлігі",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(17, 357, "29.09.2021"),
            "тыңдау хабарланған күннен бастап 2 жұмыс күнінен кешіктірілмей өткізіледі.",
            "заслушивание проводится не позднее 2 рабочих дней со дня уведомления.",
            "the hearing is held no later than 2 working days after the notice.",
        ),
    },
    # R-SVC-13: seed 004 p.7, second part.
    {
        "rule_id": "R-SVC-13",
        "key": "storage",
        "count": 1,
        "unit": MONTHS,
        "legal_act": SVC_357,
        "paragraph": "7-тармақтың 2-бөлігі",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(7, 357, "29.09.2021"),
            "берілмеген құжаттар Мемлекеттік корпорацияда бір ай сақталады.",
            "невостребованные документы хранятся в Госкорпорации один месяц.",
            "uncollected results are kept at the State Corporation for one month.",
        ),
    },
    {
        "rule_id": "R-SVC-13",
        "key": "return",
        "count": 1,
        "unit": WD,
        "legal_act": SVC_357,
        "paragraph": "7-тармақтың 2-бөлігі",
        "effective_from": dt.date(2021, 9, 29),
        **_text(
            _svc(7, 357, "29.09.2021"),
            "сұрау бойынша дайын құжаттар бір жұмыс күні ішінде жіберіледі.",
            "по запросу готовые документы направляются в течение одного рабочего дня.",
            "on request the results are sent back within one working day.",
        ),
    },
    # R-SVC-14: seed 004 p.18 (amended by Order No. 290).
    {
        "rule_id": "R-SVC-14",
        "key": "main",
        "count": 5,
        "unit": WD,
        "legal_act": SVC_290,
        "paragraph": "18-тармақ",
        "effective_from": dt.date(2022, 8, 3),
        **_text(
            _svc(18, 290, "03.08.2022"),
            "шағым тіркелген күннен бастап 5 жұмыс күні ішінде қаралады.",
            "жалоба рассматривается в течение 5 рабочих дней со дня регистрации.",
            "a complaint is reviewed within 5 working days of its registration.",
        ),
    },
    {
        "rule_id": "R-SVC-14",
        "key": "forward",
        "count": 3,
        "unit": WD,
        "legal_act": SVC_290,
        "paragraph": "18-тармақ",
        "effective_from": dt.date(2022, 8, 3),
        **_text(
            _svc(18, 290, "03.08.2022"),
            "шағым келіп түскен күннен бастап 3 жұмыс күнінен кешіктірілмей шағымды қарайтын "
            "органға жіберіледі.",
            "жалоба направляется в рассматривающий орган не позднее 3 рабочих дней со дня "
            "поступления.",
            "a complaint is forwarded to the reviewing body within 3 working days of its arrival.",
        ),
    },
    {
        "rule_id": "R-SVC-14",
        "key": "quality_authority",
        "count": 15,
        "unit": WD,
        "legal_act": SVC_290,
        "paragraph": "18-тармақ",
        "effective_from": dt.date(2022, 8, 3),
        **_text(
            _svc(18, 290, "03.08.2022"),
            "сапаны бағалау жөніндегі уәкілетті органға түскен шағым 15 жұмыс күні ішінде "
            "қаралады.",
            "жалоба в уполномоченный орган по оценке качества рассматривается в течение 15 "
            "рабочих дней.",
            "a complaint to the quality authority is reviewed within 15 working days.",
        ),
    },
    # R-SPC-3: seed 002 p.9.
    {
        "rule_id": "R-SPC-3",
        "key": "main",
        "count": 5,
        "unit": WD,
        "legal_act": SPC_21,
        "paragraph": "9-тармақ",
        "effective_from": dt.date(2025, 1, 23),
        **_text(
            (
                "Мамандар тізілімін қалыптастыру қағидалары (№ 21 бұйрық, 23.01.2025), 9-тармақ",
                "Правила формирования реестра специалистов (приказ № 21 от 23.01.2025), п. 9",
                "Rules of the registry of specialists (Order No. 21 of 23.01.2025), p. 9",
            ),
            "әкімші өтініш түскен күннен кейін 5 жұмыс күні ішінде шешім қабылдайды.",
            "администратор принимает решение в течение 5 рабочих дней после дня поступления "
            "заявления.",
            "the administrator decides within 5 working days after the day the application "
            "arrives.",
        ),
    },
    # R-QUE-5: seed 001 – rules of activity, p.11 1) and p.21 1) as amended by Order No. 472.
    {
        "rule_id": "R-QUE-5",
        "key": "stationary",
        "count": 30,
        "unit": CD,
        "legal_act": ORG_472,
        "paragraph": "11-тармақтың 1) тармақшасы",
        "effective_from": dt.date(2021, 12, 14),
        **_text(
            (
                "Арнаулы әлеуметтік қызметтер көрсететін ұйымдар қызметінің қағидалары "
                "(№ 472 бұйрықтың редакциясы, 14.12.2021), 11-тармақтың 1) тармақшасы",
                "Правила деятельности организаций, оказывающих специальные социальные услуги "
                "(ред. приказа № 472 от 14.12.2021), подп. 1) п. 11",
                "Rules of activity of special social service organizations (edition of Order "
                "No. 472 of 14.12.2021), p. 11 1)",
            ),
            "стационарлық ұйымға келу мерзімін бір рет 30 күнтізбелік күнге дейін ауыстыруға "
            "болады.",
            "срок прибытия в стационарную организацию можно один раз перенести до 30 "
            "календарных дней.",
            "the arrival at a stationary organization may be postponed once by up to 30 "
            "calendar days.",
        ),
    },
    {
        "rule_id": "R-QUE-5",
        "key": "semi_stationary",
        "count": 10,
        "unit": CD,
        "legal_act": ORG_472,
        "paragraph": "21-тармақтың 1) тармақшасы",
        "effective_from": dt.date(2021, 12, 14),
        **_text(
            (
                "Арнаулы әлеуметтік қызметтер көрсететін ұйымдар қызметінің қағидалары "
                "(№ 472 бұйрықтың редакциясы, 14.12.2021), 21-тармақтың 1) тармақшасы",
                "Правила деятельности организаций, оказывающих специальные социальные услуги "
                "(ред. приказа № 472 от 14.12.2021), подп. 1) п. 21",
                "Rules of activity of special social service organizations (edition of Order "
                "No. 472 of 14.12.2021), p. 21 1)",
            ),
            "жартылай стационарлық ұйымға келу мерзімін бір рет 10 күнтізбелік күнге дейін "
            "ауыстыруға болады.",
            "срок прибытия в полустационарную организацию можно один раз перенести до 10 "
            "календарных дней.",
            "the arrival at a semi-stationary organization may be postponed once by up to 10 "
            "calendar days.",
        ),
    },
    # R-POR-4: seed 003 – portal rules p.10 first paragraph as amended by Order No. 379 (2022).
    {
        "rule_id": "R-POR-4",
        "key": "main",
        "count": 2,
        "unit": MONTHS,
        "legal_act": POR_379,
        "paragraph": "10-тармақтың 1-абзацы",
        "effective_from": dt.date(2022, 9, 22),
        **_text(
            (
                "Әлеуметтік көрсетілетін қызметтер порталын пайдалану қағидалары (№ 379 "
                "бұйрықтың редакциясы, 22.09.2022), 10-тармақ",
                "Правила использования портала социальных услуг (ред. приказа № 379 от "
                "22.09.2022), п. 10",
                "Rules of using the social services portal (edition of Order No. 379 of "
                "22.09.2022), p. 10",
            ),
            "жеткізушіні ОЖБ іс-шаралары туралы хабарланған күннен бастап екі ай ішінде таңдайды.",
            "поставщик выбирается в течение двух месяцев со дня уведомления о мероприятиях ИПР.",
            "the supplier is chosen within two months of the notification of the IPR measures.",
        ),
    },
]


def load(apps: Any) -> None:
    """Create every legal term of R-X-6 that is missing (idempotent; never overwrites)."""
    LegalTerm = apps.get_model("core", "LegalTerm")
    for term in TERMS:
        identity = {k: term[k] for k in ("rule_id", "key", "effective_from")}
        defaults = {k: v for k, v in term.items() if k not in identity}
        LegalTerm.objects.get_or_create(**identity, defaults=defaults)
