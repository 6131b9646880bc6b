"""One error tree for sokbo; the CLI turns any of these into one line and exit code 2.

Untrusted input (pages, feeds, JSONL, text, config, HTTP answers, post files) is parsed by code
that returns a value or raises one of these. Any other exception is a bug: the CLI catches it
once, writes the traceback to a log file (``sokbo.crashlog``), prints one line naming the input
and the log, and exits 3. A loop over items that must not let one bad item cost its
neighbours turns such a bug into an ``InternalError`` for that item and goes on.

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
     ├── ConfigError       sokbo.toml is invalid
     └── InternalError     a bug met while reading one item (traceback in the crash log)

Exit codes: 0 ok, 1 findings (`sokbo lint`), 2 bad input (any SokboError), 3 internal error.
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


class InternalError(SokboError):
    """A bug in sokbo met while reading one item; the item is skipped, its neighbours are not.

    Made by :func:`sokbo.crashlog.item_failed`, which logs the traceback first.
    """
