"""docs/rules.md maps every SPEC rule to the code and tests citing it, and is kept current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("rules_map", ROOT / "bin" / "rules_map.py")
assert spec and spec.loader
rules_map = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rules_map)


@pytest.mark.skipif(not rules_map.SPEC.exists(), reason="../shared/SPEC.md is not beside the repo")
def test_rules_document_is_current() -> None:
    expected = rules_map.render(rules_map.SPEC.read_text(encoding="utf-8"))
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `python bin/rules_map.py`"
    )


def test_rule_ids_are_read_in_spec_order_without_duplicates() -> None:
    # ids that SPEC.md does not have, so this test does not count as citing real rules
    text = "R-X-96 then R-ORG-92 and R-X-91, again R-X-96; R-SVC-910 R-SVC-99"
    assert rules_map.rule_ids(text) == ["R-ORG-92", "R-SVC-99", "R-SVC-910", "R-X-91", "R-X-96"]
