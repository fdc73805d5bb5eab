"""Administrative-territorial reference data (regions and districts with KATO codes).

``load(apps)`` is called by the data migration ``core.0002_reference_data``; it is idempotent
(update_or_create by KATO code / slug) so later migrations can call it again after an edition
of the classifier changes.

The data lives in ``territories.json`` next to this module (sources and edition at its top; see
docs/territories.md). The whole file is validated before anything is written: a bad edition is
refused with every problem listed, never half-applied (STYLE: imports validate the whole batch).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_FILE = Path(__file__).with_name("territories.json")

REGION_KINDS = frozenset({"region", "city"})
# A city of republican significance is divided into city districts; a region into districts and
# cities of regional significance.
DISTRICT_KINDS_BY_REGION_KIND = {
    "region": frozenset({"district", "city"}),
    "city": frozenset({"city_district"}),
}
REGION_KEYS = frozenset({"kato", "kind", "name_kk", "name_ru", "name_en"})
DISTRICT_KEYS = frozenset(
    {
        "region",
        "slug",
        "kind",
        "kato",
        "name_kk",
        "name_ru",
        "name_en",
        "valid_from",
        "valid_to",
        "kato_source",
        "note",
    }
)
REQUIRED_DISTRICT_KEYS = frozenset({"region", "slug", "kind", "kato", "name_kk", "name_ru"})
REGION_CODE = re.compile(r"^\d{2}$")
KATO_CODE = re.compile(r"^\d{9}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 80  # District.slug max_length
NAME_MAX_LENGTH = 255


class TerritoryDataError(ValueError):
    """The territories file is not a valid edition; ``problems`` lists every reason."""

    code = "territories.invalid_data"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        count = len(problems)
        super().__init__(f"{self.code}: {count} problem(s) in the territories data:\n{lines}")


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TerritoryDataError([f"{path.name}: cannot be read as JSON ({exc})"]) from exc
    if not isinstance(data, dict):
        raise TerritoryDataError([f"{path.name}: the top level must be an object"])
    return data


def _check_names(row: dict[str, Any], where: str, problems: list[str]) -> None:
    for key in ("name_kk", "name_ru", "name_en"):
        value = row.get(key, "")
        if not isinstance(value, str) or len(value) > NAME_MAX_LENGTH:
            problems.append(f"{where}: {key} must be a text of at most {NAME_MAX_LENGTH} chars")
        elif key != "name_en" and not value.strip():
            problems.append(f"{where}: {key} is empty")


def _parse_date(value: Any, where: str, key: str, problems: list[str]) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: {key} {value!r} is not a date YYYY-MM-DD")
        return None


def _as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _validate_regions(rows: Any, problems: list[str]) -> dict[str, str]:
    """Check the first-level units; return {code: kind} of the well-formed ones."""
    kinds: dict[str, str] = {}
    if not isinstance(rows, list) or not rows:
        problems.append("regions: must be a non-empty list")
        return kinds
    for index, row in enumerate(rows):
        where = f"regions[{index}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: must be an object")
            continue
        code = row.get("kato")
        where = f"{where} (kato {code!r})"
        if extra := set(row) - REGION_KEYS:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        if not isinstance(code, str) or not REGION_CODE.match(code):
            problems.append(f'{where}: kato must be the two-digit KATO prefix, e.g. "71"')
            continue
        if code in kinds:
            problems.append(f"{where}: duplicate region code")
            continue
        kind = row.get("kind")
        if kind not in REGION_KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {sorted(REGION_KINDS)}")
            continue
        _check_names(row, where, problems)
        kinds[code] = kind
    return kinds


def _validate_districts(
    rows: Any, region_kinds: dict[str, str], kato_sources: Any, problems: list[str]
) -> None:
    if not isinstance(rows, list):
        problems.append("districts: must be a list")
        return
    sources = set(kato_sources) if isinstance(kato_sources, dict) else set()
    slugs: set[str] = set()
    codes: dict[str, str] = {}
    regions_with_units: set[str] = set()
    for index, row in enumerate(rows):
        where = f"districts[{index}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: must be an object")
            continue
        slug = row.get("slug")
        where = f"{where} ({slug!r})"
        if missing := REQUIRED_DISTRICT_KEYS - set(row):
            problems.append(f"{where}: missing keys {sorted(missing)}")
            continue
        if extra := set(row) - DISTRICT_KEYS:
            problems.append(f"{where}: unknown keys {sorted(extra)}")

        region = row["region"]
        if region not in region_kinds:
            problems.append(f"{where}: region {region!r} is not in the regions list")
            continue
        regions_with_units.add(region)

        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > SLUG_MAX_LENGTH:
            problems.append(f"{where}: slug must be lowercase latin words joined by '-'")
        elif not slug.startswith(f"{region}-"):
            problems.append(f"{where}: slug must start with its region code '{region}-'")
        elif slug in slugs:
            problems.append(f"{where}: duplicate slug")
        else:
            slugs.add(slug)

        kind = row["kind"]
        allowed = DISTRICT_KINDS_BY_REGION_KIND[region_kinds[region]]
        if kind not in allowed:
            problems.append(
                f"{where}: kind {kind!r} is not allowed in a {region_kinds[region]} "
                f"(expected one of {sorted(allowed)})"
            )

        code = row["kato"]
        if code is not None:
            if not isinstance(code, str) or not KATO_CODE.match(code):
                problems.append(f"{where}: kato {code!r} must be 9 digits or null")
            elif not code.startswith(region):
                problems.append(f"{where}: kato {code} does not start with region code {region}")
            elif code in codes:
                problems.append(f"{where}: kato {code} is also used by {codes[code]!r}")
            else:
                codes[code] = str(slug)
            if row.get("kato_source") not in sources:
                problems.append(f"{where}: kato_source must name one of _kato_sources")
        elif "kato_source" in row:
            problems.append(f"{where}: kato_source given without a kato code")

        _check_names(row, where, problems)
        valid_from = _parse_date(row.get("valid_from"), where, "valid_from", problems)
        valid_to = _parse_date(row.get("valid_to"), where, "valid_to", problems)
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(f"{where}: valid_to is before valid_from")

    for region in sorted(set(region_kinds) - regions_with_units):
        problems.append(f"region {region}: has no districts")


def validate(data: dict[str, Any]) -> None:
    """Raise ``TerritoryDataError`` listing every problem of the edition, or return quietly."""
    problems: list[str] = []
    for key in ("_source", "_edition"):
        if not data.get(key):
            problems.append(f"{key}: the file must say where the data comes from and its edition")
    if data.get("_edition") is not None:
        _parse_date(data.get("_edition"), "_edition", "date", problems)
    region_kinds = _validate_regions(data.get("regions"), problems)
    _validate_districts(data.get("districts"), region_kinds, data.get("_kato_sources"), problems)
    if problems:
        raise TerritoryDataError(problems)


def load(apps: Any, path: Path = DATA_FILE) -> None:
    """Write the regions and districts of ``path`` (default: territories.json).

    Idempotent: regions are matched by their KATO prefix, districts by slug; a second call with
    the same file changes nothing. Units missing from the file are left alone: a unit removed by
    a reform gets a ``valid_to`` in the file, it is never deleted (people and organizations keep
    pointing at it). Refuses the whole file, writing nothing, if any row is invalid.
    """
    data = read_data(path)
    validate(data)
    region_model = apps.get_model("core", "Region")
    district_model = apps.get_model("core", "District")
    with transaction.atomic():
        regions = {}
        for row in data["regions"]:
            regions[row["kato"]], _ = region_model.objects.update_or_create(
                kato=row["kato"],
                defaults={
                    "kind": row["kind"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row.get("name_en", ""),
                },
            )
        for row in data["districts"]:
            district_model.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "region": regions[row["region"]],
                    "kato": row["kato"],
                    "kind": row["kind"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row.get("name_en", ""),
                    "valid_from": _as_date(row.get("valid_from")),
                    "valid_to": _as_date(row.get("valid_to")),
                },
            )
