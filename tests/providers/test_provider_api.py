"""The providers' API for Reloop's own operations staff: the routing rules (read, set, refused with
a code) and every provider's figures; a partner's staff, other staff and shoppers are refused."""

import pytest
from rest_framework.test import APIClient

from accounts import roles
from providers.models import MemberRole, ProviderKind
from providers.scope import platform_provider
from providers.services.providers import member_add, provider_create
from recycling.models import RoutingRule
from tests.factories import CategoryFactory, UserFactory
from tests.recycling.shipping_fixtures import operations_user, staff_user

pytestmark = pytest.mark.django_db

RULES = "/api/v1/staff/routing-rules/"
PROVIDERS = "/api/v1/staff/providers/"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def partner():
    return provider_create(code="hangzhou", name="Hangzhou centre", kind=ProviderKind.INSPECTION_CENTRE)


def test_reloops_operations_staff_set_and_read_the_routing_rules(partner, django_assert_num_queries):
    CategoryFactory(slug="bags", name="Bags")
    CategoryFactory(slug="phones", name="Phones")
    api = _api(operations_user())

    for body in (
        {"category": "bags", "region": "Zhejiang", "provider": "hangzhou"},
        {"category": "phones", "region": "", "provider": "hangzhou"},
        {"category": "bags", "region": "Zhejiang", "provider": "reloop"},  # replaces the first
    ):
        assert api.post(RULES, body, format="json").status_code == 201
    # the groups check, whose queues (providers.scope), the rules with category and provider joined
    with django_assert_num_queries(3):
        rules = api.get(RULES).json()

    assert [(rule["category"], rule["region"], rule["provider"]) for rule in rules] == [
        ("bags", "Zhejiang", "reloop"),
        ("phones", "", "hangzhou"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"region": " ", "provider": "hangzhou"}, "category", "rule_too_wide"),
        ({"category": "nowhere", "provider": "hangzhou"}, "category", None),
        ({"category": None, "region": "Zhejiang", "provider": "nobody"}, "provider", None),
    ],
)
def test_a_rule_that_cannot_be_kept_is_refused_and_nothing_is_written(partner, body, field, code):
    answer = _api(operations_user()).post(RULES, body, format="json").json()

    assert answer[field] and answer.get("code") == code
    assert not RoutingRule.objects.exists()


def test_a_partners_staff_other_staff_and_shoppers_are_refused(partner):
    partner_staff = operations_user()
    member_add(provider=partner, user=partner_staff, role=MemberRole.OPERATIONS)
    body = {"region": "Zhejiang", "provider": "hangzhou"}

    assert _api().get(RULES).status_code == 401
    for user in (partner_staff, staff_user(roles.INSPECTORS), UserFactory()):
        assert _api(user).get(RULES).status_code == 403
        assert _api(user).post(RULES, body, format="json").status_code == 403
        assert _api(user).get(PROVIDERS).status_code == 403
    assert not RoutingRule.objects.exists()


def test_every_provider_with_its_figures(partner, django_assert_num_queries):
    api = _api(operations_user())
    platform_provider()

    # the groups check, whose queues; the providers, their inspections, the orders of what they inspected
    with django_assert_num_queries(5):
        rows = api.get(PROVIDERS).json()

    assert [(row["code"], row["is_platform"], row["inspections"], row["orders"]) for row in rows] == [
        ("reloop", True, 0, 0),
        ("hangzhou", False, 0, 0),
    ]
    assert rows[1]["disputes_per_100_orders"] is None
