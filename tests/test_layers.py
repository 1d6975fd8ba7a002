"""The import-linter contracts in pyproject.toml (run by `make lint`) cover every app and every
shared helper of the project package, so that a new one cannot slip past them."""

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
# The project package's modules that are not shared helpers: the URLconf includes every app.
PROJECT_WIRING = {"marketplace.urls", "marketplace.asgi"}  # they wire the apps' pages and websockets in


def _contract(type_: str, subject: str) -> dict:
    return next(
        c
        for c in CONTRACTS
        if c["type"] == type_ and subject in str(c.get("forbidden_modules", c.get("layers")))
    )


def test_every_app_of_the_project_is_a_layer():
    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    layers = set(_contract("layers", "accounts")["layers"])
    assert ours - layers == {"marketplace", "sandbox"}  # the project package, and the sandbox beside the apps
    assert not layers - ours


def test_every_shared_helper_of_the_project_package_is_forbidden_to_import_apps():
    modules = {
        f"marketplace.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "marketplace").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    helpers = set(_contract("forbidden", "demo")["source_modules"])
    assert modules - PROJECT_WIRING == helpers
