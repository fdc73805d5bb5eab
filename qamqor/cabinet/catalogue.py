"""The reference catalogue of rehabilitation means and services (R-POR-1, R-POR-6), seeded by
migration 0002. Codes are Qamqor's own stable codes (``M-`` means, ``S-`` services); the
guaranteed sums are illustrative starting values the registry administrator corrects in the
administration site to the tariffs of the year (the data migration never overwrites them)."""

from __future__ import annotations

from decimal import Decimal

# code, kind, name_kk, name_ru, name_en, unit_kk, unit_ru, guaranteed sum (tenge per unit)
ITEMS: list[tuple[str, str, str, str, str, str, str, Decimal]] = [
    ("M-0101", "means", "Механикалық кресло-арба (бөлмеде және серуенге)",
     "Кресло-коляска механическая (комнатная и прогулочная)",
     "Manual wheelchair (indoor and outdoor)", "дана", "шт.", Decimal("185000")),
    ("M-0102", "means", "Электр жетегі бар кресло-арба", "Кресло-коляска с электроприводом",
     "Powered wheelchair", "дана", "шт.", Decimal("950000")),
    ("M-0201", "means", "Құлақ артындағы цифрлық есту аппараты",
     "Слуховой аппарат цифровой заушный", "Digital behind-the-ear hearing aid",
     "дана", "шт.", Decimal("95000")),
    ("M-0301", "means", "Сирақ протезі", "Протез голени", "Below-knee prosthesis",
     "дана", "шт.", Decimal("620000")),
    ("M-0302", "means", "Сан протезі", "Протез бедра", "Above-knee prosthesis",
     "дана", "шт.", Decimal("980000")),
    ("M-0303", "means", "Білек протезі", "Протез предплечья", "Forearm prosthesis",
     "дана", "шт.", Decimal("450000")),
    ("M-0401", "means", "Ортопедиялық аяқ киім", "Ортопедическая обувь", "Orthopaedic shoes",
     "жұп", "пара", Decimal("38000")),
    ("M-0501", "means", "Балдақтар", "Костыли", "Crutches", "жұп", "пара", Decimal("16000")),
    ("M-0601", "means", "Тифлотехникалық ақ таяқ", "Трость тифлотехническая белая",
     "White cane", "дана", "шт.", Decimal("9000")),
    ("M-0602", "means", "Сөйлейтін сағат", "Часы говорящие", "Talking watch",
     "дана", "шт.", Decimal("14000")),
    ("M-0701", "means", "Сіңіргіш жаялықтар", "Подгузники впитывающие", "Absorbent diapers",
     "дана", "шт.", Decimal("160")),
    ("M-0801", "means", "Ойық жараға қарсы матрац", "Противопролежневый матрац",
     "Anti-decubitus mattress", "дана", "шт.", Decimal("48000")),
    ("S-0101", "service", "Ымдау тілі маманының (сурдоаудармашының) қызметі",
     "Услуги специалиста жестового языка (сурдопереводчика)",
     "Sign-language interpreter", "сағат", "час", Decimal("2600")),
    ("S-0201", "service", "Жеке көмекшінің қызметі (I топтағы, жүріп-тұруы қиын адамдарға)",
     "Услуги индивидуального помощника (для лиц I группы с затруднением в передвижении)",
     "Personal assistant (group I, mobility difficulties)", "сағат", "час", Decimal("1650")),
    ("S-0301", "service", "Санаторий-курорттық емдеу", "Санаторно-курортное лечение",
     "Sanatorium treatment", "күн", "день", Decimal("17500")),
]  # fmt: skip
