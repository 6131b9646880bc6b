"""Reading a run's inputs: feeds, pages, files → fresh articles, per-input errors and counts."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sokbo.config import Settings
from sokbo.errors import SokboError
from sokbo.models import Article
from sokbo.store import Store

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class ReadResult:
    articles: dict[str, Article] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: {
        "fetched": 0, "not_modified": 0, "failed": 0,
    })


def read_inputs(
    settings: Settings,
    inputs: Sequence[str],
    store: Store,
    *,
    progress: Progress | None = None,
) -> ReadResult:
    """Every article the inputs yield, keyed by id; one error line per input that failed."""
    from sokbo.ingest import iter_input
    from sokbo.pipeline import make_fetch

    result = ReadResult()
    fetch = make_fetch(settings) if any(i.startswith(("http:", "https:")) for i in inputs) else None
    for n, value in enumerate(inputs, 1):
        if progress:
            progress(f"reading {value}", n, len(inputs))
        for item in iter_input(value, fetch=fetch):
            if isinstance(item, SokboError):
                result.errors.append(str(item))
                result.stats["failed"] += 1
            else:
                result.articles[item.id] = item
                result.stats["fetched"] += 1
    return result
