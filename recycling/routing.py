"""Which service provider receives a submission: the most specific routing rule (recycling.models.
RoutingRule) for its category, or a category above it, and the seller's region; with none, Reloop's
own centre. The provider a rule names passes the work on to its fallback while it takes none."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from listings.models import Category
from listings.selectors import category_tree
from providers.errors import ProviderError
from providers.models import Provider
from providers.scope import platform_provider
from providers.services.providers import receiver_of
from recycling.models import RoutingRule


def seller_region(seller: User) -> str:
    """The region of the seller's default address (their first, with none marked), or ""."""
    address = seller.addresses.order_by("-is_default", "pk").values_list("region", flat=True).first()
    return address or ""


def provider_for(*, category: Category, region: str) -> Provider:
    """The provider that receives a submission of `category` from `region`. Rules are weighed by how
    much they name: a category and the region, then a category alone, then the region alone; among
    categories, the nearest (the item's own before the one above it). Two queries, more when a
    provider passes its work on."""
    lineage = [category.pk, *(above.pk for above in reversed(category_tree().ancestors(category)))]
    rules = list(
        RoutingRule.objects.filter(Q(category_id__in=lineage) | Q(category__isnull=True))
        .filter(Q(region="") | Q(region__iexact=region.strip()) if region.strip() else Q(region=""))
        .select_related("provider__fallback")
    )

    def weight(rule: RoutingRule) -> tuple[int, int]:
        names_region = 1 if rule.region else 0
        if rule.category_id is None:
            return (0, names_region)
        nearness = len(lineage) - lineage.index(rule.category_id)
        return (1 + names_region, nearness)

    if not rules:
        return platform_provider()
    return receiver_of(max(rules, key=weight).provider)


@transaction.atomic
def routing_rule_set(*, category: Category | None, region: str, provider: Provider) -> RoutingRule:
    """Send the submissions of `category` (every category: None) from `region` (every region: "") to
    `provider`, in place of the rule for that place if there is one. Refuses a rule that names
    nothing (`rule_too_wide`) and a provider whose work would reach nobody (`no_active_provider`);
    changes nothing then."""
    region = region.strip()
    if category is None and not region:
        raise ProviderError(
            _("Name a category, a region or both: with neither, the rule is Reloop's own centre."),
            code="rule_too_wide",
            field="category",
        )
    receiver_of(provider)
    rule, _created = RoutingRule.objects.update_or_create(
        category=category, region=region, defaults={"provider": provider}
    )
    return rule
