"""The public working-day calendar page and deadline calculator (R-X-1, R-X-4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

pytestmark = pytest.mark.django_db

ALMATY = dt.timezone(dt.timedelta(hours=5))


def _get(client: Client, query: str = "", lang: str = "en") -> str:
    client.cookies["qamqor_language"] = lang
    response = client.get("/calendar/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_links_the_calendar(client: Client) -> None:
    """R-X-1: the calendar is a public part of the portal."""
    client.cookies["qamqor_language"] = "en"
    html = client.get("/").content.decode()
    assert '<a href="/calendar/">Working-day calendar</a>' in html


def test_the_page_shows_the_current_year_by_default(client: Client) -> None:
    """R-X-1: the days off of the current year (Astana time), with names and kinds."""
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=ALMATY), tick=False):
        html = _get(client)
    assert '<h2 id="year-title">Days off in 2025</h2>' in html
    assert "2025 has 246 working days." in html
    assert '<option value="2025" selected>2025</option>' in html
    assert "<td>24.03.2025</td>" in html
    assert "<td>Nauryz</td>" in html
    assert "05.01.2025 (Sunday) — Working day (its day off moved to 03.01.2025)" in html


def test_the_page_speaks_kazakh_by_default(client: Client) -> None:
    """R-X-4: holiday names in Kazakh."""
    client.cookies.clear()
    response = client.get("/calendar/?year=2026")
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert "<td>Наурыз мейрамы</td>" in html


def test_an_estimated_kurban_ait_is_marked(client: Client) -> None:
    """R-X-1: Kurban Ait 2026 is the library's estimate until an administrator confirms it."""
    html = _get(client, "?year=2026")
    assert "2026 has 247 working days." in html
    assert "<td>27.05.2026</td>" in html
    assert 'Kurban Ait <span class="help">(estimated date, to be confirmed)</span>' in html


def test_the_calculator_gives_the_due_date_and_its_explanation(client: Client) -> None:
    """R-X-1: 19.03.2025 + 17 working days → 16.04.2025, with the skipped days."""
    html = _get(client, "?start=19.03.2025&days=17")
    assert "The term ends on 16.04.2025" in html
    assert (
        "17 working days from 19.03.2025, counted from the next day, end on 16.04.2025 "
        "(R-X-1). Days off skipped: 21–25.03.2025 Nauryz."
    ) in html
    assert 'value="19.03.2025"' in html and 'value="17"' in html


def test_the_calculator_accepts_an_iso_date(client: Client) -> None:
    html = _get(client, "?start=2025-01-02&days=3")
    assert "The term ends on 08.01.2025" in html


def test_invalid_input_is_explained_and_kept(client: Client) -> None:
    """STYLE (errors and input): a clear message linked to its field; what was typed stays."""
    html = _get(client, "?start=31.02.2025&days=abc")
    assert "Enter a real date as day.month.year, for example 19.03.2025." in html
    assert "Enter the number of working days as a whole number." in html
    assert 'value="31.02.2025"' in html and 'value="abc"' in html
    assert 'aria-describedby="start-help start-error"' in html
    assert 'aria-describedby="days-help days-error"' in html
    assert html.count('aria-invalid="true"') == 2
    assert '<p class="field-error" id="start-error">' in html
    assert '<a href="#id_start">' in html
    assert "The term ends on" not in html


def test_a_count_out_of_range_is_refused(client: Client) -> None:
    html = _get(client, "?start=19.03.2025&days=0")
    assert "Enter at least 1 working day." in html
    html = _get(client, "?start=19.03.2025&days=251")
    assert "Enter at most 250 working days." in html


def test_a_term_reaching_a_year_not_loaded_is_refused_with_a_message(client: Client) -> None:
    """R-X-1: no silent guess beyond the loaded calendar."""
    html = _get(client, "?start=20.12.2030&days=17")
    assert "The working-day calendar for 2031 has not been loaded yet" in html
    assert 'value="20.12.2030"' in html
    assert "The term ends on" not in html


def test_a_year_without_calendar_is_explained(client: Client) -> None:
    html = _get(client, "?year=1999")
    assert "The calendar for 1999 has not been loaded. Choose another year." in html
    assert 'aria-describedby="year-error"' in html
    html = _get(client, "?year=abc")
    assert "Choose a year from the list." in html


def test_the_page_reads_the_calendar_once(client: Client, django_assert_max_num_queries) -> None:
    """R-X-1: the page costs no query per day once the calendar is loaded."""
    _get(client, "?year=2025")
    with django_assert_max_num_queries(0):
        _get(client, "?year=2025&start=19.03.2025&days=17")
