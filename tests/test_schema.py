"""The OpenAPI schema: generated without a single warning, valid, complete, and browsable."""

import pytest
import yaml
from django.core.management import call_command

ENDPOINTS = {
    "/api/v1/auth/token/": {"post", "delete"},
    "/api/v1/addresses/": {"get", "post"},
    "/api/v1/addresses/{address_id}/": {"get", "put", "patch", "delete"},
    "/api/v1/addresses/{address_id}/default/": {"post"},
    "/api/v1/categories/": {"get"},
    "/api/v1/brands/": {"get"},
    "/api/v1/listings/": {"get"},
    "/api/v1/listings/{listing_id}/": {"get"},
    "/api/v1/my/listings/": {"get", "post"},
    "/api/v1/my/listings/{listing_id}/": {"get", "patch"},
    "/api/v1/my/listings/{listing_id}/withdraw/": {"post"},
    "/api/v1/my/listings/{listing_id}/photos/": {"post"},
    "/api/v1/my/listings/{listing_id}/photos/{photo_id}/": {"delete"},
    "/api/v1/my/listings/{listing_id}/video/": {"get", "post", "delete"},
    "/api/v1/shipping/pickup-slots/": {"get"},
    "/api/v1/submissions/": {"get", "post"},
    "/api/v1/submissions/{submission_id}/": {"get"},
    "/api/v1/submissions/{submission_id}/shipping/": {"post"},
    "/api/v1/submissions/{submission_id}/cancel/": {"post"},
    "/api/v1/submissions/{submission_id}/offer/recycle/": {"post"},
    "/api/v1/submissions/{submission_id}/offer/decline/": {"post"},
    "/api/v1/submissions/{submission_id}/offer/consign/": {"post"},
    "/api/v1/submissions/{submission_id}/money/": {"get"},
    "/api/v1/inspections/queue/": {"get"},
    "/api/v1/inspections/claim/": {"post"},
    "/api/v1/inspections/{inspection_id}/": {"get"},
    "/api/v1/inspections/{inspection_id}/claim/": {"post"},
    "/api/v1/inspections/{inspection_id}/checks/": {"post"},
    "/api/v1/inspections/{inspection_id}/complete/": {"post"},
    "/api/v1/inspections/{inspection_id}/verdicts/": {"post"},
    "/api/v1/orders/": {"get", "post"},
    "/api/v1/orders/{number}/": {"get"},
    "/api/v1/orders/{number}/address/": {"post"},
    "/api/v1/orders/{number}/pay/": {"post"},
    "/api/v1/orders/{number}/cancel/": {"post"},
    "/api/v1/orders/{number}/ship/": {"post"},
    "/api/v1/orders/{number}/label/": {"post"},
    "/api/v1/orders/{number}/delivered/": {"post"},
    "/api/v1/orders/{number}/confirm/": {"post"},
    "/api/v1/orders/{number}/return/": {"post"},
    "/api/v1/orders/{number}/return/tracking/": {"post"},
    "/api/v1/orders/{number}/return/withdraw/": {"post"},
    "/api/v1/orders/{number}/return/received/": {"post"},
    "/api/v1/orders/{number}/dispute/": {"post"},
    "/api/v1/orders/{number}/rating/": {"post"},
    "/api/v1/sales/": {"get"},
    "/api/v1/staff/disputes/": {"get"},
    "/api/v1/staff/disputes/{number}/resolve/": {"post"},
    "/api/v1/staff/orders/to-ship/": {"get"},
    "/api/v1/staff/orders/returns/": {"get"},
    "/api/v1/wallet/": {"get"},
    "/api/v1/wallet/withdrawals/": {"get", "post"},
    "/api/v1/wallet/withdrawals/{withdrawal_id}/": {"get"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/unread/": {"get"},
    "/api/v1/notifications/read/": {"post"},
    "/api/v1/notifications/{notification_id}/read/": {"post"},
    "/api/v1/notifications/preferences/": {"get", "put"},
    "/api/v1/conversations/": {"get", "post"},
    "/api/v1/saved-searches/": {"get", "post"},
    "/api/v1/orders/{number}/inspected-delivery/": {"post"},
    "/api/v1/shows/": {"get", "post"},
    "/api/v1/shows/{show_id}/": {"get"},
    "/api/v1/shows/{show_id}/lineup/": {"put"},
    "/api/v1/shows/{show_id}/start/": {"post"},
    "/api/v1/shows/{show_id}/end/": {"post"},
    "/api/v1/shows/{show_id}/cancel/": {"post"},
    "/api/v1/shows/{show_id}/rsvp/": {"post", "delete"},
    "/api/v1/shows/{show_id}/pin/": {"post", "delete"},
    "/api/v1/shows/{show_id}/flash-sales/": {"post"},
    "/api/v1/shows/{show_id}/chat/": {"get", "post"},
    "/api/v1/shows/{show_id}/mutes/": {"post"},
    "/api/v1/shows/{show_id}/mutes/{user_id}/": {"delete"},
    "/api/v1/shows/{show_id}/moderators/": {"post"},
    "/api/v1/shows/{show_id}/moderators/{user_id}/": {"delete"},
    "/api/v1/flash-sales/{flash_sale_id}/grab/": {"post"},
    "/api/v1/flash-sales/{flash_sale_id}/waitlist/": {"post"},
    "/api/v1/chat/{message_id}/": {"delete"},
    "/api/v1/clips/": {"get"},
    "/api/v1/feed/": {"get"},
    "/api/v1/feed/settings/": {"get", "put"},
    "/api/v1/feed/history/": {"get", "delete"},
    "/api/v1/creator/": {"get", "post"},
    "/api/v1/creator/videos/": {"get", "post"},
    "/api/v1/creator/links/": {"get", "post"},
    "/api/v1/creator/statement/": {"get"},
    "/api/v1/staff/routing-rules/": {"get", "post"},
    "/api/v1/staff/providers/": {"get"},
    "/api/v1/store/": {"get", "post", "patch"},
    "/api/v1/store/close/": {"post"},
    "/api/v1/store/deposit/": {"get", "post"},
    "/api/v1/stores/{slug}/": {"get"},
    "/api/v1/staff/stores/": {"get"},
    "/api/v1/staff/stores/{id}/decide/": {"post"},
    "/api/v1/staff/stores/{id}/deductions/": {"post"},
    "/api/v1/staff/deposit-requirements/": {"get", "put"},
    "/api/v1/account-health/": {"get"},
    "/api/v1/violations/{id}/appeal/": {"post"},
    "/api/v1/staff/violations/": {"get", "post"},
    "/api/v1/staff/appeals/{id}/decide/": {"post"},
    "/api/v1/staff/thresholds/": {"get", "put"},
    "/api/v1/my/listings/{listing_id}/creator-rate/": {"put"},
    "/api/v1/offers/": {"get", "post"},
    "/api/v1/offers/{offer_id}/": {"get"},
    "/api/v1/offers/{offer_id}/accept/": {"post"},
    "/api/v1/offers/{offer_id}/decline/": {"post"},
    "/api/v1/offers/{offer_id}/counter/": {"post"},
    "/api/v1/offers/{offer_id}/withdraw/": {"post"},
    "/api/v1/saved-searches/{search_id}/": {"patch", "delete"},
    "/api/v1/conversations/{conversation_id}/messages/": {"get", "post"},
    "/api/v1/staff/withdrawals/": {"get"},
    "/api/v1/staff/withdrawals/{withdrawal_id}/approve/": {"post"},
    "/api/v1/staff/withdrawals/{withdrawal_id}/reject/": {"post"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    # --fail-on-warn turns any warning (a field whose type could not be inferred, an enum name
    # collision) into a CommandError; --validate checks the result against the OpenAPI 3 spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_endpoint_and_method_is_in_the_schema(schema):
    methods = {
        path: {method for method in operations if method in {"get", "post", "patch", "put", "delete"}}
        for path, operations in schema["paths"].items()
    }

    assert methods == ENDPOINTS


def test_list_responses_are_keyset_pages(schema):
    page = schema["paths"]["/api/v1/listings/"]["get"]["responses"]["200"]["content"]["application/json"]
    component = schema["components"]["schemas"][page["schema"]["$ref"].rsplit("/", 1)[1]]

    # (and the correction of a mistyped query, which names what the page shows)
    assert set(component["properties"]) == {
        "next",
        "previous",
        "results",
        "corrected_query",
        "suggested_query",
    }
    assert "count" not in component["properties"]


def test_listing_filters_are_documented(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/listings/"]["get"]["parameters"]}

    assert parameters >= {
        "brand",
        "grade",
        "price_min",
        "price_max",
        "inspected",
        "authenticated",
        "category",
        "seller",
        "q",
        "ordering",
        "cursor",
    }


def test_photo_upload_is_multipart(schema):
    body = schema["paths"]["/api/v1/my/listings/{listing_id}/photos/"]["post"]["requestBody"]

    assert list(body["content"]) == ["multipart/form-data"]


def test_the_inspection_queue_is_a_keyset_page(schema):
    page = schema["paths"]["/api/v1/inspections/queue/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    component = schema["components"]["schemas"][page["schema"]["$ref"].rsplit("/", 1)[1]]

    assert set(component["properties"]) == {"next", "previous", "results"}


def test_a_check_is_recorded_as_json_or_with_a_photo_as_multipart(schema):
    body = schema["paths"]["/api/v1/inspections/{inspection_id}/checks/"]["post"]["requestBody"]

    assert set(body["content"]) == {"application/json", "multipart/form-data"}


def test_inspection_endpoints_answer_401_and_403(schema):
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/inspections/"):
            for operation in operations.values():
                assert {"401", "403"} <= set(operation["responses"]), path


def test_seller_in_a_listing_has_no_email(schema):
    assert "email" not in schema["components"]["schemas"]["Seller"]["properties"]


@pytest.mark.django_db
def test_docs_page_renders(client):
    docs = client.get("/api/docs/")
    schema = client.get("/api/schema/")

    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert schema.status_code == 200
    assert b"/api/v1/listings/" in schema.content


def test_the_docs_page_loads_every_script_and_style_from_this_site(client, settings):
    from html.parser import HTMLParser

    from django.contrib.staticfiles import finders

    class Assets(HTMLParser):
        def __init__(self):
            super().__init__()
            self.urls: list[str] = []

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "script" and attributes.get("src"):
                self.urls.append(attributes["src"])
            if tag == "link" and attributes.get("href"):
                self.urls.append(attributes["href"])

    docs = client.get("/api/docs/")
    assets = Assets()
    assets.feed(docs.content.decode())

    # The page, the Swagger UI bundle, its standalone preset, its stylesheet and its icon.
    assert len(assets.urls) >= 4
    for url in assets.urls:
        assert url.startswith("/") and not url.startswith("//"), url  # no other host, no CDN
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not a shipped static file"


def test_the_docs_page_asks_no_outside_validator(client):
    docs = client.get("/api/docs/").content.decode()

    assert '"validatorUrl": null' in docs
    assert "validator.swagger.io" not in docs
