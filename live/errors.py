from marketplace.errors import DomainError


class LiveError(DomainError):
    """A show that cannot be scheduled, changed, joined or driven as asked; `code` says why, and
    `field` names the input to fix when there is one."""

    code = "live_invalid"


class NotYourShow(LiveError):
    """Someone other than the show's host (or, where allowed, its moderators) tried to drive it."""

    code = "not_your_show"
    status_code = 403
