"""No app writes another app's rows: it calls that app's service (docs/architecture.md).

Read statically: in every module of an app (its migrations, tests and the demo seeding aside), a
model imported from another app's `models` may be read and locked, but no write is called on its
manager or queryset (`create`, `update`, `delete`, `bulk_create`, `get_or_create`, ...).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts", "wallet", "listings", "shipping", "inspection", "orders", "recycling", "consignment",
    "operations",
)  # fmt: skip
WRITES = {
    "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
}  # fmt: skip


def foreign_models(tree: ast.Module, app: str) -> set[str]:
    """Names bound by `from <other app>.models import ...`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            owner = node.module.split(".")[0]
            if owner != app and owner in APPS:
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def root_name(node: ast.expr) -> str | None:
    """The name a chain like `Model.objects.filter(...).update` starts from."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def writes_to_other_apps(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        foreign = foreign_models(tree, app)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                and "objects" in ast.unparse(node.func)
                and root_name(node.func) in foreign
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_app_writes_another_apps_rows(app):
    assert writes_to_other_apps(app) == []


def test_the_check_finds_a_write_to_another_apps_rows(tmp_path):
    # A write of this shape is what the check exists to find.
    tree = ast.parse(
        "from recycling.models import Offer\n"
        "def f():\n"
        "    Offer.objects.filter(pk=1).update(decision='consign')\n"
    )
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
    ]
    assert foreign_models(tree, "consignment") == {"Offer"}
    assert [root_name(call.func) for call in calls] == ["Offer"]
