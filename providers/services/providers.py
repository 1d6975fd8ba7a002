"""Providers and their members, and who receives work routed to a provider."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_partner_staff_set
from providers.errors import ProviderError
from providers.models import MAX_FEE_RATE, MemberRole, Provider, ProviderKind, ProviderMember


def provider_create(
    *,
    code: str,
    name: str,
    kind: ProviderKind,
    region: str = "",
    fee_rate: Decimal = Decimal("0"),
    payee: User | None = None,
) -> Provider:
    """A partner. One paid a fee (`fee_rate` of the price of each item it consigns) names whose
    wallet the fee is paid into (`payee`)."""
    if not Decimal("0") <= fee_rate <= MAX_FEE_RATE:
        raise ProviderError(
            _("A provider fee is between 0 and %(most)s%% of the price.") % {"most": int(MAX_FEE_RATE * 100)},
            code="fee_rate_range",
            field="fee_rate",
        )
    if fee_rate > 0 and payee is None:
        raise ProviderError(
            _("Name whose wallet the provider's fees are paid into."), code="payee_required", field="payee"
        )
    return Provider.objects.create(
        code=code, name=name, kind=kind, region=region, fee_rate=fee_rate, payee=payee
    )


def receiver_of(provider: Provider) -> Provider:
    """Who does the work routed to `provider`: itself while it takes new work, else its fallback's
    receiver. Raises ProviderError `no_active_provider` when the chain ends with nobody active (it
    never loops: fallback_set refuses a loop). One query per step of the chain."""
    seen: set[int] = set()
    current: Provider | None = provider
    while current is not None and not current.active:
        seen.add(current.pk)
        current = current.fallback
        if current is not None and current.pk in seen:  # made by hand, past fallback_set
            current = None
    if current is None:
        raise ProviderError(
            _("%(provider)s takes no new work and no provider behind it does.") % {"provider": provider.name},
            code="no_active_provider",
            field="provider",
        )
    return current


@transaction.atomic
def fallback_set(*, provider: Provider, fallback: Provider | None) -> Provider:
    """Name who receives `provider`'s work while it takes none. Refuses a chain that comes back to
    `provider` (`fallback_loop`); changes nothing then."""
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    step = fallback.pk if fallback is not None else None
    seen: set[int] = set()
    while step is not None and step not in seen:  # each step read as it is now
        if step == locked.pk:
            raise ProviderError(
                _("%(fallback)s already falls back to %(provider)s: work would go round in a loop.")
                % {"fallback": fallback.name if fallback else "", "provider": locked.name},
                code="fallback_loop",
                field="fallback",
            )
        seen.add(step)
        step = Provider.objects.filter(pk=step).values_list("fallback_id", flat=True).first()
    locked.fallback = fallback
    locked.save(update_fields=["fallback"])
    return locked


def member_add(*, provider: Provider, user: User, role: MemberRole) -> ProviderMember:
    """Make `user` a member of `provider`. A person works for one provider: one who already works for
    another is refused (`member_elsewhere`)."""
    existing = ProviderMember.objects.filter(user=user).select_related("provider").first()
    if existing is not None and existing.provider_id != provider.pk:
        raise ProviderError(
            _("%(user)s already works for %(provider)s.")
            % {"user": user.username, "provider": existing.provider.name},
            code="member_elsewhere",
            field="user",
        )
    member, _created = ProviderMember.objects.update_or_create(
        user=user, defaults={"provider": provider, "role": role}
    )
    user_partner_staff_set(user_id=user.pk, partner=not provider.is_platform)
    user.partner_staff = not provider.is_platform
    return member
