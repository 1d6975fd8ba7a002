from marketplace.errors import DomainError


class ProviderError(DomainError):
    """A change to providers or routing that cannot be made as asked, because it would leave work
    with nobody to do it; `code` says why (`fallback_loop`, `no_active_provider`, `fee_rate_range`,
    `member_elsewhere`, `payee_required`), and `field` names the input to fix."""

    code = "provider_invalid"
