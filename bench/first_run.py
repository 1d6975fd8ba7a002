"""First-run benchmark: how long a newcomer waits from a fresh clone to a browsable demo.

    .venv/bin/python bench/first_run.py [--port 8090] [--keep]

It clones this checkout's committed HEAD into a temporary folder, runs `make run` there exactly as
the README says (a new virtualenv from the lock file, SQLite, the demo data, runserver with a Celery
worker and beat; pip's cache is turned off, so every package is downloaded again) and prints how
long each step took and when the home page, a category and a listing first answered 200. It then
stops the processes (Ctrl-C, as a person would) and removes the clone unless --keep is given.
Traffic goes only to 127.0.0.1 (and to the package index for the install).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 900
# Lines `make run` prints at the start of each step, and the step's name in the table.
STEPS = [
    ("install", re.compile(r"pip install")),
    ("migrate", re.compile(r"Operations to perform")),
    ("seed", re.compile(r"^seed\s*\|")),
    ("serve", re.compile(r"Reloop is running at")),
]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--keep", action="store_true", help="Leave the clone in place.")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="reloop-first-run-"))
    clone = folder / "reloop"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "VAR_DIR", "SITE_URL", "VIRTUAL_ENV"}
    }
    env.update(PORT=str(args.port), PIP_NO_CACHE_DIR="1")
    base = f"http://127.0.0.1:{args.port}"

    started = time.monotonic()
    seen: dict[str, float] = {}
    process = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            now = time.monotonic() - started
            for name, pattern in STEPS:
                if name not in seen and pattern.search(line):
                    seen[name] = now
            if "serve" in seen or now > TIMEOUT:
                break
        while not answers(base + "/") and time.monotonic() - started < TIMEOUT:
            time.sleep(0.2)
        seen["home page"] = time.monotonic() - started
        home = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        category = re.search(r'href="(/c/[^"]+/)"', home)
        listing = re.search(r'href="(/l/\d+/)"', home)
        for name, match in (("a category", category), ("a listing", listing)):
            if match and answers(base + match.group(1)):
                seen[name] = time.monotonic() - started
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"Fresh clone to a browsable demo, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'step':<12} {'began at':>9} {'took':>8}")
    names = [name for name, _pattern in STEPS if name in seen]
    for index, name in enumerate(names):
        end = seen[names[index + 1]] if index + 1 < len(names) else seen["home page"]
        print(f"{name:<12} {seen[name]:>8.1f}s {end - seen[name]:>7.1f}s")
    for name in ("home page", "a category", "a listing"):
        if name in seen:
            print(f"{name + ' 200':<12} {seen[name]:>8.1f}s")
    print(f"Browsable after {seen['home page']:.0f} s (target: under 180 s).")


if __name__ == "__main__":
    main()
