"""Find what the input-abuse suite must cover: every Django form class of the apps and every
write operation of the API. A new form or operation is picked up here; the suite then fails until
it has a constructor in ``FORMS`` (forms) or is exercised automatically (API operations)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import Any

from django import forms

import qamqor

#: Modules whose forms are not posted by people through the portal's pages.
NOT_PORTAL_MODULES = {
    # Django admin's model forms: only superusers reach the admin, which validates its own way.
    "qamqor.organizations.admin",
    "qamqor.core.admin",
}


def portal_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(qamqor.__path__, "qamqor."):
        name = info.name
        if ".migrations" in name or ".management" in name or name in NOT_PORTAL_MODULES:
            continue
        if name.endswith(("forms", "views", "forms_otp", "forms_representation")) or (
            ".views." in name
        ):
            yield name


def form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every ``Form`` subclass defined in a forms or views module of the apps, by dotted path."""
    found: dict[str, type[forms.BaseForm]] = {}
    for name in portal_modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


# --- API -----------------------------------------------------------------------------------------


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) == 1:
            return resolve(schema, options[0])
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolve(schema, node["allOf"][0])
    return node


def write_operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(method, path, operation)`` of every POST/PUT/PATCH/DELETE of the schema."""
    return [
        (method, path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("post", "put", "patch", "delete")
    ]


def body_schema(schema: dict[str, Any], op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    return resolve(schema, content["schema"]) if content else None


def path_params(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


Factory = Callable[[], dict[str, Any]]
