"""Issue 9: the public registry of specialists is cached per language and question
(qamqor.core.pagecache) and changes as soon as a specialist, a profession or a region does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qamqor.specialists.models import Profession, Specialist
from tests.specialists.factories import applicant, registered

pytestmark = pytest.mark.django_db

REGISTRY = "/specialists/"


def page(client, language: str, path: str = REGISTRY) -> str:
    client.cookies["qamqor_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_search_is_served_from_the_cache(client, sent) -> None:
    registered(user=applicant(surname="Сейтқали"))
    with CaptureQueriesContext(connection) as first:
        page(client, "kk")
    with CaptureQueriesContext(connection) as second:
        page(client, "kk")
    assert any("specialists_specialist" in q["sql"] for q in first.captured_queries)
    assert not any("specialists_specialist" in q["sql"] for q in second.captured_queries)


def test_a_new_and_a_refused_specialist_show_at_once_in_both_languages(client, sent) -> None:
    registered(user=applicant(surname="Сейтқали"))
    for language in ("kk", "ru"):
        assert "Сейтқали" in page(client, language)
        assert "Жаңабаев" not in page(client, language)
    new = registered(user=applicant(surname="Жаңабаев"))
    for language in ("kk", "ru"):
        assert "Жаңабаев" in page(client, language)
    entry = Specialist.objects.get(application=new)
    entry.publication_consent = False
    entry.save()
    for language in ("kk", "ru"):
        assert "Жаңабаев" not in page(client, language)
        assert "Сейтқали" in page(client, language)


def test_a_renamed_profession_shows_at_once(client, sent) -> None:
    entry = Specialist.objects.get(application=registered())
    profession = Profession.objects.get(pk=entry.profession_id)
    before = page(client, "ru")
    assert profession.name_ru in before
    profession.name_ru = "Социальный работник (новое название)"
    profession.save()
    assert "Социальный работник (новое название)" in page(client, "ru")


def test_each_language_has_its_own_entry(client, sent) -> None:
    registered()
    kk, ru = page(client, "kk"), page(client, "ru")
    assert 'lang="kk"' in kk and 'lang="ru"' in ru
    assert "Тізілім" in kk or "тізілім" in kk
    assert "Реестр" in ru or "реестр" in ru
