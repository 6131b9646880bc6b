"""The post shapes of FORMAT.md, by how much a story has to say: shared by writer and linter.

    full     2 summary cards, 2–3 sections of 2–3 paragraphs   (FORMAT.md's shape)
    compact  2 summary cards, 1–2 sections of 1–3 paragraphs   (a short article)
    brief    no cards, 1–3 sections of 1–3 paragraphs          (a story too short for cards)

The writer picks the shape from the number of usable sentences (``post.min_sentences_*`` in
the config); the linter accepts a post that fits any shape.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SHAPES", "Shape", "shape_named", "shapes_fitting"]


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    cards: int
    sections: tuple[int, int]     # inclusive range
    paragraphs: tuple[int, int]   # per section, inclusive range

    def fits(self, cards: int, paragraphs: list[int]) -> bool:
        """Whether ``cards`` summary cards and sections of these paragraph counts fit."""
        low, high = self.sections
        p_low, p_high = self.paragraphs
        return (cards == self.cards and low <= len(paragraphs) <= high
                and all(p_low <= n <= p_high for n in paragraphs))


SHAPES: tuple[Shape, ...] = (
    Shape("full", 2, (2, 3), (2, 3)),
    Shape("compact", 2, (1, 2), (1, 3)),
    Shape("brief", 0, (1, 3), (1, 3)),
)


def shape_named(name: str) -> Shape:
    return next(s for s in SHAPES if s.name == name)


def shapes_fitting(cards: int, paragraphs: list[int]) -> list[Shape]:
    return [s for s in SHAPES if s.fits(cards, paragraphs)]
