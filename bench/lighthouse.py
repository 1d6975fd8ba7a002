"""Lighthouse (the version package.json pins, mobile) on the public pages of a running site, with
its demo data; prints each page's four category scores.

    make stack                                   # in another terminal: DEBUG off, demo data
    npm ci                                       # Lighthouse, from package-lock.json
    .venv/bin/python bench/lighthouse.py         # http://127.0.0.1:8000 by default
    .venv/bin/python bench/lighthouse.py --base http://127.0.0.1:8000 --json var/lighthouse.json

It drives Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) headless, one run per page
and language. The inspection report is `noindex` on purpose (a page to verify a parcel's report by
its code, not to be found by search), which Lighthouse's SEO score counts against it; it is marked.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
)


def public_pages(base: str) -> dict[str, str]:
    """The public pages, found through the API as a visitor would find them through the site."""

    def get(path: str) -> dict:
        with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
            return json.load(response)

    inspected = get(f"/api/v1/listings/{get('/api/v1/listings/?inspected=1')['results'][0]['id']}/")
    category = get("/api/v1/categories/")
    return {
        "home": "/",
        "category": f"/c/{category[0]['slug']}/",
        "search": "/search/?q=iphone",
        "listing": f"/l/{inspected['id']}/",
        "storefront": "/u/reloop/",
        "report (noindex)": f"/r/{inspected['report_code']}/",
        "sign in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "sell with us": "/sell-with-us/",
    }


def audit(url: str, output: Path) -> dict[str, int]:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=180,
    )
    report = json.loads(output.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = [
        audit_id
        for audit_id, result in report["audits"].items()
        if result.get("score") is not None
        and result["score"] < 1
        and result.get("scoreDisplayMode") == "binary"
    ]
    return scores | {"failing": failing}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `npm ci` first.", file=sys.stderr)
        return 1

    figures = {}
    print(
        f"{'page':<22} {'lang':<8} "
        + " ".join(f"{name:>14}" for name in CATEGORIES)
        + "  binary audits below 1"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, path in public_pages(args.base).items():
            for language, prefix in (("en", ""), ("zh-hans", "/zh-hans")):
                result = audit(f"{args.base}{prefix}{path}", Path(folder) / "report.json")
                figures[f"{name} {language}"] = result
                scores = " ".join(f"{result[category]:>14}" for category in CATEGORIES)
                print(f"{name:<22} {language:<8} {scores}  {', '.join(result['failing']) or '-'}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
