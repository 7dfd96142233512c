class DomainError(Exception):
    """A business rule said no. `code` is stable and machine-readable; `message` is for people."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __str__(self):
        return self.message
