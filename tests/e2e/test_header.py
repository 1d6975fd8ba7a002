"""The site header on a phone: the account links fit on one row in both languages, signed in or not;
the rest of the account's pages and the language are one tap away in a menu that stays on screen."""

import pytest

from tests.e2e.conftest import phone_context, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The tops of the header's account links and menu buttons, rounded: one value is one row.
ROW_TOPS = """() => [...new Set([...document.querySelectorAll('.account-nav > a, .account-nav > details > summary')]
    .map(e => Math.round(e.getBoundingClientRect().top)))]"""


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_the_phone_header_is_one_row_of_links_and_a_menu(browser, live_server, width, prefix, signed_in):
    context = phone_context(browser, live_server.url, viewport={"width": width, "height": 800})
    if signed_in:
        UserFactory(username="mei")
        sign_in(context, live_server.url, "mei")
    page = context.new_page()
    page.goto(prefix + "/")

    assert len(page.evaluate(ROW_TOPS)) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    menu = page.locator(".account-nav details.menu")
    menu.locator("summary").click()
    panel = menu.locator(".menu-panel")
    assert panel.locator("select#language").is_visible()
    if signed_in:
        for name in ("Favourites", "Wallet", "Addresses") if not prefix else ("收藏", "钱包", "地址"):
            assert panel.get_by_role("link", name=name).is_visible(), name
        assert panel.get_by_role("button", name="Sign out" if not prefix else "退出登录").is_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.keyboard.press("Escape")
    assert not panel.is_visible()
    context.close()


def test_the_language_menu_switches_the_language(browser, live_server):
    context = phone_context(browser, live_server.url)
    page = context.new_page()
    page.goto("/")
    page.locator(".account-nav details.menu summary").click()
    page.locator("select#language").select_option("zh-hans")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".account-nav details.menu summary").inner_text().strip().endswith("中文")
    context.close()
