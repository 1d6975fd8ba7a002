"""Service providers: Reloop's own centre made by a migration, members, whose queues a member of
staff sees, fallbacks that never loop; routing a submission to a provider by category and region."""

import importlib
from decimal import Decimal

import pytest

from accounts import roles
from accounts.models import Address
from providers.errors import ProviderError
from providers.models import MemberRole, Provider, ProviderKind, ProviderMember
from providers.scope import platform_provider, provider_scope, scoped
from providers.services.providers import fallback_set, member_add, provider_create, receiver_of
from recycling.models import RoutingRule, Submission
from recycling.routing import provider_for, routing_rule_set
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, SubmissionFactory, UserFactory
from tests.recycling.test_intake import _create

pytestmark = pytest.mark.django_db


def _partner(code: str, kind: ProviderKind = ProviderKind.INSPECTION_CENTRE, **fields) -> Provider:
    return provider_create(code=code, name=f"{code.title()} centre", kind=kind, **fields)


@pytest.fixture
def categories():
    luxury = CategoryFactory(slug="luxury", name="Luxury")
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    return {
        "luxury": luxury,
        "bags": CategoryFactory(slug="bags", name="Bags", parent=luxury),
        "electronics": electronics,
        "phones": CategoryFactory(slug="phones", name="Phones", parent=electronics),
    }


def test_reloop_is_the_first_provider_and_its_staff_see_every_provider():
    reloop = platform_provider()
    partner = _partner("hangzhou")
    member_add(provider=partner, user=(partner_staff := UserFactory()), role=MemberRole.INSPECTOR)
    member_add(provider=reloop, user=(reloop_staff := UserFactory()), role=MemberRole.OPERATIONS)
    SubmissionFactory(provider=reloop)
    theirs = SubmissionFactory(provider=partner)

    assert (reloop.is_platform, reloop.kind) == (True, ProviderKind.INSPECTION_CENTRE)
    assert provider_scope(partner_staff) == partner.pk
    assert provider_scope(reloop_staff) is None
    assert provider_scope(UserFactory(is_superuser=True)) is None
    assert list(scoped(Submission.objects.all(), partner_staff)) == [theirs]
    assert scoped(Submission.objects.all(), reloop_staff).count() == 2


def test_a_person_works_for_one_provider():
    first, second = _partner("first"), _partner("second")
    person = UserFactory()
    member_add(provider=first, user=person, role=MemberRole.INSPECTOR)

    with pytest.raises(ProviderError) as refused:
        member_add(provider=second, user=person, role=MemberRole.MANAGER)

    assert refused.value.code == "member_elsewhere"
    assert ProviderMember.objects.get(user=person).provider == first


def test_a_fallback_that_would_loop_is_refused_and_changes_nothing():
    a, b, c = _partner("a"), _partner("b"), _partner("c")
    fallback_set(provider=a, fallback=b)
    fallback_set(provider=b, fallback=c)

    with pytest.raises(ProviderError) as refused:
        fallback_set(provider=c, fallback=a)

    assert refused.value.code == "fallback_loop"
    c.refresh_from_db()
    assert c.fallback is None


def test_a_paused_provider_passes_its_work_to_its_fallback_and_to_nobody_is_refused():
    paused, behind = _partner("paused"), _partner("behind")
    fallback_set(provider=paused, fallback=behind)
    Provider.objects.filter(pk=paused.pk).update(active=False)
    paused.refresh_from_db()

    assert receiver_of(paused) == behind
    Provider.objects.filter(pk=behind.pk).update(active=False)
    paused.refresh_from_db()
    with pytest.raises(ProviderError) as refused:
        receiver_of(paused)
    assert refused.value.code == "no_active_provider"


def test_a_fee_rate_out_of_range_is_refused():
    with pytest.raises(ProviderError) as refused:
        _partner("greedy", fee_rate=Decimal("0.6"))
    assert (refused.value.code, refused.value.field) == ("fee_rate_range", "fee_rate")
    assert not Provider.objects.filter(code="greedy").exists()


def test_the_most_specific_rule_wins_and_with_none_reloop_receives(categories):
    bags_zj, luxury, anywhere_zj = _partner("bags-zj"), _partner("luxury"), _partner("zj")
    routing_rule_set(category=categories["bags"], region="Zhejiang", provider=bags_zj)
    routing_rule_set(category=categories["luxury"], region="", provider=luxury)
    routing_rule_set(category=None, region="Zhejiang", provider=anywhere_zj)

    assert provider_for(category=categories["bags"], region="zhejiang ") == bags_zj
    assert provider_for(category=categories["bags"], region="Beijing") == luxury  # the category above
    assert provider_for(category=categories["phones"], region="Zhejiang") == anywhere_zj
    assert provider_for(category=categories["phones"], region="Beijing") == platform_provider()
    assert provider_for(category=categories["phones"], region="") == platform_provider()


def test_a_rule_that_names_nothing_or_reaches_nobody_is_refused_and_changes_nothing(categories):
    paused = _partner("paused")
    Provider.objects.filter(pk=paused.pk).update(active=False)
    paused.refresh_from_db()

    for kwargs, code in (
        ({"category": None, "region": " ", "provider": _partner("wide")}, "rule_too_wide"),
        ({"category": categories["phones"], "region": "", "provider": paused}, "no_active_provider"),
    ):
        with pytest.raises(ProviderError) as refused:
            routing_rule_set(**kwargs)
        assert refused.value.code == code
    assert not RoutingRule.objects.exists()


def test_a_new_submission_goes_to_the_provider_of_its_category_and_the_sellers_region(categories):
    partner = _partner("shanghai")
    routing_rule_set(category=categories["electronics"], region="Shanghai", provider=partner)
    seller, elsewhere = UserFactory(), UserFactory()
    Address.objects.create(
        user=seller,
        name="Li",
        phone="13800000000",
        region="Shanghai",
        city="Shanghai",
        street="1 Road",
        postcode="200000",
        is_default=True,
    )

    iphone = CatalogModelFactory(brand=BrandFactory(slug="apple"), category=categories["phones"])

    assert _create(seller, categories["phones"], catalog_model=iphone).provider == partner
    assert _create(elsewhere, categories["phones"], catalog_model=iphone).provider == platform_provider()


def test_the_migration_makes_reloop_the_provider_of_the_staff_and_the_submissions_before_it():
    """The data migrations' own functions, run on today's models."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    inspector, operator = UserFactory(), UserFactory()
    inspector.groups.add(Group.objects.get_or_create(name=roles.INSPECTORS)[0])
    operator.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    older = SubmissionFactory(provider=None)

    importlib.import_module("providers.migrations.0002_reloop_centre").forwards(apps, None)
    importlib.import_module("recycling.migrations.0008_routing").to_reloop(apps, None)
    importlib.import_module("providers.migrations.0002_reloop_centre").forwards(
        apps, None
    )  # again: nothing new

    reloop = platform_provider()
    assert Provider.objects.filter(is_platform=True).count() == 1
    assert {(m.user, m.role) for m in reloop.members.all()} >= {
        (inspector, MemberRole.INSPECTOR),
        (operator, MemberRole.OPERATIONS),
    }
    older.refresh_from_db()
    assert older.provider == reloop
