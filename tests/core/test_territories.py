"""Administrative-territorial reference data: 17 regions, 3 cities and their second-level units.

The data migration ``core.0002_reference_data`` has already run ``territories.load(apps)`` on the
test database; these tests read what it wrote, then check that loading again changes nothing and
that a bad edition is refused as a whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from qamqor.core.models import District, Region
from qamqor.core.seeddata import territories

pytestmark = pytest.mark.django_db

REGION_CODES = {
    "10", "11", "15", "19", "23", "27", "31", "33", "35", "39",
    "43", "47", "55", "59", "61", "62", "63",
}  # fmt: skip
CITY_CODES = {"71", "75", "79"}

# Second-level units per first-level unit in this edition (docs/territories.md has the table).
UNITS_PER_REGION = {
    "10": 12, "11": 20, "15": 13, "19": 11, "23": 8, "27": 13, "31": 11, "33": 10, "35": 13,
    "39": 20, "43": 9, "47": 7, "55": 13, "59": 14, "61": 17, "62": 5, "63": 13,
    "71": 6, "75": 8, "79": 5,
}  # fmt: skip

ASTANA_DISTRICTS = {
    "Алматы ауданы", "Байқоңыр ауданы", "Есіл ауданы", "Сарыарқа ауданы", "Нұра ауданы",
}  # fmt: skip
ALMATY_DISTRICTS = {
    "Алатау ауданы", "Алмалы ауданы", "Әуезов ауданы", "Бостандық ауданы",
    "Жетісу ауданы", "Медеу ауданы", "Наурызбай ауданы", "Түрксіб ауданы",
}  # fmt: skip
SHYMKENT_DISTRICTS = {
    "Абай ауданы", "Әл-Фараби ауданы", "Еңбекші ауданы", "Қаратау ауданы", "Тұран ауданы",
}  # fmt: skip


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    regions = list(Region.objects.order_by("pk").values_list())
    districts = list(District.objects.order_by("pk").values_list())
    return regions, districts


def test_there_are_17_regions_and_3_cities_of_republican_significance() -> None:
    kinds = dict(Region.objects.values_list("kato", "kind"))
    assert len(kinds) == 20
    assert {code for code, kind in kinds.items() if kind == "region"} == REGION_CODES
    assert {code for code, kind in kinds.items() if kind == "city"} == CITY_CODES


@pytest.mark.parametrize(
    ("kato", "name_kk", "name_ru"),
    [
        ("71", "Астана", "Астана"),
        ("75", "Алматы", "Алматы"),
        ("79", "Шымкент", "Шымкент"),
        ("62", "Ұлытау облысы", "область Ұлытау"),
        ("10", "Абай облысы", "область Абай"),
        ("33", "Жетісу облысы", "область Жетісу"),
        ("19", "Алматы облысы", "Алматинская область"),
        ("59", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область"),
    ],
)
def test_region_names_in_kazakh_and_russian(kato: str, name_kk: str, name_ru: str) -> None:
    region = Region.objects.get(kato=kato)
    assert (region.name_kk, region.name_ru) == (name_kk, name_ru)
    assert region.name_en


def test_every_first_level_unit_has_its_second_level_units() -> None:
    counts = {region.kato: region.districts.count() for region in Region.objects.order_by("kato")}
    assert counts == UNITS_PER_REGION


@pytest.mark.parametrize(
    ("city", "names_kk"),
    [("71", ASTANA_DISTRICTS), ("75", ALMATY_DISTRICTS), ("79", SHYMKENT_DISTRICTS)],
)
def test_cities_of_republican_significance_have_their_city_districts(
    city: str, names_kk: set[str]
) -> None:
    units = District.objects.filter(region__kato=city)
    assert names_kk <= set(units.values_list("name_kk", flat=True))
    assert set(units.values_list("kind", flat=True)) == {"city_district"}


def test_regions_hold_districts_and_cities_never_city_districts() -> None:
    kinds = set(District.objects.filter(region__kind="region").values_list("kind", flat=True))
    assert kinds == {"district", "city"}


def test_recent_renames_and_new_units_are_in_place() -> None:
    names = dict(District.objects.values_list("slug", "name_ru"))
    assert names["19-qonaev-city"] == "Конаев"  # formerly Kapshagay
    assert names["19-talgar"] == "Талгарский район"
    assert names["71-yesil"] == "район Есиль"
    assert names["55-terenkol"] == "район Тереңкөл"  # formerly Kachiry district
    assert names["10-zhanasemey"] == "район Жаңасемей"
    assert not District.objects.filter(name_ru__icontains="Капчага").exists()


def test_slugs_and_kato_codes_are_unique() -> None:
    slugs = list(District.objects.values_list("slug", flat=True))
    codes = list(District.objects.exclude(kato=None).values_list("kato", flat=True))
    assert len(slugs) == len(set(slugs)) == 228
    assert len(codes) == len(set(codes)) == 66


def test_every_district_kato_code_begins_with_its_region_code() -> None:
    rows = District.objects.exclude(kato=None).values_list("slug", "kato", "region__kato")
    wrong = [slug for slug, kato, region in rows if not kato.startswith(region)]
    assert wrong == []
    assert all(len(kato) == 9 and kato.isdigit() for _, kato, _ in rows)
    assert all(slug.startswith(f"{region}-") for slug, _, region in rows)


def test_loading_twice_changes_nothing() -> None:
    before = snapshot()
    territories.load(apps)
    territories.load(apps)
    assert snapshot() == before


def write_edition(tmp_path: Path, change: Any) -> Path:
    data = territories.read_data()
    change(data)
    path = tmp_path / "territories.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_bad_edition_is_refused_whole_and_writes_nothing(tmp_path: Path) -> None:
    def break_it(data: dict[str, Any]) -> None:
        data["regions"][0]["name_kk"] = "Changed, must not be written"
        data["districts"][0]["kato"] = "751110000"  # another region's code, already used
        data["districts"][0]["kato_source"] = "kato-2025"
        data["districts"][1]["region"] = "99"

    before = snapshot()
    with pytest.raises(territories.TerritoryDataError) as refused:
        territories.load(apps, write_edition(tmp_path, break_it))
    problems = refused.value.problems
    assert any("does not start with region code 10" in p for p in problems)
    assert any("region '99' is not in the regions list" in p for p in problems)
    assert snapshot() == before


def test_a_new_edition_updates_names_by_slug_without_new_rows(tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        row = next(d for d in data["districts"] if d["slug"] == "19-talgar")
        row["name_en"] = "Talgar District (renamed)"
        row["valid_to"] = "2030-01-01"

    count = District.objects.count()
    territories.load(apps, write_edition(tmp_path, rename))
    talgar = District.objects.get(slug="19-talgar")
    assert talgar.name_en == "Talgar District (renamed)"
    assert talgar.valid_to.isoformat() == "2030-01-01"
    assert District.objects.count() == count


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["regions"].append(dict(d["regions"][0])), "duplicate region code"),
        (lambda d: d["regions"][0].update(kato="1"), "two-digit KATO prefix"),
        (lambda d: d["districts"][0].update(slug="Semey"), "slug must be lowercase"),
        (lambda d: d["districts"][0].update(slug="11-semey"), "must start with its region code"),
        (lambda d: d["districts"][0].update(kind="city_district"), "not allowed in a region"),
        (lambda d: d["districts"][0].update(kato="1010"), "must be 9 digits or null"),
        (lambda d: d["districts"][0].update(kato="101000000"), "kato_source must name one"),
        (lambda d: d["districts"][0].update(name_kk=""), "name_kk is empty"),
        (lambda d: d["districts"][0].update(valid_to="31.12.2030"), "is not a date"),
        (lambda d: d["districts"][0].update(name_kz="typo"), "unknown keys"),
        (lambda d: d.pop("_edition"), "_edition"),
    ],
)
def test_validation_names_the_problem(change: Any, problem: str) -> None:
    data = territories.read_data()
    change(data)
    with pytest.raises(territories.TerritoryDataError) as refused:
        territories.validate(data)
    assert any(problem in p for p in refused.value.problems), refused.value.problems


def test_api_lists_the_regions(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/core/regions")
    assert response.status_code == 200
    body = response.json()
    assert [r["kato"] for r in body] == sorted(REGION_CODES | CITY_CODES)
    assert {"kato": "71", "kind": "city", "name_kk": "Астана", "name_ru": "Астана"}.items() <= (
        body[-3].items()
    )


def test_api_lists_the_districts_of_astana(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/core/districts", {"region": "71"})
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 6
    assert {d["region"] for d in body} == {"71"}
    yesil = next(d for d in body if d["slug"] == "71-yesil")
    assert yesil == {
        "slug": "71-yesil",
        "kato": "711210000",
        "kind": "city_district",
        "region": "71",
        "name_kk": "Есіл ауданы",
        "name_ru": "район Есиль",
        "name_en": "Yesil District",
    }
