"""R-SPC-2.5: the reference list of professions of special social services (kk/ru/en).

Professions of the staff of special social services (social work, care, rehabilitation,
psychology, pedagogy); administrators add or retire rows in the admin site (``is_active``).
"""

from django.db import migrations

PROFESSIONS = [
    ("social_worker_care", "Арнаулы әлеуметтік қызметтер көрсету жөніндегі әлеуметтік жұмыскер",
     "Социальный работник по оказанию специальных социальных услуг",
     "Social worker providing special social services"),
    ("social_worker_assessment", "Қажеттілікті бағалау және айқындау жөніндегі әлеуметтік жұмыскер",
     "Социальный работник по оценке и определению потребности",
     "Social worker for needs assessment"),
    ("social_work_specialist", "Әлеуметтік жұмыс жөніндегі маман",
     "Специалист по социальной работе", "Social work specialist"),
    ("care_worker", "Күтім жөніндегі әлеуметтік жұмыскер",
     "Социальный работник по уходу", "Care worker"),
    ("psychologist", "Психолог", "Психолог", "Psychologist"),
    ("special_educator", "Арнайы педагог (дефектолог)", "Специальный педагог (дефектолог)",
     "Special educator"),
    ("speech_therapist", "Логопед", "Логопед", "Speech therapist"),
    ("rehabilitation_instructor", "Емдік дене шынықтыру нұсқаушысы",
     "Инструктор лечебной физической культуры", "Therapeutic exercise instructor"),
    ("occupational_therapist", "Эрготерапевт", "Эрготерапевт", "Occupational therapist"),
    ("nurse", "Мейірбике", "Медицинская сестра", "Nurse"),
    ("personal_assistant", "Жеке көмекші", "Персональный ассистент", "Personal assistant"),
    ("sign_interpreter", "Ымдау тілі маманы", "Специалист жестового языка", "Sign language interpreter"),
]


def seed(apps, schema_editor):
    Profession = apps.get_model("specialists", "Profession")
    for code, kk, ru, en in PROFESSIONS:
        Profession.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("specialists", "0001_applications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
