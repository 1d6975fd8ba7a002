"""Every page in `site_pages.PAGES`, walked by its persona in Chromium with the site's
Content-Security-Policy on, in English and in Chinese: on a 390 x 844 phone it passes axe-core with
its default rules (WCAG 2.2 A and AA plus best practice) and the Nu Html Checker with no error; on the
phone and on a 1366 x 900 desktop it logs no console or script error (a CSP violation is one) and
nothing is wider than the screen (`page_checks`). One demo seed and one visit per page and screen
serve every check.

The demo data (`seed_demo`, small) gives each persona's pages something to show; a few states the
demo leaves out (an order awaiting payment, an inspection on the bench, a consignment whose term
ended) are made through the services, as a person's action would make them
(`site_pages.states_the_demo_leaves_out`).

axe-core and the checker (`vnu-jar`, which runs on Java) come from the npm registry: `npm ci`
installs them into node_modules/ (`.ci/run` does). The report names each page, rule and element.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.e2e import page_checks, site_pages
from tests.e2e.conftest import phone_context, sign_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = {"en": "", "zh-hans": "/zh-hans"}


def _tools_missing() -> str | None:
    if not AXE.exists() or not VNU.exists():
        return "needs axe-core and vnu-jar in node_modules/ (npm ci)"
    if not shutil.which("java"):
        return "needs Java for the Nu Html Checker (apt-get install default-jre-headless)"
    return None


@pytest.fixture
def accessibility_tools():
    reason = _tools_missing()
    if reason:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


# axe does not check that aria-describedby and aria-labelledby point at elements that exist (it
# allows for ones added later by script); on these server-rendered pages every one must.
DANGLING_REFERENCES = """
() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap(element =>
  ['aria-describedby', 'aria-labelledby'].flatMap(attribute =>
    (element.getAttribute(attribute) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
      .map(id => `${element.tagName.toLowerCase()}[${attribute}] points at #${id}, which is not on the page`)))
"""


def _axe(page) -> list[dict]:
    # Evaluated through the browser's DevTools protocol, which the page's policy does not govern (a
    # script element with axe would be refused, as it should be).
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = f" (+{len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else ""
    return f"{violation['id']} [{violation['impact']}] {violation['help']}: {nodes}{more}"


def _nu_errors(folder: Path) -> dict[str, list[str]]:
    """The checker's errors per file, read from its JSON report."""
    files = sorted(str(path) for path in folder.glob("*.html"))
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stdout)["messages"]:
        if message["type"] != "error":
            continue
        name = unquote(Path(message["url"].removeprefix("file:")).stem)
        errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_passes_axe_the_nu_html_checker_and_the_policy_and_fits_phone_and_desktop(
    accessibility_tools, browser, live_server, tmp_path, settings
):
    # given the demo marketplace, with every state a page shows
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    call_command("seed_demo", listings=40, jobs=0, photo_size=240, stdout=open(os.devnull, "w"))  # noqa: SIM115
    site_pages.states_the_demo_leaves_out(live_server.url)

    # when each persona opens each of its pages, on each screen, in each language
    problems: list[str] = []
    where = [""]
    expected = [200]
    html_folder = tmp_path / "html"
    html_folder.mkdir()
    by_persona: dict[str, list[site_pages.SitePage]] = {}
    for entry in site_pages.PAGES:
        by_persona.setdefault(entry.persona, []).append(entry)
    visited = 0
    for persona, entries in by_persona.items():
        for screen, viewport in page_checks.VIEWPORTS.items():
            context = (
                phone_context(browser, live_server.url)
                if screen == "phone"
                else browser.new_context(base_url=live_server.url, viewport=viewport)
            )
            if persona:
                sign_in(context, live_server.url, persona)
            page = context.new_page()
            page_checks.listen(page, problems, where, expected)
            for entry in entries:
                for language, prefix in LANGUAGES.items():
                    where[0] = f"{entry.name} ({language}, {persona or 'anonymous'}, {screen})"
                    expected[0] = entry.status
                    path = prefix + entry.path()
                    response = site_pages.open_page(page, entry, prefix, problems, where[0])
                    if response is None:
                        continue
                    if response.status != entry.status or urlsplit(page.url).path != urlsplit(path).path:
                        problems.append(f"{where[0]}: {path} answered {response.status} at {page.url}")
                        continue
                    policy = response.headers.get("content-security-policy", "")
                    if "script-src 'self'" not in policy or "unsafe" in policy:
                        problems.append(f"{where[0]}: the page's policy is {policy!r}")
                    page.wait_for_load_state("load")
                    overflow = page.evaluate(page_checks.OVERFLOW)
                    if overflow:
                        problems.append(f"{where[0]}: {overflow}")
                    visited += 1
                    if screen != "phone":
                        continue
                    (html_folder / f"{entry.name.replace(':', '-')}.{language}.html").write_bytes(
                        response.body()
                    )
                    problems.extend(f"{where[0]}: {_describe(violation)}" for violation in _axe(page))
                    problems.extend(
                        f"{where[0]}: {dangling}" for dangling in page.evaluate(DANGLING_REFERENCES)
                    )
            context.close()
    expected[0] = 200

    # and the page scripts that carry the nonce, or replaced inline handlers, do their work
    page_checks.the_checkout_counts_down(browser, live_server.url, problems, where)
    page_checks.a_form_with_a_question_asks_it_first(browser, live_server.url, problems, where)

    # then axe finds nothing, nor does the Nu Html Checker; the policy held and nothing spilled over
    for name, errors in sorted(_nu_errors(html_folder).items()):
        problems.extend(f"{name} (Nu Html Checker) {error}" for error in errors[:10])
    assert visited == len(page_checks.VIEWPORTS) * len(LANGUAGES) * len(site_pages.PAGES), problems
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _page_routes(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or str(pattern.pattern).startswith("api/"):
                continue  # the Django admin and the REST API are not site pages
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _page_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_route_is_listed():
    routes = _page_routes(get_resolver()) - {"schema"}
    listed = {entry.route for entry in site_pages.PAGES if not entry.route.startswith("error:")}
    unlisted = routes - listed - set(site_pages.NOT_PAGES)
    assert not unlisted, (
        f"add these pages to tests/e2e/site_pages.py (PAGES, or NOT_PAGES with why): {unlisted}"
    )
    assert not (listed | set(site_pages.NOT_PAGES)) - routes, (
        "site_pages.py names routes that no longer exist"
    )
