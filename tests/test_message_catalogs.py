"""The message catalogs: every code the code writes is listed in the catalog of the rows it goes on, and
every entry is a translatable text whose parameters are the ones its Message names."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.functional import Promise

from consignment.messages import MESSAGES as CONSIGNMENT
from inspection.messages import MESSAGES as INSPECTION
from listings.messages import DESCRIPTION
from listings.messages import MESSAGES as LISTINGS
from marketplace.status_events import Message, placeholders
from orders.messages import MESSAGES as ORDERS
from recycling.messages import MESSAGES as RECYCLING
from wallet.messages import MESSAGES as WALLET

CATALOGS = {
    "orders": ORDERS,
    "recycling": RECYCLING,
    "inspection": INSPECTION,
    "wallet": WALLET,
    "listings": LISTINGS,
    "consignment": CONSIGNMENT,
    "listings.DESCRIPTION": DESCRIPTION,
}
# Every function (or model) that writes a message, and the catalog its codes come from.
WRITERS = {
    "order_move": ORDERS,
    "OrderEvent": ORDERS,
    "submission_move": RECYCLING,
    "SubmissionEvent": RECYCLING,
    "inspection_move": INSPECTION,
    "inspection_finish": INSPECTION,
    "record_event": INSPECTION,
    "InspectionEvent": INSPECTION,
    "withdrawal_move": WALLET,
    "WithdrawalEvent": WALLET,
    "listing_move": LISTINGS,
    "ListingEvent": LISTINGS,
    "consignment_move": CONSIGNMENT,
    "ConsignmentEvent": CONSIGNMENT,
}
PACKAGES = ["marketplace", "accounts", "wallet", "listings", "shipping", "inspection", "orders", "recycling"]
PACKAGES += ["consignment", "operations", "demo"]


def _writer(call: ast.Call) -> str | None:
    """`order_move(...)` → "order_move"; `OrderEvent.objects.create(...)` and
    `OrderEvent.message_params(...)` → "OrderEvent"."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def _constants(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> list[str]:
    """The string codes an expression can be: a literal, either side of `a if c else b`, or a local
    variable's assigned literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body, assigned) + _constants(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return [code for value in assigned.get(node.id, []) for code in _constants(value, assigned)]
    return []


def _codes_written() -> list[tuple[str, str, str]]:
    """(where, writer, code) for every message the apps write."""
    found = []
    for package in PACKAGES:
        for path in sorted(Path(settings.BASE_DIR, package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                assigned: dict[str, list[ast.AST]] = {}
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                assigned.setdefault(target.id, []).append(node.value)
                for call in ast.walk(function):
                    if not isinstance(call, ast.Call) or _writer(call) not in WRITERS:
                        continue
                    if _writer(call) == "record_event" and package != "inspection":
                        continue  # another app's function of the same name
                    where = f"{path.relative_to(settings.BASE_DIR)}:{call.lineno}"
                    values = [keyword.value for keyword in call.keywords if keyword.arg == "message"]
                    if (
                        isinstance(call.func, ast.Attribute)
                        and call.func.attr == "message_params"
                        and call.args
                    ):
                        values.append(call.args[0])
                    for value in values:
                        found += [(where, _writer(call), code) for code in _constants(value, assigned)]
    return found


def test_the_apps_write_messages():
    assert len(_codes_written()) > 40


def test_every_code_written_is_in_its_catalog():
    unknown = [
        f"{where}: {writer} writes {code!r}"
        for where, writer, code in _codes_written()
        if code and code not in WRITERS[writer]
    ]
    assert unknown == []


@pytest.mark.parametrize("name", CATALOGS)
def test_every_entry_is_translatable_and_names_its_own_parameters(name):
    for code, entry in CATALOGS[name].items():
        message = entry if isinstance(entry, Message) else Message(entry)
        assert isinstance(message.text, Promise), f"{name} {code}: wrap the text in gettext_lazy"
        named = {*message.money, *message.dates, *message.labels}
        assert named <= placeholders(message.text), f"{name} {code}: {named - placeholders(message.text)}"
