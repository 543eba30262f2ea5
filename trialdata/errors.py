"""The one error the library raises on bad input, so callers can catch it and go on."""


class RecordError(ValueError):
    """A record, or a value in it, cannot be read.

    Every failure caused by input text or files surfaces as this error (or a
    subclass), with a message a user can act on; anything else is a bug.
    """


class EntriesSkipped(RecordError):
    """Entries of a file left unread past a bound, counted as the problems they stand for."""

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.count = count
