"""One error tree for sokbo; the CLI turns any of these into one line and exit code 2.

    SokboError
     ├── InputError        a file or URL given by the user cannot be read (missing, empty, binary)
     ├── FetchError        HTTP failure after retries (url)
     ├── ExtractError      a page has no article text, or it is not Korean (source)
     ├── NlpError          Kiwi missing or failing
     ├── ClusterError
     ├── DraftError        a story cannot become a post (too little text)
     ├── RenderError
     ├── StoreError        SQLite state cannot be read or written
     ├── PublishError
     └── ConfigError       sokbo.toml is invalid
"""
from __future__ import annotations


class SokboError(Exception):
    """Base of every error sokbo reports to a user.

    The message is one line a user can act on; ``source`` names the file, URL or article.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class InputError(SokboError):
    pass


class FetchError(SokboError):
    pass


class ExtractError(SokboError):
    pass


class NlpError(SokboError):
    pass


class ClusterError(SokboError):
    pass


class DraftError(SokboError):
    pass


class RenderError(SokboError):
    pass


class StoreError(SokboError):
    pass


class PublishError(SokboError):
    pass


class ConfigError(SokboError):
    pass
