from marketplace.errors import DomainError


class CreatorError(DomainError):
    """A creator's application, video, link or rate that cannot be taken as asked; `code` says why,
    and `field` names the input to fix when there is one."""

    code = "creator_invalid"


class NotACreator(CreatorError):
    """Only an approved creator may post videos and share links."""

    code = "not_a_creator"
    status_code = 403
