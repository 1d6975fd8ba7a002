from django.utils.translation import ngettext

from marketplace.errors import DomainError


class InspectionError(DomainError):
    """An inspection step that cannot be done as asked; `code` says why, `field` names the input."""

    code = "inspection_invalid"


class AlreadyClaimed(InspectionError):
    code = "already_claimed"
    status_code = 409


def group_refused_message(count: int) -> str:
    """What a refused group of checks says above its checks, in the active language."""
    return ngettext(
        "%(count)d check could not be saved; nothing in this group was saved.",
        "%(count)d checks could not be saved; nothing in this group was saved.",
        count,
    ) % {"count": count}


class GroupRefused(InspectionError):
    """A group of checks recorded at once was refused: `errors` maps each refused check's id to its
    error (which names the field at fault). Nothing of the group was written."""

    code = "group_refused"

    def __init__(self, errors: dict[int, InspectionError]) -> None:
        super().__init__(group_refused_message(len(errors)))
        self.errors = errors
