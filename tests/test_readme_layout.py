"""README's "Layout" lists every top-level folder of the project, and only folders that exist."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folders_in_layout() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Layout") :]
    block = section[section.index("```") + 3 : section.index("```", section.index("```") + 3)]
    return set(re.findall(r"^([a-z_]+)/ ", block, re.M))


def folders_in_the_project() -> set[str]:
    """Top-level folders holding files under version control (what a clone has)."""
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    return {path.split("/", 1)[0] for path in files if "/" in path and not path.startswith(".")}


def test_the_layout_names_every_folder_and_no_other():
    assert folders_in_layout() == folders_in_the_project()
