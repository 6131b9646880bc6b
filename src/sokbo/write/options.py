"""What a user can set about the posts the writer produces."""
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
