"""docs/architecture.md lists every signal an app defines, with its sender."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text()


def defined_signals() -> dict[str, str]:
    """`name: app` for every `name = Signal()` in an app's signals.py."""
    signals = {}
    for path in ROOT.glob("*/signals.py"):
        for name in re.findall(r"^(\w+) = Signal\(", path.read_text(), re.M):
            signals[name] = path.parent.name
    return signals


def listed_signals() -> dict[str, str]:
    """`name: sender` from the signals table's rows."""
    return dict(re.findall(r"^\| `(\w+)` \| (\w+) \|", DOC, re.M))


def test_every_signal_is_listed_with_its_sender():
    defined = defined_signals()
    assert defined, "no signals found: has signals.py moved?"
    assert listed_signals() == defined
