"""Accessibility of the layout (WCAG 2.1 AA): axe-core, keyboard, focus, targets and reflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from qamqor.accounts.models import User
from tests.browser.support import AXE_NOTES, LANGUAGES, log_in, set_language_cookie

pytestmark = pytest.mark.browser

PAGES = ["/", "/accounts/login/", "/accounts/login/esign/"]
FAILING_IMPACTS = {"serious", "critical"}
MIN_TARGET_PX = 44

_axe = Axe()


def axe_violations(page: Page) -> tuple[list[str], list[str]]:
    """Run axe-core on the page: (serious or critical violations, the others), one line each."""
    results = _axe.run(page)
    failing, notes = [], []
    for violation in results.response["violations"]:
        targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        line = (
            f"{page.url} [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])}× e.g. {targets})"
        )
        (failing if violation["impact"] in FAILING_IMPACTS else notes).append(line)
    return failing, notes


def check_with_axe(page: Page) -> None:
    failing, notes = axe_violations(page)
    for line in notes:
        print(line)
    AXE_NOTES.extend(notes)
    assert not failing, "axe-core found:\n" + "\n".join(failing)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(
    new_context: Callable[..., BrowserContext], path: str, language: str
) -> None:
    page = new_context(language=language).new_page()
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_with_axe(page)


@pytest.mark.usefixtures("dev_signer_on")
def test_no_serious_axe_violations_when_logged_in_and_on_the_dev_signer(
    live_server: Any, context: BrowserContext, page: Page, aigerim_demo: User
) -> None:
    page.goto("/accounts/login/")
    check_with_axe(page)
    page.goto("/accounts/login/esign/")
    expect(page.locator("#dev-user")).to_be_visible()
    check_with_axe(page)
    page.goto("/accounts/login/esign/dev-sign/")
    expect(page.get_by_label(aigerim_demo.get_full_name())).to_be_visible()
    check_with_axe(page)
    page.get_by_role("main").get_by_role("button").click()  # nothing chosen: the error
    expect(page.locator("#user-error")).to_be_visible()
    check_with_axe(page)
    log_in(context, live_server.url, aigerim_demo)
    page.goto("/")
    expect(page.get_by_role("banner")).to_contain_text(aigerim_demo.get_full_name())
    check_with_axe(page)


def test_no_serious_axe_violations_on_the_not_found_page(page: Page) -> None:
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    check_with_axe(page)


@pytest.mark.parametrize("path", PAGES)
def test_first_tab_reaches_the_visible_skip_link_and_enter_moves_to_main(
    page: Page, path: str
) -> None:
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport(ratio=1)
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # and the next Tab goes on from the main content, not back into the header
    page.keyboard.press("Tab")
    assert page.evaluate(
        """() => {
          const main = document.getElementById('main');
          const active = document.activeElement;
          return main.contains(active)
            || Boolean(main.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )


FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    html: el.outerHTML.slice(0, 120),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
  };
}"""


@pytest.mark.parametrize("path", PAGES)
def test_every_tab_stop_shows_a_focus_indicator(page: Page, path: str) -> None:
    page.goto(path)
    seen: list[dict[str, Any]] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE_JS)
        if focused is None or focused["html"] in (item["html"] for item in seen):
            break
        seen.append(focused)
    assert len(seen) >= 5, f"too few tab stops: {seen}"
    invisible = [item["html"] for item in seen if not (item["outline"] or item["shadow"])]
    assert not invisible, f"no visible focus indicator on: {invisible}"


# Controls that stand alone (WCAG 2.5.5 exempts links inside running text). A radio button's
# target is its label, which spans the row.
TARGETS_JS = """(minimum) => {
  const selector = [
    'header a', 'header button', 'footer a', 'main button', 'main .button',
    'main input:not([type=hidden]):not([type=radio]):not([type=checkbox])', 'main .radio label',
  ].join(', ');
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => {
      const box = el.getBoundingClientRect();
      return {html: el.outerHTML.slice(0, 100), width: box.width, height: box.height};
    })
    .filter((t) => t.width < minimum || t.height < minimum);
}"""


def assert_targets_large_enough(page: Page) -> None:
    too_small = page.evaluate(TARGETS_JS, MIN_TARGET_PX)
    assert not too_small, f"{page.url}: targets under {MIN_TARGET_PX}px: {too_small}"


@pytest.mark.parametrize("path", PAGES)
def test_controls_are_at_least_44_px(page: Page, path: str) -> None:
    page.goto(path)
    assert_targets_large_enough(page)


@pytest.mark.usefixtures("dev_signer_on")
def test_controls_are_at_least_44_px_on_the_dev_signer_and_when_logged_in(
    live_server: Any, context: BrowserContext, page: Page, aigerim_demo: User
) -> None:
    page.goto("/accounts/login/")
    assert_targets_large_enough(page)
    page.goto("/accounts/login/esign/")
    expect(page.locator("[data-esign-dev-sign]")).to_be_visible()
    assert_targets_large_enough(page)
    page.goto("/accounts/login/esign/dev-sign/")
    expect(page.get_by_label(aigerim_demo.get_full_name())).to_be_visible()
    assert_targets_large_enough(page)
    log_in(context, live_server.url, aigerim_demo)
    page.goto("/")
    expect(page.get_by_role("banner")).to_contain_text(aigerim_demo.get_full_name())
    assert_targets_large_enough(page)


@pytest.mark.parametrize(
    ("width", "scale"),
    [
        pytest.param(320, 1, id="320px-400%-zoom"),
        pytest.param(360, 1, id="360px-phone"),
        pytest.param(640, 2, id="640px-200%-zoom"),
    ],
)
@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scrolling(
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    path: str,
    width: int,
    scale: int,
) -> None:
    """WCAG 1.4.10 reflow: a 1280 px window at 200 % or 400 % zoom is 640 or 320 CSS px wide.

    In Kazakh and Russian, whose words run longer than the English msgids.
    """
    context = new_context(viewport={"width": width, "height": 720}, device_scale_factor=scale)
    page = context.new_page()
    for language in ("kk", "ru"):
        set_language_cookie(context, live_server.url, language)
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        overflow = page.evaluate(
            """() => ({
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
              wide: [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map((el) => el.outerHTML.slice(0, 80)).slice(0, 5),
            })"""
        )
        assert overflow["scrollWidth"] <= overflow["innerWidth"], (language, overflow)
