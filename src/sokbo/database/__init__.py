"""Where the state lives: an SQLite file (embedded, the default) or a PostgreSQL server.

The store (``sokbo.store``) writes one SQL dialect, SQLite's, for both: a PostgreSQL connection
(:mod:`sokbo.database.postgres`) translates each statement once and behaves like SQLite's
(``?`` parameters, rows read by index or by column name, ``BEGIN`` … ``COMMIT`` with one writer
at a time). Migrations are therefore the same list on both backends.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["is_postgres_url", "redact_url", "state_location"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.lower().startswith(POSTGRES_SCHEMES)


def redact_url(url: str) -> str:
    """A database URL fit for an error line: the password left out."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))
    except ValueError:
        return url.split("://", 1)[0] + "://…"


def state_location(target: str | Path) -> str:
    """How a state database is named to the user (a path, or a URL without its password)."""
    return redact_url(target) if is_postgres_url(target) else str(target)
