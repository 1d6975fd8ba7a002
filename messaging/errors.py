from marketplace.errors import DomainError


class MessagingError(DomainError):
    code = "message_invalid"
