"""Small lints of the layout STYLE.md asks for (run in CI with the tests)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "qamqor"
THIN_MODULES = [
    p for p in APP.rglob("*.py") if p.name in {"views.py", "api.py"} and "migrations" not in p.parts
]


@pytest.mark.parametrize("path", THIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_api_reach_objects_only_through_selectors(path: Path) -> None:
    """STYLE (access and audit): no `Model.objects` or `get_object_or_404` in views/API;
    protected objects are reached through scoped `get_<thing>_for` chokepoints."""
    source = path.read_text()
    offenders = re.findall(r"\b[A-Z]\w*\.objects\b|get_object_or_404", source)
    assert offenders == []


def test_core_imports_no_other_app() -> None:
    """STYLE (layout): dependencies point one way; `core` imports no other Qamqor app."""
    bad = []
    for path in (APP / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("qamqor.") and not name.startswith("qamqor.core"):
                    bad.append(f"{path.relative_to(ROOT)}: {name}")
    assert bad == []
