"""One reader per record layout: bytes of a file -> validated `Trial` models."""
