"""What a user can set about the posts the writer produces (``[post]`` in sokbo.toml)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WriterOptions:
    title_max_chars: int = 30
    excerpt_sentences: int = 4
    categories: tuple[str, ...] = ("News",)
    image: str = ""
    image_alt: str = ""
    max_sentences: int = 16
    # articles of one story the writer reads (sokbo.write.gather); 0: all of them
    max_sources: int = 12
    # usable sentences a story needs for each post shape (see sokbo.shapes); fewer gives the
    # next smaller shape, down to a brief post for a story of one sentence
    min_sentences_full: int = 10
    min_sentences_compact: int = 6
